"""Random updates from every kind of user never crash the bot, never draw a 400 from Telegram,
and leave a consistent database. The long mode is `python -m tests.hardening.fuzz_long`."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import tempfile
from collections.abc import Iterator
from pathlib import Path

import aiosqlite
import pytest
from aiogram.exceptions import TelegramBadRequest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storage import consistency
from tests.hardening.fuzz_long import (
    ARGUMENTS,
    COMMANDS,
    COORDINATOR_ID,
    EVENT_KINDS,
    MEMBER_WEIGHTS,
    NAMES,
    SPECIAL_TEXTS,
    Event,
    build_template,
    fuzz_bot,
    kind_weights,
    run_events,
)

# The bounded run: about 15 s on one core; the long mode plays 10,000 updates.
EXAMPLES = 60
MAX_EVENTS = 40

texts = st.one_of(
    st.sampled_from(SPECIAL_TEXTS),
    st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=40),
    st.integers(min_value=-5, max_value=10**10).map(str),
)
commands = st.builds(
    lambda command, argument: f"{command} {argument}".strip(),
    st.sampled_from(COMMANDS),
    st.one_of(st.sampled_from(ARGUMENTS), texts),
)
members = st.sampled_from(
    [name for name, weight in zip(NAMES, MEMBER_WEIGHTS, strict=True) for _ in range(weight)]
)


@st.composite
def events(draw: st.DrawFn) -> Event:
    member = draw(members)
    kinds = [k for k, w in zip(EVENT_KINDS, kind_weights(member), strict=True) for _ in range(w)]
    kind = draw(st.sampled_from(kinds))
    text = ""
    if kind in ("text", "edit", "forward", "photo", "document"):
        text = draw(texts)
    elif kind == "command":
        text = draw(commands)
    elif kind == "press_random":
        text = draw(st.text(st.characters(codec="ascii"), min_size=1, max_size=80))
    return Event(member, kind, text, draw(st.integers(min_value=0, max_value=1000)))


@pytest.fixture(scope="module")
def template() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as directory:
        yield asyncio.run(build_template(Path(directory)))


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(played=st.lists(events(), min_size=1, max_size=MAX_EVENTS))
def test_random_updates_get_valid_replies_and_leave_a_consistent_database(
    template: Path, played: list[Event]
) -> None:
    with tempfile.TemporaryDirectory() as directory:
        outcome = asyncio.run(run_events(template, Path(directory), played))
    assert [f"{f.event}: {f.problem}" for f in outcome.failures] == []


def test_the_fuzzer_notices_an_invalid_reply_and_a_logged_error(template: Path) -> None:
    async def play() -> list[str]:
        with tempfile.TemporaryDirectory() as directory:
            async with fuzz_bot(template, Path(directory)) as fuzz:
                before = len(fuzz.emulator.calls)
                event = Event("coordinator", "text", "<b>")
                with contextlib.suppress(TelegramBadRequest):  # the 400 is what we look for
                    await fuzz.bot.send_message(COORDINATOR_ID, "<b>unclosed")
                fuzz.check_calls(event, before)
                logging.getLogger("handlers.errors").error("boom")
                fuzz.check_errors(event)
                return [failure.problem for failure in fuzz.outcome.failures]

    problems = asyncio.run(play())
    assert "can't parse entities" in problems[0]
    assert problems[1] == "logged error: boom"


def test_consistency_checks_find_an_answer_without_a_report(template: Path) -> None:
    async def damage() -> list[str]:
        with tempfile.TemporaryDirectory() as directory:
            async with fuzz_bot(template, Path(directory)) as fuzz:
                # A second connection, without foreign keys: damage the constraints allow.
                async with aiosqlite.connect(fuzz.db.path) as conn:
                    [[measure]] = await conn.execute_fetchall("SELECT id FROM measures LIMIT 1")
                    await conn.execute(
                        "INSERT INTO answers (report_id, measure_id, updated_at)"
                        " VALUES (999, ?, '2026-03-02T08:00:00+00:00')",
                        (measure,),
                    )
                    await conn.execute("UPDATE reports SET state = 'submitted' WHERE id = 1")
                    await conn.commit()
                async with fuzz.db.reading() as conn:
                    return [problem.check for problem in await consistency.check(conn)]

    checks = asyncio.run(damage())
    assert "answer_without_report" in checks
    assert "report_submitted_without_version" in checks


def test_after_save_and_exit_typed_text_points_to_report_and_changes_nothing(
    template: Path,
) -> None:
    """Found by the fuzzer: after «Зберегти й вийти» the bot asked to press buttons that were
    gone, and a text typed at a narrative step still went into the closed form."""

    async def play() -> tuple[list[str], list[str], int]:
        with tempfile.TemporaryDirectory() as directory:
            async with fuzz_bot(template, Path(directory)) as fuzz:
                person = Event("person_a", "press")
                await fuzz.play(person)  # «Почати» on the invitation
                await fuzz.play(Event("person_a", "diligent"))  # a status: the narrative next
                [exit_] = [d for _, d in fuzz.buttons(5001, latest_only=True) if ":ex:" in d]
                await fuzz.play(Event("person_a", "press_random", exit_))
                before = len(fuzz.emulator.events)
                await fuzz.play(Event("person_a", "text", "Зроблено"))
                replies = [
                    str(e["message"]["text"])
                    for e in fuzz.emulator.events[before:]
                    if e["kind"] == "bot_message"
                ]
                async with fuzz.db.reading() as conn:
                    narratives = await conn.execute_fetchall(
                        "SELECT narrative FROM answers WHERE narrative != ''"
                    )
                failures = [f.problem for f in fuzz.outcome.failures]
                return replies, failures, len(list(narratives))

    replies, failures, narratives = asyncio.run(play())
    assert failures == []
    assert len(replies) == 1 and "/report" in replies[0] and "кнопк" not in replies[0]
    assert narratives == 0

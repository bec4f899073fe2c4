"""The coordinator's side of a busy day: submissions told in tallies, decided from /review.

60 organisations hand in over one working day (every 8 minutes from 09:00 to 16:52, Kyiv):
the first three through the chat, the other 57 through the submit use case itself
(services.submission.submit, after the answers are stored), since 60 chats would be slow.
The clock is the harness's ManualClock, moved by `ReminderWorld.at`; nothing sleeps for time.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from core.clock import ManualClock
from core.models import Actor, MeasureStatus, ReportState, Role
from demo.people import fill_and_submit
from demo.registry_data import FictionalEnterprise, registry_csv, registry_rows
from emulator.client import BotMessage, SimUser
from reports.registry_reader import read_registry
from services.questionnaire import Pressed, Shown, open_form
from services.submission import Submitted, submit
from storage import answers, outbox, registry, reporting
from storage.database import fetch_all
from storage.outbox import OutboxState
from tests.e2e.harness import callback_answer, open_round_via_chat, save_demo_plan
from tests.e2e.test_questionnaire import NATALIA, OLENA, ready, submit_everything
from tests.reminders.test_ladder import ReminderWorld, kyiv, reminder_world

ORGANISATIONS = 60
BY_CHAT = 3
FIRST = kyiv(3, 3, 9)  # Tuesday
EVERY = timedelta(minutes=8)
ACCEPT = "✅ Прийняти"
RETURN = "↩ Повернути на доопрацювання"


@pytest.fixture
async def zvit(tmp_path: Path, clock: ManualClock) -> AsyncIterator[ReminderWorld]:
    """The e2e world with a quick outbox (no pause per chat between steps)."""
    async with reminder_world(tmp_path, clock) as state:
        yield state


def organisations() -> tuple[FictionalEnterprise, ...]:
    letters = "абвгдежзик"
    return tuple(
        FictionalEnterprise(
            code7=str(5_500_000 + n),
            name=f"Заклад загальної середньої освіти № {n + 1}",
            short_name=f"ЗЗСО № {n + 1}",
            kind="освіта",
            supervisor="Управління освіти",
            person=f"Ірина Петрівна Ков{letters[n // 10]}{letters[n % 10]}",
            position="заступник директора",
        )
        for n in range(ORGANISATIONS)
    )


async def many(zvit: ReminderWorld) -> list[int]:
    """The registry of 60 schools (as the import reads a sheet), the demo plan, three persons
    bound in chat and the round opened from chat; returns the person ids in registry order."""
    sheet = read_registry("registry.csv", registry_csv(registry_rows(organisations())))
    async with zvit.db.transaction() as conn:
        await registry.import_sheet(conn, sheet, actor_id=None, now=zvit.clock.now())
        rows = await fetch_all(conn, "SELECT id FROM persons ORDER BY id", ())
    await save_demo_plan(zvit)
    people = [row[0] for row in rows]
    assert len(people) == ORGANISATIONS
    for index, person_id in enumerate(people[:BY_CHAT]):
        await zvit.bound_person(person_id, 7000 + index, "Ірина")
    await open_round_via_chat(zvit)
    return people


async def submit_by_use_case(zvit: ReminderWorld, person_id: int) -> None:
    """What the chat does, without the chat: open the form, store every answer, «Подати»."""
    assert zvit.bot is not None
    deps = zvit.bot.app.deps
    async with zvit.db.reading() as conn:
        person = await registry.get_person(conn, person_id)
        assert person is not None and person.enterprise_id is not None
        enterprise = await registry.get_enterprise(conn, person.enterprise_id)
    actor = Actor(Role.PERSON, 8000 + person_id, person, enterprise)
    shown = await open_form(deps, actor)
    assert isinstance(shown, Shown)
    report = shown.context.report
    async with zvit.db.transaction() as conn:
        for measure in shown.context.measures:
            now = zvit.clock.now()
            await answers.save_status(
                conn, report, measure.id, MeasureStatus.DONE, person_id=person_id, now=now
            )
            await answers.save_narrative(
                conn, report, measure.id, "Зроблено вчасно і повністю", person_id=person_id,
                now=now,
            )  # fmt: skip
    submitted = await submit(deps, actor, Pressed(report.id, window=shown.window))
    assert isinstance(submitted, Submitted), submitted


async def drained(zvit: ReminderWorld) -> None:
    """Wait (at most 10 s) until nothing due is left in the outbox."""
    async with asyncio.timeout(10):
        while True:
            async with zvit.db.reading() as conn:
                due = await outbox.has_due_pending(conn, now=zvit.clock.now())
                busy = (await outbox.counts_by_state(conn))[OutboxState.SENDING]
            if not due and not busy:
                return
            await asyncio.sleep(0.02)


def counted(notice: BotMessage) -> int:
    """How many reports a submission notice tells of: one, or the tally's «Подано N …»."""
    if notice.text.startswith("📨 Звіт подано:"):
        return 1
    found = re.match(r"📨 Подано (\d+) ", notice.text)
    assert found, notice.text
    return int(found.group(1))


async def a_busy_day(zvit: ReminderWorld) -> tuple[SimUser, list[BotMessage]]:
    """Everyone hands in on Tuesday; returns the coordinator and the notices they got."""
    people = await many(zvit)
    coordinator = await zvit.coordinator()
    await coordinator.pending()
    for index, person_id in enumerate(people):
        await zvit.at(FIRST + index * EVERY)
        if index < BY_CHAT:
            receipt = await fill_and_submit(zvit.users[7000 + index], index)
            assert "Звіт подано" in receipt.text
        else:
            await submit_by_use_case(zvit, person_id)
        await drained(zvit)  # what fell due by now has gone, as it would in real time
    await zvit.at(FIRST + ORGANISATIONS * EVERY + timedelta(minutes=30))
    await drained(zvit)
    messages = [m for m in await coordinator.pending() if not m.edited]
    return coordinator, [m for m in messages if m.text.startswith("📨")]


async def test_sixty_submissions_in_a_day_make_few_notices_and_the_queue_walks_them_all(
    zvit: ReminderWorld,
) -> None:
    coordinator, notices = await a_busy_day(zvit)
    print(f"NOTICES: {len(notices)} for {ORGANISATIONS} submissions")  # docs/ux.md
    assert 2 <= len(notices) <= 18, [n.text[:60] for n in notices]
    assert sum(counted(n) for n in notices) == ORGANISATIONS  # none lost, none twice
    assert notices[0].text.startswith("📨 Звіт подано: ЗЗСО № 1,")  # the first, at once
    tally = notices[1]
    assert tally.text.splitlines()[1].startswith("ЗЗСО № 2, ЗЗСО № 3")  # who, in order
    assert tally.button_texts() == ["Переглянути чергу"]
    async with zvit.db.reading() as conn:
        rows = await outbox.with_key_prefix(conn, "submissions:")
    assert len(rows) == len(notices) and all(r.state is OutboxState.SENT for r in rows)
    # The first at once, then each half an hour after the one before it went.
    sent = [r.sent_at for r in rows if r.sent_at is not None]
    assert all(b - a >= timedelta(minutes=30) for a, b in zip(sent, sent[1:], strict=False))

    await coordinator.press("Переглянути чергу", tally)
    card = await coordinator.next_message()
    taps = 0
    for n in range(ORGANISATIONS):
        left = ORGANISATIONS - n
        assert f"Очікують рішення: {left} " in card.text, card.text[:200]
        assert f"\nЗЗСО № {n + 1} — звіт за" in card.text  # the longest waiting first
        assert card.button_texts()[:2] == [ACCEPT, RETURN]
        await coordinator.press(ACCEPT, card)
        taps += 1
        following = await coordinator.next_message()
        assert following.edited and following.message_id == card.message_id  # one window
        card = following
    assert taps == ORGANISATIONS
    assert "Черга порожня" in card.text and card.button_texts() == []
    async with zvit.db.reading() as conn:
        states = {r.state for r in await reporting.reports_of_round(conn, 1)}
    assert states == {ReportState.ACCEPTED}


async def test_a_stale_press_decides_nothing_and_returning_asks_then_moves_on(
    zvit: ReminderWorld,
) -> None:
    olena, natalia = await ready(zvit, OLENA, NATALIA)
    coordinator = await zvit.coordinator()
    await coordinator.pending()
    await submit_everything(olena)
    notice = await coordinator.next_message()  # the first, at once, with its own buttons
    await submit_everything(natalia)  # waits for the tally
    await coordinator.send("/review")
    card = await coordinator.next_message()
    assert (
        "КП «Міськводоканал» — звіт за" in card.text and "Очікують рішення: 2 звіти." in card.text
    )

    # Accepted from the notice meanwhile: the queue's older card no longer decides anything.
    await coordinator.press(ACCEPT, notice)
    await coordinator.next_message()
    answer = await callback_answer(coordinator, await coordinator.press(ACCEPT, card))
    assert "уже не очікує рішення" in str(answer.get("text"))
    card = await coordinator.next_message()
    assert "Попередній звіт уже не очікує рішення" in card.text and "Ліцей № 7" in card.text
    async with zvit.db.reading() as conn:
        accepts = await fetch_all(
            conn, "SELECT id FROM audit_log WHERE action = 'report.accepted'", ()
        )
    assert len(accepts) == 1

    await coordinator.press(RETURN, card)
    assert "Напишіть одним повідомленням" in (await coordinator.next_message()).text
    await coordinator.send("Додайте дати навчань")
    after = await coordinator.next_message()
    assert "↩ Повернуто на доопрацювання: Ліцей № 7." in after.text
    assert "Черга порожня" in after.text
    async with zvit.db.reading() as conn:
        states = [r.state for r in await reporting.reports_of_round(conn, 1)]
    assert states.count(ReportState.ACCEPTED) == 1 and states.count(ReportState.RETURNED) == 1

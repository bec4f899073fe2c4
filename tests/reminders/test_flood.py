"""A reminder step for 300 persons under the emulator's flood limits: each once, 429s honoured."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from aiogram import Bot

from core.clock import ManualClock
from core.edrpou import is_valid, with_check_digit
from core.models import Round
from demo.plan_data import plan_docx
from demo.registry_data import HEADER, registry_csv
from emulator.limits import FloodLimits
from emulator.server import TelegramEmulator
from reports.plan_reader import read_plan
from reports.registry_reader import read_registry
from scheduler.sender import OutboxSender
from storage import outbox, plans, registry
from storage.database import Database
from storage.outbox import AttemptOutcome, OutboxAttempt, OutboxState
from tests.outbox.test_sender import TOKEN, bot_for
from tests.reminders.test_ladder import BEFORE_7
from tests.reminders.test_stale_and_quiet import jobs_for, open_q1

CROWD = 300
FIRST_CHAT = 810_000
SCALE = 10
FORCED_RETRY_AFTER = 7  # seconds; the flood gate's own 429s ask for 1 or 2
REMINDER = "🔔 Нагадування: "


@dataclass
class Crowd:
    emulator: TelegramEmulator
    db: Database
    bot: Bot
    clock: ManualClock
    chats: list[int]

    def sender(self, *, per_chat_interval: float = 1.1 / SCALE) -> OutboxSender:
        """Paced as in tests/outbox: rates and pauses scaled to the emulator's faster clock."""
        return OutboxSender(
            self.db,
            self.bot,
            self.clock,
            rate_per_second=25 * SCALE,
            per_chat_interval=per_chat_interval,
            telegram_second=1 / SCALE,
        )

    async def settle(self, sender: OutboxSender, rounds: int = 90) -> None:
        """Drain, moving the business clock a second after each drain, until nothing is left."""
        for _ in range(rounds):
            await sender.drain(1.0)
            async with self.db.reading() as conn:
                counts = await outbox.counts_by_state(conn)
            if counts[OutboxState.PENDING] == counts[OutboxState.SENDING] == 0:
                return
            self.clock.advance(timedelta(seconds=1))
        raise AssertionError(f"outbox not settled: {counts}")


def fictional_registry() -> bytes:
    rows = [list(HEADER)]
    for n in range(CROWD):
        code = with_check_digit(f"{4600000 + n:07d}")
        assert is_valid(code)
        rows.append(
            [code, f"Комунальне підприємство «Тест-{n}»", f"КП «Тест-{n}»",
             "комунальне підприємство", "", "так", f"Особа Вигадана {n}", "інженер", "", ""]
        )  # fmt: skip
    return registry_csv(rows)


@pytest.fixture
async def crowd(tmp_path: Path, clock: ManualClock) -> AsyncIterator[Crowd]:
    """300 enterprises with a bound person each, the plan, and the I quarter's round open."""
    emulator = TelegramEmulator(token=TOKEN, clock_scale=SCALE)
    await emulator.start()
    db = await Database.open(tmp_path / "bot.sqlite3")
    bot = bot_for(emulator.base_url)
    now = clock.now()
    chats = []
    async with db.transaction() as conn:
        sheet = read_registry("registry.csv", fictional_registry())
        await registry.import_sheet(conn, sheet, actor_id=None, now=now)
        for index, person in enumerate(await registry.list_persons(conn)):
            chat = FIRST_CHAT + index
            emulator.create_user(chat, f"U{index}", started=True)
            await registry.bind_person(conn, person, chat, now=now)
            chats.append(chat)
        draft = read_plan("plan.docx", plan_docx(), default_title="План")
        await plans.save_plan(
            conn, draft, years=(2026, 2026), indicators=(), source_name="plan.docx",
            actor_id=None, now=now,
        )  # fmt: skip
    try:
        yield Crowd(emulator, db, bot, clock, chats)
    finally:
        await bot.session.close()
        await db.close()
        await emulator.stop()


def next_attempt(attempts: list[OutboxAttempt], after: OutboxAttempt) -> OutboxAttempt:
    return min((a for a in attempts if a.id > after.id), key=lambda a: a.id)


async def test_a_reminder_step_reaches_300_persons_once_each_under_flood_limits(
    crowd: Crowd,
) -> None:
    assert len(crowd.chats) == CROWD
    round_: Round = await open_q1(crowd.db, crowd.clock)
    jobs = jobs_for(crowd.db, crowd.clock)
    await jobs.tick()  # the invitations, delivered before the limits are on
    await crowd.settle(crowd.sender(per_chat_interval=0.01))
    invited = len(crowd.emulator.calls)
    assert invited == CROWD

    crowd.clock.set(BEFORE_7)
    assert (await jobs.tick()).sent == (f"{round_.id}:before-7",)
    for _ in range(3):  # the ticker runs again while the sender works: nothing more
        assert (await jobs.tick()).sent == ()
    crowd.emulator.set_flood(FloodLimits(global_per_second=30, per_chat_per_second=1))
    crowd.emulator.faults.force_retry_after(FORCED_RETRY_AFTER, methods=["sendMessage"])
    await crowd.settle(crowd.sender())
    await jobs.tick()

    async with crowd.db.reading() as conn:
        counts = await outbox.counts_by_state(conn)
        rows = await outbox.with_key_prefix(conn, f"reminder:{round_.id}:")
        attempts = {row.id: await outbox.attempts_of(conn, row.id) for row in rows}
    assert counts[OutboxState.SENT] == 2 * CROWD
    assert counts[OutboxState.FAILED] == counts[OutboxState.DROPPED] == 0
    assert sorted(row.chat_id for row in rows) == crowd.chats

    # From the emulator's log: one accepted reminder per chat, none lost, none twice.
    calls = [c for c in crowd.emulator.calls[invited:] if c["method"] == "sendMessage"]
    ok = Counter(c["chat_id"] for c in calls if c["outcome"] == "ok")
    assert ok == Counter(crowd.chats)
    for chat in crowd.chats:
        texts = [m["text"] for m in crowd.emulator.chat_messages(chat)]
        assert sum(REMINDER in text for text in texts) == 1, texts

    # The forced 429 and any the flood gate gave: the next try at that chat came after it.
    flooded = [
        (row_id, attempt)
        for row_id, tried in attempts.items()
        for attempt in tried
        if attempt.outcome is AttemptOutcome.RETRY_AFTER
    ]
    assert [a.retry_after for _, a in flooded].count(FORCED_RETRY_AFTER) == 1
    for row_id, attempt in flooded:
        assert attempt.retry_after is not None
        after = next_attempt(attempts[row_id], attempt)
        assert after.at - attempt.at >= timedelta(seconds=attempt.retry_after)
    assert all(tried[-1].outcome is AttemptOutcome.OK for tried in attempts.values())
    refused = [c for c in calls if c["outcome"] == 429]
    assert len(refused) == len(flooded) >= 1
    last_ok = {c["chat_id"]: c["seq"] for c in calls if c["outcome"] == "ok"}
    assert all(last_ok[c["chat_id"]] > c["seq"] for c in refused)

"""`python -m bot run` with reminders due: SIGKILLed and restarted, or two at once on one DB."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from core.calendar import WorkCalendar
from core.periods import Period
from demo.plan_data import plan_docx
from demo.registry_data import registry_csv
from demo.runtime import BotProcess
from emulator.server import TelegramEmulator
from reports.plan_reader import read_plan
from reports.registry_reader import read_registry
from services.rounds import invite_to_round
from storage import outbox, plans, registry
from storage import rounds as round_rows
from storage.database import Database
from storage.outbox import OutboxState
from tests.e2e.harness import TOKEN, subprocess_env
from tests.reminders.test_ladder import BEFORE_1, BEFORE_7, DEADLINE

OPENED = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # Monday 10:00 in Kyiv
PEOPLE = {1: 6001, 2: 6002, 4: 6004}  # person id → Telegram id


async def prepare(db_path: Path, emulator: TelegramEmulator, people: dict[int, int]) -> None:
    """Registry, bound persons, the plan and the I quarter's round with its invitations."""
    db = await Database.open(db_path)
    async with db.transaction() as conn:
        await registry.import_sheet(
            conn, read_registry("r.csv", registry_csv()), actor_id=None, now=OPENED
        )
        for person_id, telegram_id in people.items():
            person = await registry.get_person(conn, person_id)
            assert person is not None
            await registry.bind_person(conn, person, telegram_id, now=OPENED)
            emulator.create_user(telegram_id, f"U{telegram_id}", started=True)
        plan = await plans.save_plan(
            conn, read_plan("plan.docx", plan_docx(), default_title="План"), years=(2026, 2026),
            indicators=(), source_name="plan.docx", actor_id=None, now=OPENED,
        )  # fmt: skip
        enterprises = await registry.list_enterprises(conn)
        round_ = await round_rows.open_round(
            conn, plan_id=plan.id, period=Period.quarter(2026, 1), deadline=date(2026, 3, 25),
            enterprise_ids=[e.id for e in enterprises], actor_id=None, now=OPENED,
        )  # fmt: skip
        assert round_ is not None
        await invite_to_round(conn, round_, WorkCalendar(), OPENED)
    await db.close()


def env_for(emulator: TelegramEmulator, db_path: Path, clock_file: Path) -> dict[str, str]:
    env = subprocess_env(emulator.base_url, db_path, clock_file)
    env.update(REMINDER_TICK_SECONDS="0.1", OUTBOX_PER_CHAT_INTERVAL_SECONDS="0.01")
    return env


async def rows(db_path: Path, prefix: str) -> list[outbox.OutboxMessage]:
    db = await Database.open(db_path, migrate=False)
    try:
        async with db.reading() as conn:
            return await outbox.with_key_prefix(conn, prefix)
    finally:
        await db.close()


async def until(check: Callable[[], Awaitable[bool]], timeout: float = 45) -> None:  # noqa: ASYNC109
    """Poll (the bot is another process: no event to await) until `check()` is true."""
    async with asyncio.timeout(timeout):
        while not await check():  # noqa: ASYNC110
            await asyncio.sleep(0.05)


async def drained(emulator: TelegramEmulator) -> None:
    """Let the emulator handle what a killed process had already sent: its requests sit in the
    sockets while `kill()` waits, and one handled after the faults are cleared would be
    delivered without the dead process marking it sent (the outbox's documented
    at-least-once window, docs/reliability.md), which this test is not about."""
    quiet, seen = 0, -1
    async with asyncio.timeout(10):
        while quiet < 5:
            await asyncio.sleep(0.05)
            quiet, seen = (
                (quiet + 1, seen) if len(emulator.calls) == seen else (0, len(emulator.calls))
            )


def reminders_in(emulator: TelegramEmulator, chat_id: int) -> Counter[str]:
    """How many times each text reached the chat."""
    return Counter(
        event["message"]["text"]
        for event in emulator.transcript(chat_id)
        if event["kind"] == "bot_message"
    )


async def test_sigkilled_bot_delivers_each_due_reminder_exactly_once(tmp_path: Path) -> None:
    db_path, clock_file = tmp_path / "bot.sqlite3", tmp_path / "now.txt"
    emulator = TelegramEmulator(token=TOKEN)
    await emulator.start()
    await prepare(db_path, emulator, PEOPLE)
    bot = BotProcess(env_for(emulator, db_path, clock_file))

    def set_clock(moment: datetime) -> None:
        clock_file.write_text(moment.isoformat(), encoding="utf-8")

    async def queued(kind: str) -> bool:
        found = [r for r in await rows(db_path, "reminder:1:") if kind in r.dedupe_key]
        return len(found) == len(PEOPLE)

    async def settled() -> bool:
        found = await rows(db_path, "")
        return all(r.state in (OutboxState.SENT, OutboxState.DROPPED) for r in found)

    try:
        # Killed while the reminders are due and queued but Telegram fails every send.
        emulator.faults.add("502", count=None, methods=["sendMessage"])
        set_clock(BEFORE_7)
        bot.start()
        await until(lambda: queued("before-7"))
        bot.kill()
        await drained(emulator)  # what the killed process sent still meets the faults
        emulator.faults.clear()
        set_clock(BEFORE_7 + timedelta(minutes=5))  # past the killed process's leases
        bot.start()
        await until(settled)
        bot.kill()  # killed again with nothing in flight: the restart must not repeat any
        set_clock(BEFORE_1)  # before-3 fell due while the bot was off
        bot.start()
        await until(lambda: queued("before-1"))
        await until(settled)
        set_clock(DEADLINE)
        await until(lambda: queued("deadline"))
        await until(settled)
    finally:
        bot.stop()
        await emulator.stop()
    for chat_id in PEOPLE.values():
        counts = reminders_in(emulator, chat_id)
        assert sorted(counts.values()) == [1, 1, 1, 1], counts  # invitation and three reminders
    # before-3 fell due while the bot was off; the catch-up sent only the latest, before-1.
    assert not [r for r in await rows(db_path, "reminder:") if r.dedupe_key.endswith("before-3")]


async def test_two_bot_processes_send_each_reminder_once(tmp_path: Path) -> None:
    db_path, clock_file = tmp_path / "bot.sqlite3", tmp_path / "now.txt"
    emulator = TelegramEmulator(token=TOKEN)
    await emulator.start()
    people = {n: 6000 + n for n in range(1, 15)}
    await prepare(db_path, emulator, people)
    clock_file.write_text(BEFORE_7.isoformat(), encoding="utf-8")
    bots = [BotProcess(env_for(emulator, db_path, clock_file)) for _ in range(2)]

    async def delivered() -> bool:
        found = await rows(db_path, "")
        return len(found) == 2 * len(people) and all(r.state is OutboxState.SENT for r in found)

    try:
        for bot in bots:
            bot.start()
        try:
            await until(delivered)
        except TimeoutError:
            found = await rows(db_path, "")
            raise AssertionError([(r.dedupe_key, r.state.value) for r in found]) from None
        await asyncio.sleep(0.5)  # a duplicate would show up within a few ticks
    finally:
        for bot in bots:
            if bot.process is not None:
                bot.process.terminate()
        for bot in bots:
            bot.stop()
        await emulator.stop()
    for chat_id in people.values():
        counts = reminders_in(emulator, chat_id)
        assert sorted(counts.values()) == [1, 1], counts  # the invitation and before-7

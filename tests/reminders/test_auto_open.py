"""AUTO_OPEN_DAYS_BEFORE: the quarter's round opens by itself, once, N days before its deadline."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from core.clock import ManualClock
from core.models import RoundState
from scheduler.reminders import AUTO_OPEN_JOB_ID, ReminderJobs
from storage import audit, outbox
from storage import rounds as round_rows
from storage.database import Database
from storage.outbox import OutboxMessage
from tests.e2e.harness import save_demo_plan
from tests.reminders.test_ladder import BOHDAN, NATALIA, kyiv, reminder_world
from tests.reminders.test_stale_and_quiet import (
    PEOPLE,
    Q1,
    Q1_DEADLINE,
    jobs_for,
    open_q1,
    seed,
)

DAYS_BEFORE = 14
OPENING_DAY = date(2026, 3, 11)  # Wednesday, 14 days before Wednesday 25 March
INVITED = "Розпочато збір звітів"


def auto_jobs(db: Database, clock: ManualClock) -> ReminderJobs:
    return jobs_for(db, clock, auto_open_days_before=DAYS_BEFORE)


async def invitations(db: Database) -> list[OutboxMessage]:
    async with db.reading() as conn:
        return await outbox.with_key_prefix(conn, "round_open:")


async def auto_open_entries(db: Database) -> list[audit.AuditEntry]:
    async with db.reading() as conn:
        return [e for e in await audit.entries(conn) if e.action == "round.auto_open"]


async def test_the_round_opens_by_itself_on_its_day_once_with_one_invitation_each(
    db: Database, clock: ManualClock
) -> None:
    await seed(db, clock)
    jobs = auto_jobs(db, clock)
    clock.set(kyiv(3, 11, 0) - timedelta(minutes=1))  # Tuesday 23:59: a day too early
    assert await jobs.auto_open() == []
    assert (await jobs.tick()).sent == ()
    async with db.reading() as conn:
        assert await round_rows.round_for(conn, Q1) is None

    clock.set(kyiv(3, 11, 0))
    [round_] = await jobs.auto_open()
    assert (round_.year, round_.period_number, round_.deadline) == (2026, 1, Q1_DEADLINE)
    assert round_.state is RoundState.OPEN and round_.opened_at == clock.now()
    for moment in (
        kyiv(3, 11, 0),
        kyiv(3, 11, 9),
        kyiv(3, 11, 15),
        kyiv(3, 20, 10),
        kyiv(3, 25, 17),
    ):
        clock.set(moment)
        for _ in range(3):
            assert await jobs.auto_open() == []
            await jobs.tick()  # the ladder's "open" step invites again: deduplicated

    async with db.reading() as conn:
        assert [r.id for r in await round_rows.open_rounds(conn)] == [round_.id]
    rows = await invitations(db)
    assert sorted(r.chat_id for r in rows) == sorted(PEOPLE.values())
    # Opened at midnight: the invitations wait for the morning's messaging window.
    assert {r.not_before for r in rows} == {kyiv(3, 11, 9)}
    [entry] = await auto_open_entries(db)
    assert (entry.entity, entry.entity_id, entry.actor_id) == ("round", round_.id, None)
    assert entry.after == {"period": Q1.code, "days_before": DAYS_BEFORE, "invited": len(PEOPLE)}


async def test_without_an_active_plan_nothing_opens(db: Database, clock: ManualClock) -> None:
    await seed(db, clock, plan=False)
    jobs = auto_jobs(db, clock)
    for moment in (kyiv(3, 11, 0), kyiv(3, 11, 10), kyiv(3, 24, 10)):
        clock.set(moment)
        assert await jobs.auto_open() == []
    async with db.reading() as conn:
        assert await round_rows.open_rounds(conn) == []
    assert await invitations(db) == []
    assert await auto_open_entries(db) == []


async def test_a_round_already_opened_by_hand_is_left_alone(
    db: Database, clock: ManualClock
) -> None:
    await seed(db, clock)
    manual = await open_q1(db, clock)  # Monday 2 March, by the coordinator
    jobs = auto_jobs(db, clock)
    clock.set(kyiv(3, 11, 10))
    assert await jobs.auto_open() == []
    async with db.reading() as conn:
        assert [r.id for r in await round_rows.open_rounds(conn)] == [manual.id]
    assert await auto_open_entries(db) == []


async def test_days_before_zero_never_opens_anything(db: Database, clock: ManualClock) -> None:
    await seed(db, clock)
    jobs = jobs_for(db, clock)
    for day in range(1, 26):
        clock.set(kyiv(3, day, 10))
        assert await jobs.auto_open() == []
    assert await auto_open_entries(db) == []


async def test_the_running_bot_opens_the_round_from_settings_and_invites_once(
    tmp_path: Path, clock: ManualClock
) -> None:
    async with reminder_world(tmp_path, clock, auto_open_days_before=DAYS_BEFORE) as zvit:
        assert zvit.bot is not None and AUTO_OPEN_JOB_ID in zvit.bot.ticker.job_ids
        await zvit.seed_registry()
        await save_demo_plan(zvit)
        users = [await zvit.bound_person(*person) for person in (BOHDAN, NATALIA)]
        await zvit.at(kyiv(3, 10, 17))
        await zvit.quiet(*users)

        await zvit.at(kyiv(3, 11, 9))
        for user in users:
            assert INVITED in (await user.next_message()).text
        await zvit.quiet(*users)  # many ticks later: no second invitation
        for user in users:
            sent = [
                e for e in zvit.emulator.transcript(user.id)
                if e["kind"] == "bot_message" and INVITED in e["message"]["text"]
            ]  # fmt: skip
            assert len(sent) == 1
        [entry] = await auto_open_entries(zvit.db)
        assert entry.after is not None and entry.after["invited"] == 2

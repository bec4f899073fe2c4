"""The reminder jobs driven tick by tick: downtime, quiet hours and snoozes, the clock by hand."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Mapping
from datetime import date, timedelta

import pytest

from core.calendar import WorkCalendar
from core.clock import ManualClock
from core.deadlines import DeadlineRule
from core.models import Round
from core.periods import Period
from core.reminders import ReminderPolicy, snooze_until
from demo.plan_data import plan_docx
from demo.registry_data import registry_csv
from emulator.server import TelegramEmulator
from reports.plan_reader import read_plan
from reports.registry_reader import read_registry
from scheduler.reminders import ReminderJobs
from scheduler.sender import OutboxSender
from services.reminders import ReminderLetters
from storage import outbox, plans, registry
from storage import reminders as store
from storage import rounds as round_rows
from storage.database import Database
from storage.outbox import OutboxMessage, OutboxState
from storage.reminders import PlanState
from tests.outbox.test_sender import TOKEN, bot_for
from tests.reminders.test_ladder import BEFORE_1, BEFORE_3, BEFORE_7, DEADLINE, KYIV, kyiv

CALENDAR = WorkCalendar()
POLICY = ReminderPolicy()
RULE = DeadlineRule()
PEOPLE = {1: 5001, 2: 5002, 4: 5004}  # person id → Telegram id, as in test_ladder
Q1 = Period.quarter(2026, 1)
Q1_DEADLINE = date(2026, 3, 25)  # Wednesday
LOGGER = "services.reminder_ladder"


async def seed(
    db: Database, clock: ManualClock, people: Mapping[int, int] = PEOPLE, *, plan: bool = True
) -> None:
    """The demo registry, the given persons bound, and (unless told not to) the active plan."""
    now = clock.now()
    async with db.transaction() as conn:
        sheet = read_registry("registry.csv", registry_csv())
        await registry.import_sheet(conn, sheet, actor_id=None, now=now)
        for person_id, telegram_id in people.items():
            person = await registry.get_person(conn, person_id)
            assert person is not None
            await registry.bind_person(conn, person, telegram_id, now=now)
        if plan:
            draft = read_plan("plan.docx", plan_docx(), default_title="План")
            await plans.save_plan(
                conn, draft, years=(2026, 2027), indicators=(), source_name="plan.docx",
                actor_id=None, now=now,
            )  # fmt: skip


async def open_q1(db: Database, clock: ManualClock) -> Round:
    """The I quarter's round, opened now (the clock's start: Monday 2 March, 10:00 Kyiv)."""
    async with db.transaction() as conn:
        plan = await plans.active_plan(conn, 2026)
        assert plan is not None
        enterprises = await registry.list_enterprises(conn, active_only=True)
        round_ = await round_rows.open_round(
            conn, plan_id=plan.id, period=Q1, deadline=Q1_DEADLINE,
            enterprise_ids=[e.id for e in enterprises], actor_id=None, now=clock.now(),
        )  # fmt: skip
    assert round_ is not None
    return round_


def jobs_for(db: Database, clock: ManualClock, *, auto_open_days_before: int = 0) -> ReminderJobs:
    return ReminderJobs(
        db,
        clock,
        ReminderLetters(CALENDAR, POLICY),
        calendar=CALENDAR,
        policy=POLICY,
        deadline_rule=RULE,
        auto_open_days_before=auto_open_days_before,
    )


async def reminder_rows(db: Database, kind: str | None = None) -> list[OutboxMessage]:
    """The ladder's outbox rows (`reminder:<round>:<person>:<kind>`), of one kind if given."""
    async with db.reading() as conn:
        rows = await outbox.with_key_prefix(conn, "reminder:")
    return [r for r in rows if kind is None or r.dedupe_key.rsplit(":", 1)[1] == kind]


async def persons_reminded(db: Database, kind: str) -> list[int]:
    return sorted(r.person_id or 0 for r in await reminder_rows(db, kind))


async def plan_states(db: Database, round_id: int) -> dict[str, tuple[PlanState, str | None]]:
    async with db.reading() as conn:
        return {r.kind: (r.state, r.reason) for r in await store.plan_of(conn, round_id)}


@pytest.fixture
async def round_q1(db: Database, clock: ManualClock) -> AsyncIterator[Round]:
    """Registry, plan, three bound persons, the I quarter's round, and its invitations queued."""
    await seed(db, clock)
    round_ = await open_q1(db, clock)
    report = await jobs_for(db, clock).tick()
    assert report.sent == (f"{round_.id}:open",)
    yield round_


# --- Downtime: stale reminders are dropped, fresh ones sent once ------------------------------


async def test_before_3_found_only_after_the_deadline_is_dropped_and_never_queued(
    db: Database, clock: ManualClock, round_q1: Round, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger=LOGGER)
    jobs = jobs_for(db, clock)
    clock.set(kyiv(3, 26, 0, 30))  # the bot was down from before the ladder to past the deadline
    report = await jobs.tick()

    labels = {f"{round_q1.id}:{kind}" for kind in ("before-7", "before-3", "before-1")}
    assert set(report.dropped) == labels
    assert report.sent == (f"{round_q1.id}:deadline",)  # only the latest, worded as overdue
    states = await plan_states(db, round_q1.id)
    assert states["before-3"] == (PlanState.DROPPED, "superseded by deadline")
    assert f"round {round_q1.id}: reminder before-3 dropped, superseded by deadline" in (
        caplog.messages
    )
    for kind in ("before-7", "before-3", "before-1"):
        assert await reminder_rows(db, kind) == []
    late = await reminder_rows(db, "deadline")
    assert len(late) == len(PEOPLE)
    assert all("Строк подання минув 25.03.2026" in str(r.payload["text"]) for r in late)

    clock.advance(timedelta(hours=1))  # later ticks neither revive nor resend anything
    again = await jobs.tick()
    assert again.sent == again.dropped == ()
    assert len(await reminder_rows(db)) == len(PEOPLE)


async def test_before_3_found_past_the_staleness_window_is_dropped_as_stale(
    db: Database, clock: ManualClock, round_q1: Round, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger=LOGGER)
    jobs = jobs_for(db, clock)
    clock.set(BEFORE_7)
    assert (await jobs.tick()).sent == (f"{round_q1.id}:before-7",)

    clock.set(BEFORE_3 + POLICY.staleness + timedelta(minutes=1))  # down from Friday to Saturday
    report = await jobs.tick()
    assert report.sent == () and report.dropped == (f"{round_q1.id}:before-3",)
    assert (await plan_states(db, round_q1.id))["before-3"] == (PlanState.DROPPED, "stale")
    assert f"round {round_q1.id}: reminder before-3 dropped, stale" in caplog.messages
    assert await reminder_rows(db, "before-3") == []

    clock.set(BEFORE_1)  # the ladder goes on as planned
    assert (await jobs.tick()).sent == (f"{round_q1.id}:before-1",)
    assert len(await reminder_rows(db, "before-1")) == len(PEOPLE)
    assert await reminder_rows(db, "before-3") == []


async def test_before_3_found_within_the_staleness_window_is_queued_once(
    db: Database, clock: ManualClock, round_q1: Round
) -> None:
    jobs = jobs_for(db, clock)
    clock.set(BEFORE_7)
    await jobs.tick()
    clock.set(BEFORE_3 + timedelta(hours=7))  # Friday 17:00: seven hours late, still in time
    assert (await jobs.tick()).sent == (f"{round_q1.id}:before-3",)
    for _ in range(3):
        clock.advance(timedelta(minutes=20))
        assert (await jobs.tick()).sent == ()
    rows = await reminder_rows(db, "before-3")
    assert sorted(r.chat_id for r in rows) == sorted(PEOPLE.values())
    assert all(r.not_before == clock.now() - timedelta(hours=1) for r in rows)
    assert (await plan_states(db, round_q1.id))["before-3"] == (PlanState.SENT, None)


# --- Quiet hours ------------------------------------------------------------------------------


async def test_a_reminder_caught_up_on_saturday_goes_out_on_monday_at_nine(
    db: Database, clock: ManualClock, round_q1: Round
) -> None:
    emulator = TelegramEmulator(token=TOKEN)
    await emulator.start()
    bot = bot_for(emulator.base_url)
    for telegram_id in PEOPLE.values():
        emulator.create_user(telegram_id, f"U{telegram_id}", started=True)
    sender = OutboxSender(db, bot, clock, per_chat_interval=0.01)
    jobs = jobs_for(db, clock)
    try:
        await sender.drain(1.0)  # the invitations, on Monday 2 March
        clock.set(BEFORE_7)
        await jobs.tick()
        await sender.drain(1.0)
        calls_before = len(emulator.calls)

        saturday = kyiv(3, 21, 4)  # before-3 (Friday 10:00) found 18 hours late, on Saturday
        clock.set(saturday)
        assert (await jobs.tick()).sent == (f"{round_q1.id}:before-3",)
        rows = await reminder_rows(db, "before-3")
        assert len(rows) == len(PEOPLE)
        assert {r.not_before.astimezone(KYIV) for r in rows} == {kyiv(3, 23, 9)}

        for moment in (
            saturday,
            kyiv(3, 21, 12),
            kyiv(3, 22, 17),
            kyiv(3, 23, 9) - timedelta(seconds=1),
        ):
            clock.set(moment)
            assert (await sender.drain(0.3)).sent == 0
            await jobs.tick()
        assert len(emulator.calls) == calls_before  # nothing at all on the weekend

        clock.set(kyiv(3, 23, 9))
        assert (await sender.drain(1.0)).sent == len(PEOPLE)
        for row in await reminder_rows(db, "before-3"):
            assert row.state is OutboxState.SENT and row.sent_at == kyiv(3, 23, 9)
        for telegram_id in PEOPLE.values():
            texts = [m["text"] for m in emulator.chat_messages(telegram_id)]
            assert sum("залишилося 2 робочі дні" in t for t in texts) == 1, texts
    finally:
        await bot.session.close()
        await emulator.stop()


async def test_the_ladder_itself_never_falls_due_outside_working_hours(
    db: Database, clock: ManualClock, round_q1: Round
) -> None:
    for row in jobs_for(db, clock).ladder(round_q1):
        assert CALENDAR.is_allowed_moment(row.due_at), row


# --- Snoozes ----------------------------------------------------------------------------------


async def test_a_step_due_inside_a_snooze_is_skipped_for_that_person_and_not_sent_later(
    db: Database, clock: ManualClock, round_q1: Round, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="services.reminders")
    jobs = jobs_for(db, clock)
    clock.set(BEFORE_3)
    await jobs.tick()

    # Богдан taps «Нагадати завтра» on Tuesday at 09:30, half an hour before before-1.
    tapped = kyiv(3, 24, 9, 30)
    clock.set(tapped)
    until = snooze_until(tapped, Q1_DEADLINE, CALENDAR, CALENDAR.quiet_start)
    assert until == DEADLINE
    async with db.transaction() as conn:
        await store.set_snooze(conn, round_q1.id, 2, until, now=tapped)

    clock.set(BEFORE_1)
    assert (await jobs.tick()).sent == (f"{round_q1.id}:before-1",)
    assert await persons_reminded(db, "before-1") == [1, 4]
    assert f"round {round_q1.id}: person 2 snoozed before-1" in caplog.messages
    for hours in (1, 4, 7):  # later the same day: before-1 stays skipped for him
        clock.set(BEFORE_1 + timedelta(hours=hours))
        await jobs.tick()
        assert await persons_reminded(db, "before-1") == [1, 4]

    clock.set(DEADLINE)  # the snooze ends as the deadline reminder falls due: one, not both
    report = await jobs.tick()
    assert report.sent == (f"{round_q1.id}:deadline",) and report.snoozes_fired == 0
    assert await persons_reminded(db, "deadline") == [1, 2, 4]
    bohdan = [r.dedupe_key for r in await reminder_rows(db) if r.person_id == 2]
    assert bohdan == [f"reminder:{round_q1.id}:2:{kind}" for kind in ("before-3", "deadline")]
    async with db.reading() as conn:
        assert not (await store.snoozes_of(conn, round_q1.id))[2].waiting

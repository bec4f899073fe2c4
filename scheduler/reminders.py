"""The reminder jobs: keep each open round's ladder in the DB, send what is due once, auto-open.

Catch-up after downtime: of the ladder's reminders found due at once, only the latest goes out
(if not stale); the earlier ones are dropped as superseded. One up-to-date reminder beats a burst
of outdated ones. The escalation to coordinators is not part of the ladder and always goes out.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import aiosqlite

from core.calendar import WorkCalendar
from core.clock import Clock
from core.deadlines import DeadlineRule, auto_open_date, deadline_for
from core.models import PeriodKind, Round, RoundState
from core.periods import Period
from core.reminders import (
    OPEN,
    PlannedReminder,
    ReminderPolicy,
    escalation_at,
    is_stale,
    plan_reminders,
)
from scheduler.runner import Ticker
from services import rounds
from services.reminders import ReminderLetters
from storage import audit
from storage import reminders as store
from storage import rounds as round_rows
from storage.database import Database
from storage.reminders import PlanState

log = logging.getLogger(__name__)

ESCALATION = "escalation"
REMINDER_JOB_ID = "reminders.tick"
AUTO_OPEN_JOB_ID = "rounds.auto_open"


@dataclass(frozen=True, slots=True)
class TickReport:
    """What one tick decided, as "round:kind" labels."""

    sent: tuple[str, ...] = ()
    dropped: tuple[str, ...] = ()
    snoozes_fired: int = 0


class ReminderJobs:
    """The periodic work; holds no state between runs, the DB says what is due."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        post: ReminderLetters,
        *,
        calendar: WorkCalendar,
        policy: ReminderPolicy,
        deadline_rule: DeadlineRule,
        auto_open_days_before: int = 0,
    ) -> None:
        self._db = db
        self._clock = clock
        self._post = post
        self._calendar = calendar
        self._policy = policy
        self._rule = deadline_rule
        self._auto_open_days = auto_open_days_before

    def ladder(self, round_: Round) -> tuple[PlannedReminder, ...]:
        """The round's full plan: the person ladder, then the coordinators' escalation."""
        steps = plan_reminders(round_.opened_at, round_.deadline, self._calendar, self._policy)
        escalation = escalation_at(round_.deadline, self._calendar, self._policy)
        return (*steps, PlannedReminder(ESCALATION, escalation))

    async def tick(self) -> TickReport:
        """Bring every open round's plan up to date and act on whatever has fallen due."""
        async with self._db.reading() as conn:
            rounds = await round_rows.open_rounds(conn)
        sent: list[str] = []
        dropped: list[str] = []
        fired = 0
        for round_ in rounds:
            # One transaction per round: the plan row and its outbox rows commit together, and
            # BEGIN IMMEDIATE makes a second process wait, then find the row already settled.
            async with self._db.transaction() as conn:
                fresh = await round_rows.get_round(conn, round_.id)
                if fresh is None or fresh.state is not RoundState.OPEN:
                    continue
                report = await self._tick_round(conn, fresh, self._clock.now())
            sent += report.sent
            dropped += report.dropped
            fired += report.snoozes_fired
        return TickReport(tuple(sent), tuple(dropped), fired)

    async def _tick_round(
        self, conn: aiosqlite.Connection, round_: Round, now: datetime
    ) -> TickReport:
        planned = self.ladder(round_)
        await store.sync_plan(conn, round_.id, planned, now=now)
        order = {r.kind: index for index, r in enumerate(planned)}
        due = await store.due_rows(conn, round_.id, now)
        sent: list[str] = []
        dropped: list[str] = []

        async def drop(kind: str, reason: str) -> None:
            await store.decide(conn, round_.id, kind, PlanState.DROPPED, now=now, reason=reason)
            dropped.append(f"{round_.id}:{kind}")
            log.info("round %s: reminder %s dropped, %s", round_.id, kind, reason)

        ladder = sorted(
            (row for row in due if row.kind != ESCALATION),
            key=lambda row: (row.due_at, order.get(row.kind, -1)),
        )
        if ladder:
            *missed, latest = ladder
            for row in missed:
                await drop(row.kind, f"superseded by {latest.kind}")
            reminder = latest.planned
            if is_stale(reminder, now, round_.deadline, self._calendar, self._policy):
                await drop(reminder.kind, "stale")
            else:
                if reminder.kind == OPEN:
                    queued = await self._post.invite(conn, round_, now)
                else:
                    skip = await self._snoozed(conn, round_, reminder)
                    queued = await self._post.remind(conn, round_, reminder, now, skip=skip)
                await store.decide(conn, round_.id, reminder.kind, PlanState.SENT, now=now)
                sent.append(f"{round_.id}:{reminder.kind}")
                log.info("round %s: reminder %s queued for %d", round_.id, reminder.kind, queued)
        if any(row.kind == ESCALATION for row in due):
            listed = await self._post.escalate(conn, round_, now)
            await store.decide(conn, round_.id, ESCALATION, PlanState.SENT, now=now)
            sent.append(f"{round_.id}:{ESCALATION}")
            log.info("round %s: escalated %d missing reports", round_.id, listed)
        fired = await self._fire_snoozes(conn, round_, now)
        return TickReport(tuple(sent), tuple(dropped), fired)

    async def _snoozed(
        self, conn: aiosqlite.Connection, round_: Round, reminder: PlannedReminder
    ) -> frozenset[int]:
        """Persons whose snooze outlasts this reminder (skipped, never sent later); a snooze
        that ends before it is used up, so the person does not get both."""
        skip = set()
        for person_id, snooze in (await store.snoozes_of(conn, round_.id)).items():
            if snooze.until > reminder.due_at:
                skip.add(person_id)
            elif snooze.waiting:
                await store.finish_snooze(conn, round_.id, person_id)
        return frozenset(skip)

    async def _fire_snoozes(self, conn: aiosqlite.Connection, round_: Round, now: datetime) -> int:
        fired = 0
        for snooze in await store.due_snoozes(conn, round_.id, now):
            await store.finish_snooze(conn, round_.id, snooze.person_id)
            late = now > snooze.until + self._policy.staleness
            if late or now >= self._calendar.end_of_day_utc(round_.deadline):
                log.info(
                    "round %s: snoozed reminder of person %s dropped, stale",
                    round_.id,
                    snooze.person_id,
                )
                continue
            fired += await self._post.remind_snoozed(conn, round_, snooze, now)
        return fired

    async def auto_open(self) -> list[Round]:
        """Open the quarter's round `auto_open_days_before` days before its default deadline.

        The previous quarter is looked at too, for deadlines that fall in the next quarter.
        Idempotent through the rounds' UNIQUE period key.
        """
        if self._auto_open_days <= 0:
            return []
        now = self._clock.now()
        today = self._calendar.local_date(now)
        current = Period.containing(today, PeriodKind.QUARTER)
        previous = Period.containing(current.start - timedelta(days=1), PeriodKind.QUARTER)
        opened = []
        for period in (previous, current):
            deadline = deadline_for(period, self._rule, self._calendar)
            if not auto_open_date(deadline, self._auto_open_days) <= today <= deadline:
                continue
            async with self._db.transaction() as conn:
                round_ = await self._open(conn, period, deadline, now)
            if round_ is not None:
                opened.append(round_)
        return opened

    async def _open(
        self, conn: aiosqlite.Connection, period: Period, deadline: date, now: datetime
    ) -> Round | None:
        if await round_rows.round_for(conn, period) is not None:
            return None
        opened = await rounds.open_round(
            conn, period, deadline, actor_id=None, calendar=self._calendar, now=now
        )
        if isinstance(opened, rounds.Refusal):
            return None
        await audit.record(
            conn,
            at=now,
            actor_id=None,
            action="round.auto_open",
            entity="round",
            entity_id=opened.round.id,
            after={
                "period": period.code,
                "days_before": self._auto_open_days,
                "invited": opened.notified,
            },
        )
        log.info(
            "round %s for %s opened by itself, %d invited",
            opened.round.id,
            period.code,
            opened.notified,
        )
        return opened.round


def register_reminder_jobs(
    ticker: Ticker,
    db: Database,
    clock: Clock,
    post: ReminderLetters,
    *,
    calendar: WorkCalendar,
    policy: ReminderPolicy,
    deadline_rule: DeadlineRule,
    auto_open_days_before: int = 0,
    every: float = 30.0,
) -> ReminderJobs:
    """Put the reminder tick (and, if enabled, the auto-open check) on the ticker."""
    jobs = ReminderJobs(
        db,
        clock,
        post,
        calendar=calendar,
        policy=policy,
        deadline_rule=deadline_rule,
        auto_open_days_before=auto_open_days_before,
    )

    async def tick() -> None:
        await jobs.tick()

    async def open_rounds() -> None:
        await jobs.auto_open()

    ticker.add_job(REMINDER_JOB_ID, tick, every)
    if auto_open_days_before > 0:
        ticker.add_job(AUTO_OPEN_JOB_ID, open_rounds, every)
    return jobs

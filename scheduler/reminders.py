"""The reminder jobs on the ticker: the ladder's tick and the round that opens by itself.

Each job is one use case call; what is due, sent, superseded or stale is decided there
(`services.reminder_ladder`, `core.reminders.settle`) and in the DB, so a job holds no state.
"""

from __future__ import annotations

from core.calendar import WorkCalendar
from core.clock import Clock
from core.deadlines import DeadlineRule
from core.models import Round
from core.reminders import PlannedReminder, ReminderPolicy, ladder
from scheduler.runner import Ticker
from services import reminder_ladder, rounds
from services.reminder_ladder import TickReport
from services.reminders import ReminderLetters
from storage.database import Database

REMINDER_JOB_ID = "reminders.tick"
AUTO_OPEN_JOB_ID = "rounds.auto_open"


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
        return ladder(round_.opened_at, round_.deadline, self._calendar, self._policy)

    async def tick(self) -> TickReport:
        """Bring every open round's plan up to date and act on whatever has fallen due."""
        return await reminder_ladder.run_ladders(
            self._db, self._clock, self._post, calendar=self._calendar, policy=self._policy
        )

    async def auto_open(self) -> list[Round]:
        """Open the quarter's round `auto_open_days_before` days before its default deadline."""
        return await rounds.auto_open(
            self._db,
            self._clock,
            calendar=self._calendar,
            rule=self._rule,
            days_before=self._auto_open_days,
        )


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

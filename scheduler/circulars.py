"""The circular reminder job: a thin tick over services.circular_tracking.remind_unacknowledged."""

from __future__ import annotations

from core.calendar import WorkCalendar
from core.clock import Clock
from scheduler.runner import Ticker
from services import circular_tracking
from storage.database import Database

JOB_ID = "circulars.remind"
JOB_EVERY_SECONDS = 300.0


async def remind_unacknowledged(
    db: Database, clock: Clock, calendar: WorkCalendar, working_days: int
) -> int:
    """One run of the job: the reminders due now; the number queued."""
    return await circular_tracking.remind_unacknowledged(
        db, calendar, now=clock.now(), working_days=working_days
    )


def register_circular_reminders(
    ticker: Ticker,
    db: Database,
    clock: Clock,
    calendar: WorkCalendar,
    working_days: int,
    *,
    every: float = JOB_EVERY_SECONDS,
) -> None:
    """Put the reminder job on the ticker; it reads the DB afresh on every run."""

    async def run() -> None:
        await remind_unacknowledged(db, clock, calendar, working_days)

    ticker.add_job(JOB_ID, run, every)

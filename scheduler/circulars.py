"""The circular reminder job: one reminder to each person who has not acknowledged in time."""

from __future__ import annotations

import logging
from datetime import date, timedelta

from core.calendar import WorkCalendar
from core.clock import Clock
from scheduler.runner import Ticker
from services import circulars as circular_use
from services import notify
from storage import audit, circulars
from storage.database import Database
from templates import render

log = logging.getLogger(__name__)

JOB_ID = "circulars.remind"
JOB_EVERY_SECONDS = 300.0


def last_day_due(today: date, working_days: int, calendar: WorkCalendar) -> date:
    """The latest sending day whose N working days have passed by `today`."""
    day = today
    while calendar.add_working_days(day, working_days) > today:
        day -= timedelta(days=1)
    return day


async def remind_unacknowledged(
    db: Database, clock: Clock, calendar: WorkCalendar, working_days: int
) -> int:
    """Queue the one reminder for each delivered, unacknowledged circular that is due.

    Safe to run at any rate: `reminded_at` and the outbox key both say "done", in one transaction.
    """
    now = clock.now()
    due = last_day_due(calendar.local_date(now), working_days, calendar)
    queued = 0
    async with db.transaction() as conn:
        for receipt in await circulars.unreminded(conn, sent_before=calendar.end_of_day_utc(due)):
            circular = await circulars.get(conn, receipt.circular_id)
            if circular is None or circular.sent_at is None:
                continue
            added = await circular_use.remind(
                conn,
                receipt,
                key=notify.circular_reminder_key(circular.id, receipt.person_id),
                text=render(
                    "circulars/reminder.html", sent_on=calendar.local_date(circular.sent_at)
                ),
                calendar=calendar,
                now=now,
            )
            await circulars.mark_reminded(conn, circular.id, receipt.person_id, now=now)
            if added:
                queued += 1
                await audit.record(
                    conn, at=now, actor_id=None, action="circular.remind", entity="circular",
                    entity_id=circular.id, after={"person_id": receipt.person_id, "auto": True},
                )  # fmt: skip
    if queued:
        log.info("circular reminders queued: %d", queued)
    return queued


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

"""The reminder ladder's tick: keep each open round's plan in the DB and act on what fell due.

Which due step is sent, superseded or stale is `core.reminders.settle`; this use case stores
the plan, records each decision and queues the letters (`services.reminders.ReminderLetters`)
in the same transaction, one per round, so a restart or a second process never repeats a step.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from core.calendar import WorkCalendar
from core.clock import Clock
from core.models import Round, RoundState
from core.reminders import (
    ESCALATION,
    OPEN,
    PlannedReminder,
    ReminderPolicy,
    ladder,
    settle,
    snooze_is_stale,
    snooze_skips,
)
from services.reminders import ReminderLetters
from storage import reminders as store
from storage import rounds as round_rows
from storage.database import Database
from storage.reminders import PlanState

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class TickReport:
    """What one tick decided, as "round:kind" labels."""

    sent: tuple[str, ...] = ()
    dropped: tuple[str, ...] = ()
    snoozes_fired: int = 0


async def run_ladders(
    db: Database,
    clock: Clock,
    letters: ReminderLetters,
    *,
    calendar: WorkCalendar,
    policy: ReminderPolicy,
) -> TickReport:
    """Bring every open round's plan up to date and act on whatever has fallen due.

    One transaction per round, not one for the tick: the plan row and its outbox rows commit
    together, and BEGIN IMMEDIATE makes a second process wait, then find the row settled.
    """
    async with db.reading() as conn:
        rounds = await round_rows.open_rounds(conn)
    sent: list[str] = []
    dropped: list[str] = []
    fired = 0
    for round_ in rounds:
        async with db.transaction() as conn:
            fresh = await round_rows.get_round(conn, round_.id)
            if fresh is None or fresh.state is not RoundState.OPEN:
                continue
            report = await _tick_round(conn, fresh, clock.now(), letters, calendar, policy)
        sent += report.sent
        dropped += report.dropped
        fired += report.snoozes_fired
    return TickReport(tuple(sent), tuple(dropped), fired)


async def _tick_round(
    conn: aiosqlite.Connection,
    round_: Round,
    now: datetime,
    letters: ReminderLetters,
    calendar: WorkCalendar,
    policy: ReminderPolicy,
) -> TickReport:
    planned = ladder(round_.opened_at, round_.deadline, calendar, policy)
    await store.sync_plan(conn, round_.id, planned, now=now)
    due = [row.planned for row in await store.due_rows(conn, round_.id, now)]
    settled = settle(due, planned, now, round_.deadline, calendar, policy)
    sent: list[str] = []
    dropped: list[str] = []
    for kind, reason in settled.dropped:
        await store.decide(conn, round_.id, kind, PlanState.DROPPED, now=now, reason=reason)
        dropped.append(f"{round_.id}:{kind}")
        log.info("round %s: reminder %s dropped, %s", round_.id, kind, reason)
    if (reminder := settled.send) is not None:
        if reminder.kind == OPEN:
            queued = await letters.invite(conn, round_, now)
        else:
            skip = await _snoozed(conn, round_, reminder)
            queued = await letters.remind(conn, round_, reminder, now, skip=skip)
        await store.decide(conn, round_.id, reminder.kind, PlanState.SENT, now=now)
        sent.append(f"{round_.id}:{reminder.kind}")
        log.info("round %s: reminder %s queued for %d", round_.id, reminder.kind, queued)
    if settled.escalate:
        listed = await letters.escalate(conn, round_, now)
        await store.decide(conn, round_.id, ESCALATION, PlanState.SENT, now=now)
        sent.append(f"{round_.id}:{ESCALATION}")
        log.info("round %s: escalated %d missing reports", round_.id, listed)
    fired = await _fire_snoozes(conn, round_, now, letters, calendar, policy)
    return TickReport(tuple(sent), tuple(dropped), fired)


async def _snoozed(
    conn: aiosqlite.Connection, round_: Round, reminder: PlannedReminder
) -> frozenset[int]:
    """Persons this step skips; a waiting snooze that ends before it is used up by it."""
    skip = set()
    for person_id, snooze in (await store.snoozes_of(conn, round_.id)).items():
        if snooze_skips(snooze.until, reminder):
            skip.add(person_id)
        elif snooze.waiting:
            await store.finish_snooze(conn, round_.id, person_id)
    return frozenset(skip)


async def _fire_snoozes(
    conn: aiosqlite.Connection,
    round_: Round,
    now: datetime,
    letters: ReminderLetters,
    calendar: WorkCalendar,
    policy: ReminderPolicy,
) -> int:
    fired = 0
    for snooze in await store.due_snoozes(conn, round_.id, now):
        await store.finish_snooze(conn, round_.id, snooze.person_id)
        if snooze_is_stale(snooze.until, now, round_.deadline, calendar, policy):
            log.info(
                "round %s: snoozed reminder of person %s dropped, stale",
                round_.id,
                snooze.person_id,
            )
            continue
        fired += await letters.remind_snoozed(conn, round_, snooze, now)
    return fired

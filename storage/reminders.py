"""Reminder tables: each round's ladder and its fate, snoozes, overdue marks, recipients."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

import aiosqlite

from core.models import Enterprise, Person, Report
from core.reminders import PlannedReminder
from storage import registry, reporting
from storage.codec import parse_ts, ts
from storage.database import fetch_all

# Reports still owed: the people behind them are reminded.


class PlanState(StrEnum):
    PLANNED = "planned"
    SENT = "sent"
    DROPPED = "dropped"


@dataclass(frozen=True, slots=True)
class PlanRow:
    round_id: int
    kind: str
    due_at: datetime
    state: PlanState
    reason: str | None

    @property
    def planned(self) -> PlannedReminder:
        return PlannedReminder(self.kind, self.due_at)


@dataclass(frozen=True, slots=True)
class Snooze:
    round_id: int
    person_id: int
    until: datetime
    waiting: bool


@dataclass(frozen=True, slots=True)
class Owing:
    """A report not handed in, its enterprise, and whom Telegram can reach about it."""

    report: Report
    enterprise: Enterprise
    reachable: tuple[Person, ...]
    persons: tuple[Person, ...]


def _aware(value: str) -> datetime:
    moment = parse_ts(value)
    assert moment is not None
    return moment


def _row(row: aiosqlite.Row) -> PlanRow:
    return PlanRow(
        round_id=row["round_id"],
        kind=row["kind"],
        due_at=_aware(row["due_at"]),
        state=PlanState(row["state"]),
        reason=row["reason"],
    )


# --- The plan ---------------------------------------------------------------------------------


async def sync_plan(
    conn: aiosqlite.Connection,
    round_id: int,
    planned: Sequence[PlannedReminder],
    *,
    now: datetime,
) -> int:
    """Make the stored plan match `planned`; returns how many rows changed.

    Idempotent: an unchanged plan writes nothing. A sent row stays sent whatever its new time.
    An unsent row takes the new due time; a dropped one comes back only when its new time is
    still ahead (a deadline extended past a reminder that had gone stale). Planned kinds that
    left the plan are dropped.
    """
    changed = 0
    for reminder in planned:
        cursor = await conn.execute(
            "INSERT INTO reminder_plan (round_id, kind, due_at) VALUES (?, ?, ?)"
            " ON CONFLICT (round_id, kind) DO UPDATE SET due_at = excluded.due_at,"
            " state = CASE WHEN state = 'dropped' AND excluded.due_at > ? THEN 'planned'"
            "  ELSE state END,"
            " reason = CASE WHEN state = 'dropped' AND excluded.due_at > ? THEN NULL"
            "  ELSE reason END"
            " WHERE state != 'sent' AND due_at != excluded.due_at",
            (round_id, reminder.kind, ts(reminder.due_at), ts(now), ts(now)),
        )
        changed += cursor.rowcount
    kinds = {r.kind for r in planned}
    for row in await plan_of(conn, round_id):
        if row.state is PlanState.PLANNED and row.kind not in kinds:
            changed += await decide(
                conn, round_id, row.kind, PlanState.DROPPED, now=now, reason="not in plan"
            )
    return changed


async def plan_of(conn: aiosqlite.Connection, round_id: int) -> list[PlanRow]:
    rows = await fetch_all(
        conn,
        "SELECT * FROM reminder_plan WHERE round_id = ? ORDER BY due_at, kind",
        (round_id,),
    )
    return [_row(row) for row in rows]


async def due_rows(conn: aiosqlite.Connection, round_id: int, now: datetime) -> list[PlanRow]:
    rows = await fetch_all(
        conn,
        "SELECT * FROM reminder_plan WHERE round_id = ? AND state = 'planned' AND due_at <= ?"
        " ORDER BY due_at, kind",
        (round_id, ts(now)),
    )
    return [_row(row) for row in rows]


async def decide(
    conn: aiosqlite.Connection,
    round_id: int,
    kind: str,
    state: PlanState,
    *,
    now: datetime,
    reason: str | None = None,
) -> bool:
    """Settle a planned row as sent or dropped; False if it was settled already."""
    cursor = await conn.execute(
        "UPDATE reminder_plan SET state = ?, reason = ?, decided_at = ?"
        " WHERE round_id = ? AND kind = ? AND state = 'planned'",
        (state.value, reason, ts(now), round_id, kind),
    )
    return cursor.rowcount == 1


# --- Snoozes ----------------------------------------------------------------------------------


def _snooze(row: aiosqlite.Row) -> Snooze:
    return Snooze(
        round_id=row["round_id"],
        person_id=row["person_id"],
        until=_aware(row["until"]),
        waiting=row["state"] == "waiting",
    )


async def set_snooze(
    conn: aiosqlite.Connection, round_id: int, person_id: int, until: datetime, *, now: datetime
) -> None:
    await conn.execute(
        "INSERT INTO reminder_snoozes (round_id, person_id, until, created_at)"
        " VALUES (?, ?, ?, ?) ON CONFLICT (round_id, person_id) DO UPDATE SET"
        " until = excluded.until, state = 'waiting', created_at = excluded.created_at",
        (round_id, person_id, ts(until), ts(now)),
    )


async def snoozes_of(conn: aiosqlite.Connection, round_id: int) -> dict[int, Snooze]:
    rows = await fetch_all(conn, "SELECT * FROM reminder_snoozes WHERE round_id = ?", (round_id,))
    return {row["person_id"]: _snooze(row) for row in rows}


async def due_snoozes(conn: aiosqlite.Connection, round_id: int, now: datetime) -> list[Snooze]:
    rows = await fetch_all(
        conn,
        "SELECT * FROM reminder_snoozes WHERE round_id = ? AND state = 'waiting' AND until <= ?"
        " ORDER BY until, person_id",
        (round_id, ts(now)),
    )
    return [_snooze(row) for row in rows]


async def finish_snooze(conn: aiosqlite.Connection, round_id: int, person_id: int) -> bool:
    cursor = await conn.execute(
        "UPDATE reminder_snoozes SET state = 'done'"
        " WHERE round_id = ? AND person_id = ? AND state = 'waiting'",
        (round_id, person_id),
    )
    return cursor.rowcount == 1


# --- Overdue marks ----------------------------------------------------------------------------


async def mark_overdue(
    conn: aiosqlite.Connection, round_id: int, person_ids: Collection[int], *, now: datetime
) -> int:
    marked = 0
    for person_id in sorted(person_ids):
        cursor = await conn.execute(
            "INSERT INTO overdue_persons (round_id, person_id, marked_at) VALUES (?, ?, ?)"
            " ON CONFLICT (round_id, person_id) DO NOTHING",
            (round_id, person_id, ts(now)),
        )
        marked += cursor.rowcount
    return marked


async def overdue_of(conn: aiosqlite.Connection, round_id: int) -> frozenset[int]:
    rows = await fetch_all(
        conn, "SELECT person_id FROM overdue_persons WHERE round_id = ?", (round_id,)
    )
    return frozenset(row["person_id"] for row in rows)


# --- Who is owed a reminder -------------------------------------------------------------------


async def owing(
    conn: aiosqlite.Connection, round_id: int, report_ids: Collection[int] | None = None
) -> list[Owing]:
    """Reports of active enterprises not handed in, in registry order, with their persons.

    Reachable: bound, active and not known to have blocked the bot; the enterprise's own
    persons and a substitute the coordinator assigned to the report.
    """
    found = []
    for report in await reporting.reports_of_round(conn, round_id):
        if not report.owed or (report_ids is not None and report.id not in report_ids):
            continue
        enterprise = await registry.get_enterprise(conn, report.enterprise_id)
        if enterprise is None or not enterprise.active:
            continue
        persons = list(await registry.persons_of(conn, enterprise.id))
        if report.assignee_id is not None and all(p.id != report.assignee_id for p in persons):
            substitute = await registry.get_person(conn, report.assignee_id)
            if substitute is not None:
                persons.append(substitute)
        reachable = tuple(p for p in persons if p.fills_reports and p.reachable)
        found.append(Owing(report, enterprise, reachable, tuple(persons)))
    return found

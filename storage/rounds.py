"""Rounds of report collection: opening one with a report per enterprise, its deadline, closing."""

from __future__ import annotations

from datetime import date, datetime

import aiosqlite

from core.models import (
    PeriodKind,
    Round,
    RoundState,
)
from core.periods import Period
from storage import audit
from storage.codec import Row, parse_day, parse_ts, ts
from storage.database import fetch_all, fetch_one


def round_from_row(row: Row) -> Round:
    return Round(
        id=row["id"],
        plan_id=row["plan_id"],
        period_kind=PeriodKind(row["period_kind"]),
        period_number=row["period_number"],
        year=row["year"],
        as_of=parse_day(row["as_of"]) or date.min,
        deadline=parse_day(row["deadline"]) or date.min,
        state=RoundState(row["state"]),
        opened_at=parse_ts(row["opened_at"]) or datetime.min,
    )


async def open_round(
    conn: aiosqlite.Connection,
    *,
    plan_id: int,
    period: Period,
    deadline: date,
    enterprise_ids: list[int],
    actor_id: int | None,
    now: datetime,
) -> Round | None:
    """Create the round and one report per enterprise; None if the period already has one."""
    cursor = await conn.execute(
        "INSERT INTO rounds (plan_id, period_kind, period_number, year, as_of, deadline,"
        " opened_at, opened_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (year, period_kind, period_number) DO NOTHING",
        (
            plan_id,
            period.kind.value,
            period.number,
            period.year,
            period.end.isoformat(),
            deadline.isoformat(),
            ts(now),
            actor_id,
        ),
    )
    if cursor.rowcount != 1:
        return None
    round_id = int(cursor.lastrowid or 0)
    for enterprise_id in enterprise_ids:
        await conn.execute(
            "INSERT INTO reports (round_id, enterprise_id, updated_at) VALUES (?, ?, ?)",
            (round_id, enterprise_id, ts(now)),
        )
    opened = await get_round(conn, round_id)
    assert opened is not None
    await audit.record(
        conn,
        at=now,
        actor_id=actor_id,
        action="round.open",
        entity="round",
        entity_id=round_id,
        after=opened,
    )
    return opened


async def get_round(conn: aiosqlite.Connection, round_id: int) -> Round | None:
    row = await fetch_one(conn, "SELECT * FROM rounds WHERE id = ?", (round_id,))
    return round_from_row(row) if row else None


async def round_for(conn: aiosqlite.Connection, period: Period) -> Round | None:
    row = await fetch_one(
        conn,
        "SELECT * FROM rounds WHERE year = ? AND period_kind = ? AND period_number = ?",
        (period.year, period.kind.value, period.number),
    )
    return round_from_row(row) if row else None


async def open_rounds(conn: aiosqlite.Connection) -> list[Round]:
    rows = await fetch_all(conn, "SELECT * FROM rounds WHERE state = 'open' ORDER BY deadline")
    return [round_from_row(row) for row in rows]


async def latest_round(conn: aiosqlite.Connection) -> Round | None:
    """The open round with the latest deadline, else the one with the latest deadline of all."""
    row = await fetch_one(
        conn,
        "SELECT * FROM rounds ORDER BY state = 'open' DESC, deadline DESC, id DESC LIMIT 1",
    )
    return round_from_row(row) if row else None


async def rounds_within(conn: aiosqlite.Connection, period: Period) -> list[Round]:
    rows = await fetch_all(
        conn, "SELECT * FROM rounds WHERE year = ? ORDER BY as_of", (period.year,)
    )
    found = [round_from_row(row) for row in rows]
    return [r for r in found if period.contains(r.period)]


async def set_deadline(
    conn: aiosqlite.Connection,
    round_: Round,
    deadline: date,
    *,
    actor_id: int | None,
    now: datetime,
) -> Round:
    return await audit.updated(
        conn,
        "UPDATE rounds SET deadline = ? WHERE id = ?",
        (deadline.isoformat(), round_.id),
        before=round_,
        reread=get_round,
        action="round.deadline",
        entity="round",
        actor_id=actor_id,
        now=now,
    )


async def close_round(
    conn: aiosqlite.Connection, round_: Round, *, actor_id: int | None, now: datetime
) -> Round:
    return await audit.updated(
        conn,
        "UPDATE rounds SET state = 'closed', closed_at = ? WHERE id = ? AND state = 'open'",
        (ts(now), round_.id),
        before=round_,
        reread=get_round,
        action="round.close",
        entity="round",
        actor_id=actor_id,
        now=now,
    )

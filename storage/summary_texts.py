"""The coordinator's replacements for a period's drafted report texts, audited."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from core.summary import TextEdit
from storage import audit
from storage.codec import parse_ts, ts
from storage.database import fetch_all, fetch_one


def _edit(row: aiosqlite.Row) -> TextEdit:
    return TextEdit(
        slot=row["slot"],
        text=row["text"],
        basis=row["basis"],
        edited_at=parse_ts(row["updated_at"]) or datetime.min,
        edited_by=row["updated_by"],
    )


async def edits(conn: aiosqlite.Connection, period_code: str) -> dict[str, TextEdit]:
    rows = await fetch_all(conn, "SELECT * FROM summary_texts WHERE period = ?", (period_code,))
    return {row["slot"]: _edit(row) for row in rows}


async def get(conn: aiosqlite.Connection, period_code: str, slot: str) -> TextEdit | None:
    row = await fetch_one(
        conn, "SELECT * FROM summary_texts WHERE period = ? AND slot = ?", (period_code, slot)
    )
    return _edit(row) if row else None


async def save(
    conn: aiosqlite.Connection,
    period_code: str,
    slot: str,
    text: str,
    basis: str,
    *,
    actor_id: int | None,
    now: datetime,
) -> TextEdit:
    """Store (or replace) the text of one slot for the period."""
    before = await get(conn, period_code, slot)
    await conn.execute(
        "INSERT INTO summary_texts (period, slot, text, basis, updated_at, updated_by)"
        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (period, slot) DO UPDATE SET"
        " text = excluded.text, basis = excluded.basis, updated_at = excluded.updated_at,"
        " updated_by = excluded.updated_by",
        (period_code, slot, text, basis, ts(now), actor_id),
    )
    after = TextEdit(slot, text, basis, now, actor_id)
    await audit.record(
        conn,
        at=now,
        actor_id=actor_id,
        action="summary.text.edit",
        entity=f"summary:{period_code}",
        entity_id=None,
        before=before,
        after=after,
    )
    return after


async def revert(
    conn: aiosqlite.Connection, period_code: str, slot: str, *, actor_id: int | None, now: datetime
) -> TextEdit | None:
    """Drop the edit so the draft is used again; returns what was dropped (None: nothing)."""
    before = await get(conn, period_code, slot)
    if before is None:
        return None
    await conn.execute(
        "DELETE FROM summary_texts WHERE period = ? AND slot = ?", (period_code, slot)
    )
    await audit.record(
        conn,
        at=now,
        actor_id=actor_id,
        action="summary.text.revert",
        entity=f"summary:{period_code}",
        entity_id=None,
        before=before,
        after=None,
    )
    return before

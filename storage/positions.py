"""Where each person is in their questionnaire: the report, the step and the live window."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from storage.codec import Row, ts
from storage.database import fetch_one


@dataclass(frozen=True)
class Position:
    """Where a person is in the questionnaire: a report, a step, and the live window.

    `screen` is the token the live window's buttons carry (0: no live window); `message_id`
    is that window's message if it is known, kept only to take the buttons off it later.
    """

    report_id: int
    step: str
    screen: int
    message_id: int | None


async def position(conn: aiosqlite.Connection, person_id: int) -> Position | None:
    row = await fetch_one(
        conn,
        "SELECT report_id, step, screen, message_id FROM questionnaire_positions"
        " WHERE person_id = ?",
        (person_id,),
    )
    return position_from_row(row) if row is not None else None


def position_from_row(row: Row) -> Position:
    return Position(row["report_id"], row["step"], row["screen"], row["message_id"])


async def set_position(
    conn: aiosqlite.Connection,
    person_id: int,
    report_id: int,
    step: str,
    *,
    screen: int,
    message_id: int | None,
    now: datetime,
) -> None:
    """Store the step with the window that shows it (before that window is sent or edited)."""
    await conn.execute(
        "INSERT INTO questionnaire_positions"
        " (person_id, report_id, step, screen, message_id, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (person_id) DO UPDATE SET"
        " report_id = excluded.report_id, step = excluded.step, screen = excluded.screen,"
        " message_id = excluded.message_id, updated_at = excluded.updated_at",
        (person_id, report_id, step, screen, message_id, ts(now)),
    )


async def window_sent(
    conn: aiosqlite.Connection, person_id: int, screen: int, message_id: int
) -> None:
    """Remember which message shows the window `screen`, unless a newer window replaced it."""
    await conn.execute(
        "UPDATE questionnaire_positions SET message_id = ? WHERE person_id = ? AND screen = ?",
        (message_id, person_id, screen),
    )


async def clear_position(conn: aiosqlite.Connection, person_id: int) -> None:
    await conn.execute("DELETE FROM questionnaire_positions WHERE person_id = ?", (person_id,))

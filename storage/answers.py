"""A report's working copy: its answers, evidence and indicator values.

The first answer of any kind turns a not-started report into a draft (`Report.answered_state`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

import aiosqlite

from core.models import Answer, Attachment, MeasureStatus, Report, ReportState
from storage.codec import Row, parse_ts, ts
from storage.database import fetch_all


async def answers_of(conn: aiosqlite.Connection, report_id: int) -> dict[int, Answer]:
    rows = await fetch_all(conn, "SELECT * FROM answers WHERE report_id = ?", (report_id,))
    return answers_from_rows(rows)


def answers_from_rows(rows: Iterable[Row]) -> dict[int, Answer]:
    return {
        row["measure_id"]: Answer(
            measure_id=row["measure_id"],
            status=MeasureStatus(row["status"]) if row["status"] else None,
            narrative=row["narrative"],
            updated_at=parse_ts(row["updated_at"]),
        )
        for row in rows
    }


@dataclass(frozen=True, slots=True)
class Saved:
    """One measure's answer as a save stored it, and its report after that save."""

    report: Report
    answer: Answer


async def _touch_draft(conn: aiosqlite.Connection, report: Report, now: datetime) -> Report:
    """The report after an answer of any kind: a not-started one becomes a draft."""
    state = report.answered_state
    if state is report.state:
        return report
    rows = await fetch_all(
        conn,
        "UPDATE reports SET state = ?, updated_at = ? WHERE id = ? AND state = ? RETURNING state",
        (state.value, ts(now), report.id, report.state.value),
    )
    if not rows:  # `report` is older than the row (already a draft): what the row holds
        rows = await fetch_all(conn, "SELECT state FROM reports WHERE id = ?", (report.id,))
    return replace(report, state=ReportState(rows[0]["state"])) if rows else report


async def _saved(
    conn: aiosqlite.Connection,
    report: Report,
    upsert: str,
    params: tuple[object, ...],
    now: datetime,
) -> Saved:
    """Run an answer's upsert and read back (RETURNING) the row it left."""
    rows = await fetch_all(conn, upsert + " RETURNING *", params)
    return Saved(
        await _touch_draft(conn, report, now), next(iter(answers_from_rows(rows).values()))
    )


async def save_status(
    conn: aiosqlite.Connection,
    report: Report,
    measure_id: int,
    status: MeasureStatus,
    *,
    person_id: int,
    now: datetime,
) -> Saved:
    return await _saved(
        conn,
        report,
        "INSERT INTO answers (report_id, measure_id, status, updated_at, updated_by)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (report_id, measure_id) DO UPDATE SET"
        " status = excluded.status, updated_at = excluded.updated_at,"
        " updated_by = excluded.updated_by",
        (report.id, measure_id, status.value, ts(now), person_id),
        now,
    )


async def save_narrative(
    conn: aiosqlite.Connection,
    report: Report,
    measure_id: int,
    narrative: str,
    *,
    person_id: int,
    now: datetime,
) -> Saved:
    return await _saved(
        conn,
        report,
        "INSERT INTO answers (report_id, measure_id, narrative, updated_at, updated_by)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (report_id, measure_id) DO UPDATE SET"
        " narrative = excluded.narrative, updated_at = excluded.updated_at,"
        " updated_by = excluded.updated_by",
        (report.id, measure_id, narrative, ts(now), person_id),
        now,
    )


async def copy_answer(
    conn: aiosqlite.Connection,
    report: Report,
    measure_id: int,
    answer: Answer,
    *,
    person_id: int,
    now: datetime,
) -> None:
    if answer.status is None:
        return
    saved = await save_status(
        conn, report, measure_id, answer.status, person_id=person_id, now=now
    )
    await save_narrative(
        conn, saved.report, measure_id, answer.narrative, person_id=person_id, now=now
    )


# --- Evidence and indicators ------------------------------------------------------------------


async def add_attachment(
    conn: aiosqlite.Connection, report: Report, attachment: Attachment, *, now: datetime
) -> None:
    await conn.execute(
        "INSERT INTO attachments (report_id, measure_id, file_id, file_name, file_size, media,"
        " added_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            report.id,
            attachment.measure_id,
            attachment.file_id,
            attachment.file_name,
            attachment.file_size,
            attachment.media,
            ts(now),
        ),
    )
    await _touch_draft(conn, report, now)


async def attachments_of(conn: aiosqlite.Connection, report_id: int) -> list[Attachment]:
    rows = await fetch_all(
        conn, "SELECT * FROM attachments WHERE report_id = ? ORDER BY id", (report_id,)
    )
    return [attachment_from_row(row) for row in rows]


def attachment_from_row(row: Row) -> Attachment:
    return Attachment(
        measure_id=row["measure_id"],
        file_id=row["file_id"],
        file_name=row["file_name"],
        file_size=row["file_size"],
        media=row["media"],
    )


async def save_indicator(
    conn: aiosqlite.Connection, report: Report, code: str, value: int | None, *, now: datetime
) -> None:
    """Record a value, or None for a field the person chose to skip."""
    await conn.execute(
        "INSERT INTO indicator_values (report_id, code, value) VALUES (?, ?, ?)"
        " ON CONFLICT (report_id, code) DO UPDATE SET value = excluded.value",
        (report.id, code, value),
    )
    await _touch_draft(conn, report, now)


async def indicator_values(conn: aiosqlite.Connection, report_id: int) -> dict[str, int | None]:
    rows = await fetch_all(
        conn, "SELECT code, value FROM indicator_values WHERE report_id = ?", (report_id,)
    )
    return {row["code"]: row["value"] for row in rows}

"""Rounds and reports: answers, evidence, indicator values, versions, questionnaire places."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime

import aiosqlite

from core.models import (
    Answer,
    Attachment,
    MeasureStatus,
    Report,
    ReportData,
    ReportState,
    Round,
)
from storage import audit
from storage.codec import parse_ts, ts
from storage.database import fetch_all, fetch_one


def report_from_row(row: aiosqlite.Row) -> Report:
    return Report(
        id=row["id"],
        round_id=row["round_id"],
        enterprise_id=row["enterprise_id"],
        state=ReportState(row["state"]),
        version=row["version"],
        submitted_at=parse_ts(row["submitted_at"]),
        late=bool(row["late"]),
        assignee_id=row["assignee_id"],
        review_comment=row["review_comment"],
        editing=bool(row["editing"]),
    )


# --- Reports ----------------------------------------------------------------------------------


async def get_report(conn: aiosqlite.Connection, report_id: int) -> Report | None:
    row = await fetch_one(conn, "SELECT * FROM reports WHERE id = ?", (report_id,))
    return report_from_row(row) if row else None


async def report_of(
    conn: aiosqlite.Connection, round_id: int, enterprise_id: int
) -> Report | None:
    """The organisation's report in the round; None if it was not in the round's registry."""
    row = await fetch_one(
        conn,
        "SELECT * FROM reports WHERE round_id = ? AND enterprise_id = ?",
        (round_id, enterprise_id),
    )
    return report_from_row(row) if row else None


async def reports_of_round(conn: aiosqlite.Connection, round_id: int) -> list[Report]:
    rows = await fetch_all(
        conn,
        "SELECT r.* FROM reports r JOIN enterprises e ON e.id = r.enterprise_id"
        " WHERE r.round_id = ? ORDER BY e.position, e.id",
        (round_id,),
    )
    return [report_from_row(row) for row in rows]


async def reports_for_person(
    conn: aiosqlite.Connection, person_id: int, enterprise_id: int | None
) -> list[Report]:
    """Reports of open rounds this person may fill: their enterprise's, and any assigned."""
    rows = await fetch_all(
        conn,
        "SELECT r.* FROM reports r JOIN rounds d ON d.id = r.round_id"
        " WHERE d.state = 'open' AND (r.enterprise_id = ? OR r.assignee_id = ?)"
        " ORDER BY d.deadline, r.id",
        (enterprise_id, person_id),
    )
    return [report_from_row(row) for row in rows]


def may_fill(report: Report, person_id: int, enterprise_id: int | None) -> bool:
    """The enterprise's own person, or a substitute the coordinator assigned."""
    return report.enterprise_id == enterprise_id or report.assignee_id == person_id


async def set_state(
    conn: aiosqlite.Connection,
    report: Report,
    state: ReportState,
    *,
    actor_id: int | None,
    now: datetime,
    comment: str | None = None,
) -> Report:
    """Move a report to a new state, audited; `comment` is the coordinator's review note.

    Any change the person was making to a submitted report ends with it.
    """
    return await audit.updated(
        conn,
        "UPDATE reports SET state = ?, editing = 0, review_comment = COALESCE(?, review_comment),"
        " accepted_at = CASE WHEN ? = 'accepted' THEN ? ELSE accepted_at END, updated_at = ?"
        " WHERE id = ?",
        (state.value, comment, state.value, ts(now), ts(now), report.id),
        before=report,
        reread=get_report,
        action=f"report.{state.value}",
        entity="report",
        actor_id=actor_id,
        now=now,
    )


async def assign(
    conn: aiosqlite.Connection,
    report: Report,
    person_id: int | None,
    *,
    actor_id: int | None,
    now: datetime,
) -> Report:
    return await audit.updated(
        conn,
        "UPDATE reports SET assignee_id = ?, updated_at = ? WHERE id = ?",
        (person_id, ts(now), report.id),
        before=report,
        reread=get_report,
        action="report.assign",
        entity="report",
        actor_id=actor_id,
        now=now,
    )


# --- Answers ----------------------------------------------------------------------------------


async def answers_of(conn: aiosqlite.Connection, report_id: int) -> dict[int, Answer]:
    rows = await fetch_all(conn, "SELECT * FROM answers WHERE report_id = ?", (report_id,))
    return {
        row["measure_id"]: Answer(
            measure_id=row["measure_id"],
            status=MeasureStatus(row["status"]) if row["status"] else None,
            narrative=row["narrative"],
            updated_at=parse_ts(row["updated_at"]),
        )
        for row in rows
    }


async def _touch_draft(conn: aiosqlite.Connection, report: Report, now: datetime) -> None:
    """The first answer turns a not-started report into a draft."""
    if report.state is ReportState.NOT_STARTED:
        await conn.execute(
            "UPDATE reports SET state = 'draft', updated_at = ? WHERE id = ? AND state = ?",
            (ts(now), report.id, ReportState.NOT_STARTED.value),
        )


async def save_status(
    conn: aiosqlite.Connection,
    report: Report,
    measure_id: int,
    status: MeasureStatus,
    *,
    person_id: int,
    now: datetime,
) -> None:
    await conn.execute(
        "INSERT INTO answers (report_id, measure_id, status, updated_at, updated_by)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (report_id, measure_id) DO UPDATE SET"
        " status = excluded.status, updated_at = excluded.updated_at,"
        " updated_by = excluded.updated_by",
        (report.id, measure_id, status.value, ts(now), person_id),
    )
    await _touch_draft(conn, report, now)


async def save_narrative(
    conn: aiosqlite.Connection,
    report: Report,
    measure_id: int,
    narrative: str,
    *,
    person_id: int,
    now: datetime,
) -> None:
    await conn.execute(
        "INSERT INTO answers (report_id, measure_id, narrative, updated_at, updated_by)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (report_id, measure_id) DO UPDATE SET"
        " narrative = excluded.narrative, updated_at = excluded.updated_at,"
        " updated_by = excluded.updated_by",
        (report.id, measure_id, narrative, ts(now), person_id),
    )
    await _touch_draft(conn, report, now)


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
    await save_status(conn, report, measure_id, answer.status, person_id=person_id, now=now)
    await save_narrative(conn, report, measure_id, answer.narrative, person_id=person_id, now=now)


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
    return [
        Attachment(
            measure_id=r["measure_id"],
            file_id=r["file_id"],
            file_name=r["file_name"],
            file_size=r["file_size"],
            media=r["media"],
        )
        for r in rows
    ]


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


# --- Submission -------------------------------------------------------------------------------


async def submit(
    conn: aiosqlite.Connection, report: Report, *, late: bool, person_id: int | None, now: datetime
) -> Report:
    """Freeze the report as a new version with everything it holds, for disputes later.

    `person_id` is who handed it in; None when the department entered it for the organisation
    (a document read in by a coordinator not in the registry).
    """
    version = report.version + 1
    answers = await answers_of(conn, report.id)
    snapshot = {
        "answers": [asdict(a) for a in answers.values()],
        "attachments": [asdict(a) for a in await attachments_of(conn, report.id)],
        "indicators": await indicator_values(conn, report.id),
    }
    await conn.execute(
        "INSERT INTO report_versions (report_id, version, submitted_at, submitted_by, late,"
        " snapshot_json) VALUES (?, ?, ?, ?, ?, ?)",
        (
            report.id,
            version,
            ts(now),
            person_id,
            int(late),
            json.dumps(snapshot, ensure_ascii=False, default=str),
        ),
    )
    return await audit.updated(
        conn,
        "UPDATE reports SET state = 'submitted', version = ?, submitted_at = ?, late = ?,"
        " editing = 0, updated_at = ? WHERE id = ?",
        (version, ts(now), int(late), ts(now), report.id),
        before=report,
        reread=get_report,
        action="report.submit",
        entity="report",
        actor_id=person_id,
        now=now,
    )


async def submitted_by(conn: aiosqlite.Connection, report: Report) -> int | None:
    """The person who submitted the report's current version (None: never submitted)."""
    row = await fetch_one(
        conn,
        "SELECT submitted_by FROM report_versions WHERE report_id = ? AND version = ?",
        (report.id, report.version),
    )
    return int(row["submitted_by"]) if row and row["submitted_by"] is not None else None


async def report_data(conn: aiosqlite.Connection, report: Report, round_: Round) -> ReportData:
    values = await indicator_values(conn, report.id)
    return ReportData(
        report=report,
        round=round_,
        answers=tuple((await answers_of(conn, report.id)).values()),
        attachments=tuple(await attachments_of(conn, report.id)),
        indicator_values={code: v for code, v in values.items() if v is not None},
    )

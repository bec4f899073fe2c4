"""The reports table (a report per organisation and round) and its submitted versions."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime

import aiosqlite

from core.models import (
    Report,
    ReportData,
    ReportState,
    Round,
)
from storage import audit
from storage.answers import answers_of, attachments_of, indicator_values
from storage.codec import Row, parse_ts, ts
from storage.database import fetch_all, fetch_one


def report_from_row(row: Row) -> Report:
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


# --- Waiting for the coordinator ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HandedIn:
    """One submitted version, as the coordinators' tally counts it (report_versions.id)."""

    version_id: int
    report_id: int
    version: int
    late: bool
    enterprise: str  # the organisation's display name


async def version_id(conn: aiosqlite.Connection, report: Report) -> int:
    """The report_versions row of the report's current version."""
    row = await fetch_one(
        conn,
        "SELECT id FROM report_versions WHERE report_id = ? AND version = ?",
        (report.id, report.version),
    )
    assert row is not None, "the report was never submitted"
    return int(row["id"])


async def handed_in_since(conn: aiosqlite.Connection, since: int) -> list[HandedIn]:
    """Versions a person handed in from report_versions row `since` on, in order (those the
    department entered from a document, with no person, are not counted)."""
    rows = await fetch_all(
        conn,
        "SELECT v.id, v.report_id, v.version, v.late,"
        " COALESCE(NULLIF(e.short_name, ''), e.name) AS name FROM report_versions v"
        " JOIN reports r ON r.id = v.report_id JOIN enterprises e ON e.id = r.enterprise_id"
        " WHERE v.id >= ? AND v.submitted_by IS NOT NULL ORDER BY v.id",
        (since,),
    )
    return [
        HandedIn(row["id"], row["report_id"], row["version"], bool(row["late"]), row["name"])
        for row in rows
    ]


async def waiting_for_decision(conn: aiosqlite.Connection) -> list[Report]:
    """Reports handed in and not yet accepted or returned, the longest waiting first."""
    rows = await fetch_all(
        conn, "SELECT * FROM reports WHERE state = 'submitted' ORDER BY submitted_at, id", ()
    )
    return [report_from_row(row) for row in rows]

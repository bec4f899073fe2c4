"""A report's submitted versions: what counts while the person changes a submitted report.

The answers, evidence and indicator rows are the person's working copy. Once a report is
handed in, the summary, the review card and the organisation's own report read the submitted
version (frozen in report_versions at each submission) instead, so changes not yet submitted
never reach the department.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import aiosqlite

from core.models import Answer, Attachment, MeasureStatus, Report, ReportData, Round
from storage import audit
from storage.answers import add_attachment, save_indicator
from storage.codec import ts
from storage.database import fetch_all, fetch_one
from storage.reporting import get_report, report_data, report_from_row


@dataclass(frozen=True, slots=True)
class SubmittedVersion:
    answers: dict[int, Answer]  # by measure id
    attachments: list[Attachment] = field(default_factory=list)
    indicators: dict[str, int | None] = field(default_factory=dict)


def _answer(item: dict[str, Any]) -> Answer:
    status = item.get("status")
    return Answer(
        measure_id=int(item["measure_id"]),
        status=MeasureStatus(status) if status else None,
        narrative=str(item.get("narrative") or ""),
    )


async def submitted(conn: aiosqlite.Connection, report: Report) -> SubmittedVersion | None:
    """The report's current submitted version; None if it was never submitted."""
    row = await fetch_one(
        conn,
        "SELECT snapshot_json FROM report_versions WHERE report_id = ? AND version = ?",
        (report.id, report.version),
    )
    return parse_snapshot(row["snapshot_json"]) if row is not None else None


def parse_snapshot(snapshot_json: str) -> SubmittedVersion:
    """A submitted version as frozen in `report_versions.snapshot_json`."""
    snapshot = json.loads(snapshot_json)
    answers = [_answer(item) for item in snapshot.get("answers", [])]
    return SubmittedVersion(
        answers={a.measure_id: a for a in answers},
        attachments=[
            Attachment(
                measure_id=int(a["measure_id"]),
                file_id=str(a["file_id"]),
                file_name=str(a["file_name"]),
                file_size=int(a["file_size"]),
                media=str(a.get("media", "document")),
            )
            for a in snapshot.get("attachments", [])
        ],
        indicators={str(k): v for k, v in snapshot.get("indicators", {}).items()},
    )


def by_number(version: SubmittedVersion, numbers: Mapping[int, str]) -> dict[str, Answer]:
    """A version's answers keyed by measure number (`numbers`: its plan's measure ids)."""
    return {numbers[a.measure_id]: a for a in version.answers.values() if a.measure_id in numbers}


async def start_editing(
    conn: aiosqlite.Connection, report: Report, *, actor_id: int | None, now: datetime
) -> Report:
    """The person changes a submitted report; the submitted version keeps counting."""
    return await audit.updated(
        conn,
        "UPDATE reports SET editing = 1, updated_at = ? WHERE id = ?",
        (ts(now), report.id),
        before=report,
        reread=get_report,
        action="report.edit",
        entity="report",
        actor_id=actor_id,
        now=now,
    )


async def restore_working_copy(conn: aiosqlite.Connection, report: Report, now: datetime) -> None:
    """Put the submitted version back as the working copy, dropping changes not submitted."""
    version = await submitted(conn, report)
    if version is None:
        return
    await clear_working_copy(conn, report, indicators=True)
    await write_answers(conn, report, version.answers.values(), now)
    # The report is handed in, so these do not turn it back into a draft.
    for attachment in version.attachments:
        await add_attachment(conn, report, attachment, now=now)
    for code, value in version.indicators.items():
        await save_indicator(conn, report, code, value, now=now)


async def clear_working_copy(
    conn: aiosqlite.Connection, report: Report, *, indicators: bool
) -> None:
    """Drop the working copy's answers and evidence (and its indicator values if asked)."""
    tables = ("answers", "attachments", "indicator_values")[: 3 if indicators else 2]
    for table in tables:
        await conn.execute(f"DELETE FROM {table} WHERE report_id = ?", (report.id,))  # noqa: S608


async def write_answers(
    conn: aiosqlite.Connection, report: Report, answers: Iterable[Answer], now: datetime
) -> None:
    """Write whole answers into a cleared working copy (not a person's step: no author)."""
    for answer in answers:
        await conn.execute(
            "INSERT INTO answers (report_id, measure_id, status, narrative, updated_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (
                report.id,
                answer.measure_id,
                answer.status.value if answer.status else None,
                answer.narrative,
                ts(now),
            ),
        )


async def submitted_data(conn: aiosqlite.Connection, report: Report, round_: Round) -> ReportData:
    """A handed-in report as the department sees it: its submitted version, not the drafts."""
    version = await submitted(conn, report)
    if version is None:
        return await report_data(conn, report, round_)
    return ReportData(
        report=report,
        round=round_,
        answers=tuple(version.answers.values()),
        attachments=tuple(version.attachments),
        indicator_values={k: v for k, v in version.indicators.items() if v is not None},
    )


async def previous_answers(
    conn: aiosqlite.Connection, round_: Round, enterprise_id: int
) -> dict[str, Answer]:
    """This enterprise's answers as last submitted in an earlier round, by measure number.

    Matching by number keeps "як минулого разу" working across plan versions; the submitted
    version, not the working copy, so changes never submitted are not offered again.
    """
    row = await _previous_report(conn, round_, enterprise_id)
    version = await submitted(conn, report_from_row(row)) if row is not None else None
    if row is None or version is None:
        return {}
    numbers = {
        r["id"]: r["number"]
        for r in await fetch_all(
            conn,
            "SELECT m.id, m.number FROM measures m JOIN rounds d ON d.plan_id = m.plan_id"
            " JOIN reports r ON r.round_id = d.id WHERE r.id = ?",
            (row["id"],),
        )
    }
    return by_number(version, numbers)


async def _previous_report(
    conn: aiosqlite.Connection, round_: Round, enterprise_id: int
) -> aiosqlite.Row | None:
    """The enterprise's report handed in for the latest earlier round (of two on one date,
    such as a fourth quarter and its year, the one opened last)."""
    return await fetch_one(
        conn,
        "SELECT r.* FROM reports r JOIN rounds d ON d.id = r.round_id"
        " WHERE r.enterprise_id = ? AND d.as_of < ? AND r.version > 0"
        " ORDER BY d.as_of DESC, d.id DESC LIMIT 1",
        (enterprise_id, round_.as_of.isoformat()),
    )

"""Organisations' own report documents read in by the coordinator: pending until confirmed,
then saved as that organisation's submitted report (a new version), with the file as evidence.

The rows read are stored, not the match: matching is pure and fast, so the preview and the
save compute it alike from the same rows and the round's plan.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime
from enum import StrEnum

import aiosqlite

from core.models import Answer, Attachment, Enterprise, Measure, Report, ReportState, Round
from core.report_import import ImportedRow, ImportMatch, match_rows
from storage import answers as answer_rows
from storage import audit, plans, registry, report_versions, reporting
from storage import rounds as round_rows
from storage.codec import ts
from storage.database import fetch_one


@dataclass(frozen=True, slots=True)
class PendingImport:
    id: int
    filename: str
    file_id: str  # "" when read from the command line
    file_size: int
    sha256: str
    round_id: int
    enterprise_id: int | None  # None while the coordinator is asked which organisation
    rows: tuple[ImportedRow, ...]


@dataclass(frozen=True, slots=True)
class Prepared:
    """A pending import with whose report it fills and what its rows say."""

    pending: PendingImport
    round: Round
    enterprise: Enterprise
    report: Report
    match: ImportMatch


class Refusal(StrEnum):
    GONE = "gone"  # saved, cancelled or unknown
    NO_ENTERPRISE = "no_enterprise"  # the organisation is not chosen yet
    NOT_IN_ROUND = "not_in_round"  # the organisation has no report in that round
    ACCEPTED = "accepted"  # the department accepted the report: it is not replaced


async def stash(
    conn: aiosqlite.Connection, pending: PendingImport, *, telegram_id: int | None, now: datetime
) -> int:
    """Keep a document read in until the coordinator decides; returns its id."""
    cursor = await conn.execute(
        "INSERT INTO report_imports (telegram_id, filename, file_id, file_size, sha256,"
        " round_id, enterprise_id, rows_json, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            telegram_id,
            pending.filename,
            pending.file_id,
            pending.file_size,
            pending.sha256,
            pending.round_id,
            pending.enterprise_id,
            json.dumps([asdict(r) for r in pending.rows], ensure_ascii=False),
            ts(now),
        ),
    )
    return int(cursor.lastrowid or 0)


async def pending_import(conn: aiosqlite.Connection, import_id: int) -> PendingImport | None:
    """A still-pending import; None once saved, cancelled or unknown."""
    row = await fetch_one(
        conn, "SELECT * FROM report_imports WHERE id = ? AND state = 'pending'", (import_id,)
    )
    if row is None:
        return None
    return PendingImport(
        id=row["id"],
        filename=row["filename"],
        file_id=row["file_id"],
        file_size=row["file_size"],
        sha256=row["sha256"],
        round_id=row["round_id"],
        enterprise_id=row["enterprise_id"],
        rows=tuple(ImportedRow(**item) for item in json.loads(row["rows_json"])),
    )


async def choose_enterprise(
    conn: aiosqlite.Connection, import_id: int, enterprise_id: int
) -> bool:
    cursor = await conn.execute(
        "UPDATE report_imports SET enterprise_id = ? WHERE id = ? AND state = 'pending'",
        (enterprise_id, import_id),
    )
    return cursor.rowcount == 1


async def cancel(conn: aiosqlite.Connection, import_id: int) -> bool:
    cursor = await conn.execute(
        "UPDATE report_imports SET state = 'cancelled' WHERE id = ? AND state = 'pending'",
        (import_id,),
    )
    return cursor.rowcount == 1


async def prepare(conn: aiosqlite.Connection, import_id: int) -> Prepared | Refusal:
    """The pending import matched against its round's plan, or why it cannot be saved."""
    pending = await pending_import(conn, import_id)
    return Refusal.GONE if pending is None else await match_pending(conn, pending)


async def match_pending(conn: aiosqlite.Connection, pending: PendingImport) -> Prepared | Refusal:
    """A document read in (stashed or not yet) matched against its round's plan."""
    if pending.enterprise_id is None:
        return Refusal.NO_ENTERPRISE
    round_ = await round_rows.get_round(conn, pending.round_id)
    enterprise = await registry.get_enterprise(conn, pending.enterprise_id)
    assert round_ is not None and enterprise is not None, "foreign keys"
    report = await reporting.report_of(conn, round_.id, enterprise.id)
    if report is None:
        return Refusal.NOT_IN_ROUND
    if report.state is ReportState.ACCEPTED:
        return Refusal.ACCEPTED
    measures: list[Measure] = [
        m for m in await plans.measures(conn, round_.plan_id) if m.applies_to(enterprise.kind)
    ]
    match = match_rows(pending.rows, measures)
    return Prepared(pending, round_, enterprise, report, match)


async def save(
    conn: aiosqlite.Connection,
    prepared: Prepared,
    *,
    late: bool,
    person_id: int | None,
    actor_id: int | None,
    now: datetime,
) -> Report:
    """Replace the report's answers and evidence with the document's and submit them as a new
    version; the indicator values stay (a document carries none). Audited; call it in the
    transaction that prepared it."""
    report, pending = prepared.report, prepared.pending
    await report_versions.clear_working_copy(conn, report, indicators=False)
    await report_versions.write_answers(
        conn,
        report,
        (Answer(m.measure.id, m.status, m.row.progress) for m in prepared.match.matched),
        now,
    )
    if pending.file_id:
        # The document is the evidence of every answer it gave.
        for matched in prepared.match.matched:
            evidence = Attachment(
                matched.measure.id, pending.file_id, pending.filename, pending.file_size
            )
            await answer_rows.add_attachment(conn, report, evidence, now=now)
    submitted = await reporting.submit(conn, report, late=late, person_id=person_id, now=now)
    await conn.execute(
        "UPDATE report_imports SET state = 'saved', report_id = ?, version = ? WHERE id = ?",
        (report.id, submitted.version, pending.id),
    )
    await audit.record(
        conn,
        at=now,
        actor_id=actor_id,
        action="report.import",
        entity="report",
        entity_id=report.id,
        before=report,
        after={
            **(audit.snapshot(submitted) or {}),
            "source": pending.filename,
            "sha256": pending.sha256,
            "matched": len(prepared.match.matched),
            "unmatched": len(prepared.match.unmatched),
            "missing": len(prepared.match.missing),
        },
    )
    return submitted

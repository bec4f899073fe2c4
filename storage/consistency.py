"""Cross-table consistency checks: what the schema's constraints cannot say on their own.

Used by the fuzz invariants and by anyone who suspects a damaged database; reads only.
"""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite

from core.models import PersonRole, PersonStatus, ReportState
from core.questionnaire import Step
from storage.database import fetch_all, fetch_one

_SUBMITTED_ONCE = (ReportState.SUBMITTED, ReportState.RETURNED, ReportState.ACCEPTED)
_OUTBOX_STATES = ("pending", "sending", "sent", "failed", "dropped")


@dataclass(frozen=True, slots=True)
class Problem:
    """One broken rule: which check, and the rows that break it."""

    check: str
    detail: str


async def _orphans(conn: aiosqlite.Connection, check: str, sql: str) -> list[Problem]:
    rows = await fetch_all(conn, sql)
    return [Problem(check, ", ".join(f"{k}={row[k]}" for k in row.keys())) for row in rows]


async def integrity(conn: aiosqlite.Connection) -> list[Problem]:
    """SQLite's own page-level check and the foreign keys, which ON only enforces on writes."""
    problems = []
    row = await fetch_one(conn, "PRAGMA integrity_check")
    if row is None or row[0] != "ok":
        problems.append(Problem("integrity_check", str(row[0] if row else "no answer")))
    for fk in await fetch_all(conn, "PRAGMA foreign_key_check"):
        problems.append(Problem("foreign_key_check", f"{fk[0]} rowid={fk[1]} -> {fk[2]}"))
    return problems


async def reporting(conn: aiosqlite.Connection) -> list[Problem]:
    """Reports, answers, evidence, indicator values, versions and questionnaire positions."""
    problems: list[Problem] = []
    problems += await _orphans(
        conn,
        "answer_without_report",
        "SELECT a.report_id, a.measure_id FROM answers a"
        " LEFT JOIN reports r ON r.id = a.report_id WHERE r.id IS NULL",
    )
    problems += await _orphans(
        conn,
        "answer_outside_plan",
        "SELECT a.report_id, a.measure_id FROM answers a"
        " JOIN reports r ON r.id = a.report_id JOIN rounds d ON d.id = r.round_id"
        " JOIN measures m ON m.id = a.measure_id WHERE m.plan_id != d.plan_id",
    )
    problems += await _orphans(
        conn,
        "report_of_unknown_round",
        "SELECT r.id AS report_id, r.round_id FROM reports r"
        " LEFT JOIN rounds d ON d.id = r.round_id WHERE d.id IS NULL",
    )
    problems += await _orphans(
        conn,
        "attachment_without_report",
        "SELECT t.id AS attachment_id, t.report_id FROM attachments t"
        " LEFT JOIN reports r ON r.id = t.report_id WHERE r.id IS NULL",
    )
    problems += await _orphans(
        conn,
        "indicator_value_without_report",
        "SELECT v.report_id, v.code FROM indicator_values v"
        " LEFT JOIN reports r ON r.id = v.report_id WHERE r.id IS NULL",
    )
    valid = {state.value for state in ReportState}
    submitted_once = {state.value for state in _SUBMITTED_ONCE}
    versions: dict[int, list[int]] = {}
    for row in await fetch_all(
        conn, "SELECT report_id, version FROM report_versions ORDER BY report_id, version"
    ):
        versions.setdefault(row["report_id"], []).append(row["version"])
    for row in await fetch_all(
        conn, "SELECT id, state, version, submitted_at, accepted_at FROM reports"
    ):
        report = f"report_id={row['id']}, state={row['state']}, version={row['version']}"
        if row["state"] not in valid:
            problems.append(Problem("report_state_invalid", report))
        if row["state"] in submitted_once and (row["version"] < 1 or not row["submitted_at"]):
            problems.append(Problem("report_submitted_without_version", report))
        if row["state"] == ReportState.ACCEPTED and not row["accepted_at"]:
            problems.append(Problem("report_accepted_without_time", report))
        frozen = versions.pop(row["id"], [])
        if frozen != list(range(1, row["version"] + 1)):
            problems.append(Problem("report_versions_not_contiguous", f"{report}, kept={frozen}"))
    for report_id, frozen in versions.items():
        problems.append(Problem("version_without_report", f"report_id={report_id}, {frozen}"))
    problems += await _positions(conn)
    return problems


async def _positions(conn: aiosqlite.Connection) -> list[Problem]:
    problems: list[Problem] = []
    rows = await fetch_all(
        conn,
        "SELECT q.person_id, q.report_id, q.step, r.id AS found, d.plan_id"
        " FROM questionnaire_positions q LEFT JOIN reports r ON r.id = q.report_id"
        " LEFT JOIN rounds d ON d.id = r.round_id",
    )
    for row in rows:
        where = f"person_id={row['person_id']}, report_id={row['report_id']}, step={row['step']}"
        if row["found"] is None:
            problems.append(Problem("position_without_report", where))
            continue
        try:
            step = Step.parse(row["step"])
        except ValueError:
            problems.append(Problem("position_step_invalid", where))
            continue
        if step.kind.on_measure:
            measure = await fetch_one(
                conn,
                "SELECT 1 FROM measures WHERE id = ? AND plan_id = ?",
                (step.ref, row["plan_id"]),
            )
            if measure is None:
                problems.append(Problem("position_measure_outside_plan", where))
    return problems


async def registry(conn: aiosqlite.Connection) -> list[Problem]:
    """Persons, invites and the outbox: values the code relies on being one of a known few."""
    problems: list[Problem] = []
    statuses = {status.value for status in PersonStatus}
    roles = {role.value for role in PersonRole}
    for row in await fetch_all(
        conn, "SELECT id, telegram_id, bound_at, status, role FROM persons"
    ):
        person = f"person_id={row['id']}"
        if row["status"] not in statuses or row["role"] not in roles:
            problems.append(Problem("person_status_or_role_invalid", person))
        if (row["telegram_id"] is None) != (row["bound_at"] is None):
            problems.append(Problem("person_binding_half_done", person))
    problems += await _orphans(
        conn,
        "invite_used_by_nobody",
        "SELECT id AS invite_id FROM invites WHERE used_at IS NOT NULL AND used_by IS NULL",
    )
    placeholders = ", ".join("?" for _ in _OUTBOX_STATES)
    for row in await fetch_all(
        conn,
        f"SELECT id, state FROM outbox WHERE state NOT IN ({placeholders})"  # noqa: S608
        " OR (state = 'sent' AND sent_at IS NULL)",
        _OUTBOX_STATES,
    ):
        problems.append(Problem("outbox_state_invalid", f"outbox_id={row['id']}"))
    return problems


async def check(conn: aiosqlite.Connection) -> list[Problem]:
    """Every check; an empty list means the database is consistent."""
    return [*await integrity(conn), *await reporting(conn), *await registry(conn)]

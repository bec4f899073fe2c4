"""A report with everything a questionnaire screen reads about it, in one statement.

Every button press and typed answer reads the report, its round and organisation, its working
copy (answers, indicator values, evidence), the organisation's last submitted report and the
person's position. Read one query each, that was a dozen trips to aiosqlite's thread per update
(docs/benchmarks.md); here it is one SELECT, which SQLite runs as one consistent read, with the
owned rows packed as JSON (`storage.json_rows`) and decoded by each table's own decoder.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import aiosqlite

from core.models import Answer, Attachment, Enterprise, Report, Round
from storage.answers import answers_from_rows, attachment_from_row
from storage.database import fetch_one
from storage.json_rows import json_object_sql, many, one
from storage.positions import Position, position_from_row
from storage.registry import enterprise_from_row
from storage.report_versions import by_number, parse_snapshot
from storage.reporting import report_from_row
from storage.rounds import round_from_row


@dataclass(frozen=True, slots=True)
class ReportRows:
    """One report as `read_report` found it, with `data_version` of that same read (for the
    plan cache, `storage.database.connection_cache`)."""

    report: Report
    round: Round
    enterprise: Enterprise
    answers: dict[int, Answer]
    values: dict[str, int | None]
    attachments: list[Attachment]
    previous: dict[str, Answer]  # last submitted earlier report's answers, by measure number
    previous_values: dict[str, int | None]
    position: Position | None  # the person's, whichever report it is on
    data_version: int


async def _query(conn: aiosqlite.Connection) -> str:
    report = await json_object_sql(conn, "reports", "r")
    round_ = await json_object_sql(conn, "rounds", "d")
    enterprise = await json_object_sql(conn, "enterprises", "e")
    answer = await json_object_sql(conn, "answers", "a")
    attachment = await json_object_sql(conn, "attachments", "f")
    position = await json_object_sql(conn, "questionnaire_positions", "q")
    # The previous report: the organisation's report handed in for the latest earlier round,
    # with its current submitted version and its plan's measure numbers (previous_answers).
    previous = (
        "SELECT json_object('snapshot', v.snapshot_json, 'numbers',"
        " json((SELECT json_group_object(m.id, m.number) FROM measures m"
        " WHERE m.plan_id = pd.plan_id)))"
        " FROM reports p JOIN rounds pd ON pd.id = p.round_id"
        " LEFT JOIN report_versions v ON v.report_id = p.id AND v.version = p.version"
        " WHERE p.enterprise_id = r.enterprise_id AND pd.as_of < d.as_of AND p.version > 0"
        " ORDER BY pd.as_of DESC, pd.id DESC LIMIT 1"
    )
    # Only column names from the schema are formatted in; every value is a parameter.
    return (
        "SELECT (SELECT data_version FROM pragma_data_version) AS data_version,"  # noqa: S608
        f" {report} AS report, {round_} AS round, {enterprise} AS enterprise,"
        f" (SELECT json_group_array({answer}) FROM answers a WHERE a.report_id = r.id)"
        " AS answers,"
        " (SELECT json_group_object(i.code, i.value) FROM indicator_values i"
        " WHERE i.report_id = r.id) AS indicator_values,"
        f" (SELECT json_group_array({attachment}) FROM attachments f WHERE f.report_id = r.id)"
        " AS attachments,"
        f" (SELECT {position} FROM questionnaire_positions q WHERE q.person_id = :person)"
        " AS position,"
        f" ({previous}) AS previous"
        " FROM reports r JOIN rounds d ON d.id = r.round_id"
        " JOIN enterprises e ON e.id = r.enterprise_id"
        " WHERE r.id = COALESCE(:report, (SELECT report_id FROM questionnaire_positions"
        " WHERE person_id = :person))"
    )


def _by_id(row: Mapping[str, Any]) -> int:
    return int(row["id"])  # a JSON array keeps no order SQLite promises: in order of adding


async def read_report(
    conn: aiosqlite.Connection, person_id: int, report_id: int | None
) -> ReportRows | None:
    """The report `report_id` (None: the one the person's position is on) with its context and
    the person's position; None if there is no such report. Whose it is, the caller decides."""
    row = await fetch_one(conn, await _query(conn), {"report": report_id, "person": person_id})
    if row is None:
        return None
    report_row, round_row, enterprise_row = (
        one(row["report"]),
        one(row["round"]),
        one(row["enterprise"]),
    )
    assert report_row is not None and round_row is not None and enterprise_row is not None
    place = one(row["position"])
    previous = one(row["previous"])
    version = parse_snapshot(previous["snapshot"]) if previous and previous["snapshot"] else None
    numbers = {int(k): str(v) for k, v in (previous["numbers"] if previous else {}).items()}
    return ReportRows(
        report=report_from_row(report_row),
        round=round_from_row(round_row),
        enterprise=enterprise_from_row(enterprise_row),
        answers=answers_from_rows(many(row["answers"])),
        values=dict(one(row["indicator_values"]) or {}),
        attachments=[attachment_from_row(a) for a in sorted(many(row["attachments"]), key=_by_id)],
        previous=by_number(version, numbers) if version is not None else {},
        previous_values=dict(version.indicators) if version is not None else {},
        position=position_from_row(place) if place is not None else None,
        data_version=int(row["data_version"]),
    )

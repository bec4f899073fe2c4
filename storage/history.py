"""A report's history from the audit trail: who did what and when, with names resolved.

Submissions are recorded with the person's id as actor; coordinators' actions with their
Telegram id. Both are turned into names here, so the history reads as people, not numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import aiosqlite

from core.models import PeriodKind, Report
from core.periods import Period
from storage import audit, registry, reporting
from storage.database import fetch_all

REPORT_ACTIONS = frozenset(
    {
        "report.submit",
        "report.edit",
        "report.returned",
        "report.accepted",
        "report.draft",
        "report.assign",
        "report.import",
    }
)
ROUND_ACTIONS = frozenset({"round.open", "round.deadline", "round.close"})


@dataclass(frozen=True, slots=True)
class HistoryItem:
    at: datetime
    action: str
    actor: str  # a name, or "" for the bot or a coordinator not in the registry
    version: int | None = None  # a submission's
    late: bool = False
    comment: str = ""  # a return's
    named: str = ""  # the substitute an assignment names, if any
    source: str = ""  # the document a coordinator read the report in from
    deadline_before: date | None = None
    deadline_after: date | None = None


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and value else None


async def report_history(conn: aiosqlite.Connection, report: Report) -> list[HistoryItem]:
    """The report's own entries and its round's, oldest first."""
    entries = [
        e
        for e in await audit.entries(conn, entity="report", entity_id=report.id)
        if e.action in REPORT_ACTIONS
    ]
    entries += [
        e
        for e in await audit.entries(conn, entity="round", entity_id=report.round_id)
        if e.action in ROUND_ACTIONS
    ]
    items = []
    for entry in sorted(entries, key=lambda e: (e.at, e.id)):
        after = entry.after or {}
        named = ""
        if entry.action == "report.assign" and after.get("assignee_id"):
            substitute = await registry.get_person(conn, int(after["assignee_id"]))
            named = substitute.full_name if substitute else ""
        before = entry.before or {}
        items.append(
            HistoryItem(
                at=entry.at,
                action=entry.action,
                actor=await _actor_name(conn, entry.action, entry.actor_id),
                version=after.get("version"),
                late=bool(after.get("late")),
                comment=str(after.get("review_comment") or ""),
                named=named,
                source=str(after.get("source") or ""),
                deadline_before=_day(before.get("deadline")),
                deadline_after=_day(after.get("deadline")),
            )
        )
    return items


async def _actor_name(conn: aiosqlite.Connection, action: str, actor_id: int | None) -> str:
    if actor_id is None:
        return ""
    if action == "report.submit":  # the person's own id
        person = await registry.get_person(conn, actor_id)
    else:
        person = await registry.person_by_telegram(conn, actor_id)
    return person.full_name if person else ""


async def enterprise_reports(
    conn: aiosqlite.Connection, enterprise_id: int
) -> list[tuple[Report, str]]:
    """Every report of an organisation with its round's period code, newest round first."""
    rows = await fetch_all(
        conn,
        "SELECT r.*, d.year, d.period_kind, d.period_number FROM reports r"
        " JOIN rounds d ON d.id = r.round_id WHERE r.enterprise_id = ?"
        " ORDER BY d.as_of DESC, d.id DESC",
        (enterprise_id,),
    )
    return [
        (
            reporting.report_from_row(row),
            Period(row["year"], PeriodKind(row["period_kind"]), row["period_number"]).code,
        )
        for row in rows
    ]

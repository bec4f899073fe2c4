"""A report's history from the audit trail: for the coordinator from the review card, and for
a person about their own organisation's latest report."""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite

from core.models import Actor, Enterprise, Report
from core.periods import Period
from services.deps import Deps
from storage import history, registry, reporting
from storage import rounds as round_rows
from storage.history import HistoryItem


@dataclass(frozen=True, slots=True)
class ReportHistory:
    """Who did what and when to one report (and its round), oldest first."""

    enterprise: Enterprise
    period: Period
    items: list[HistoryItem]


async def report_history(deps: Deps, report_id: int) -> ReportHistory | None:
    """Any report's history, for a coordinator; None if there is no such report."""
    async with deps.db.reading() as conn:
        report = await reporting.get_report(conn, report_id)
        return await _history(conn, report) if report is not None else None


async def own_history(deps: Deps, actor: Actor) -> ReportHistory | None:
    """The history of the person's own organisation's latest report; None if it has none."""
    if actor.enterprise is None:
        return None
    async with deps.db.reading() as conn:
        reports = await history.enterprise_reports(conn, actor.enterprise.id)
        return await _history(conn, reports[0][0]) if reports else None


async def _history(conn: aiosqlite.Connection, report: Report) -> ReportHistory:
    round_ = await round_rows.get_round(conn, report.round_id)
    enterprise = await registry.get_enterprise(conn, report.enterprise_id)
    assert round_ is not None and enterprise is not None, "foreign keys"
    return ReportHistory(enterprise, round_.period, await history.report_history(conn, report))

"""What a consolidated summary reads from the database: the rounds' reports as submitted, and
one organisation's own report. services/summary.py builds the Summary from them."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from core.models import ReportData, Round
from core.summary import OwnReport
from storage import answers as answer_rows
from storage import plans, registry, report_versions, reporting
from storage import rounds as round_rows
from storage.database import Database


async def round_reports(conn: aiosqlite.Connection, round_: Round) -> list[ReportData]:
    """Every report of the round: a handed-in one as submitted, the others without answers.

    Only handed-in reports are consolidated; a draft's answers would be ignored anyway.
    """
    found: list[ReportData] = []
    for report in await reporting.reports_of_round(conn, round_.id):
        if not report.handed_in:
            found.append(ReportData(report=report, round=round_))
            continue
        found.append(await report_versions.submitted_data(conn, report, round_))
    return found


async def load_own_report(db: Database, report_id: int, now: datetime) -> OwnReport | None:
    """One organisation's handed-in report as its own document needs it; None if not handed in."""
    async with db.reading() as conn:
        report = await reporting.get_report(conn, report_id)
        if report is None or not report.handed_in:
            return None
        round_ = await round_rows.get_round(conn, report.round_id)
        enterprise = await registry.get_enterprise(conn, report.enterprise_id)
        plan = await plans.get_plan(conn, round_.plan_id) if round_ else None
        if round_ is None or enterprise is None or plan is None:
            return None
        measures = [
            m for m in await plans.measures(conn, plan.id) if m.applies_to(enterprise.kind)
        ]
        version = await report_versions.submitted(conn, report)
        answers = version.answers if version else await answer_rows.answers_of(conn, report.id)
        indicators = await plans.indicators(conn, plan.id)
        values = (
            version.indicators if version else await answer_rows.indicator_values(conn, report.id)
        )
        submitter = await reporting.submitted_by(conn, report)
        person = await registry.get_person(conn, submitter) if submitter else None
    return OwnReport(
        plan=plan,
        period=round_.period,
        enterprise=enterprise,
        person_name=person.full_name if person else "",
        measures=measures,
        answers=answers,
        indicators=indicators,
        values=values,
        made_at=now,
    )

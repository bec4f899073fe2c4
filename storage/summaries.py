"""Reads what a consolidated summary needs from the database and builds the core Summary."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

import aiosqlite

from core.models import Measure, ReportData, Round
from core.periods import Period
from core.summary import OwnReport, Summary, build_summary
from storage import plans, registry, report_versions, reporting, summary_texts
from storage import rounds as round_rows
from storage.database import Database


@dataclass(frozen=True, slots=True)
class NoRounds:
    """Nothing to sum up: no round at all (period None), or none inside the period asked for."""

    period: Period | None


async def load_summary(db: Database, period: Period | None, now: datetime) -> Summary | NoRounds:
    """The summary of ``period`` (None: the latest round's period) as of ``now``.

    The plan is that of the period's latest round. Rounds run on an older plan version have
    their answers matched to the newer plan by measure number; measures the newer plan dropped
    are left out.
    """
    async with db.reading() as conn:
        if period is None:
            latest = await round_rows.latest_round(conn)
            if latest is None:
                return NoRounds(None)
            period = latest.period
        rounds = await round_rows.rounds_within(conn, period)
        if not rounds:
            return NoRounds(period)
        newest = max(rounds, key=lambda r: (r.as_of, r.opened_at, r.id))
        plan = await plans.get_plan(conn, newest.plan_id)
        assert plan is not None, "a round always has its plan (foreign key)"
        measures = await plans.measures(conn, plan.id)
        by_number = {m.number: m.id for m in measures}
        reports: list[ReportData] = []
        for round_ in rounds:
            renumber = await _renumbering(conn, round_, plan.id, by_number)
            reports.extend(await _reports_of(conn, round_, renumber))
        enterprises = await registry.list_enterprises(conn, active_only=True)
        indicators = await plans.indicators(conn, plan.id)
        edits = await summary_texts.edits(conn, period.code)
    return build_summary(
        period=period,
        plan=plan,
        measures=measures,
        enterprises=enterprises,
        reports=reports,
        indicators=indicators,
        generated_at=now,
        edits=edits,
    )


async def _renumbering(
    conn: aiosqlite.Connection, round_: Round, plan_id: int, by_number: dict[str, int]
) -> dict[int, int] | None:
    """Measure ids of the round's plan mapped to the summary plan's; None when they are one."""
    if round_.plan_id == plan_id:
        return None
    old: list[Measure] = await plans.measures(conn, round_.plan_id)
    return {m.id: by_number[m.number] for m in old if m.number in by_number}


async def _reports_of(
    conn: aiosqlite.Connection, round_: Round, renumber: dict[int, int] | None
) -> list[ReportData]:
    found: list[ReportData] = []
    for report in await reporting.reports_of_round(conn, round_.id):
        if not report.handed_in:
            # Only handed-in reports are consolidated; a draft's answers would be ignored anyway.
            found.append(ReportData(report=report, round=round_))
            continue
        data = await report_versions.submitted_data(conn, report, round_)
        if renumber is not None:
            data = _renumbered(data, renumber)
        found.append(data)
    return found


def _renumbered(data: ReportData, renumber: dict[int, int]) -> ReportData:
    return replace(
        data,
        answers=tuple(
            replace(a, measure_id=renumber[a.measure_id])
            for a in data.answers
            if a.measure_id in renumber
        ),
        attachments=tuple(
            replace(a, measure_id=renumber[a.measure_id])
            for a in data.attachments
            if a.measure_id in renumber
        ),
    )


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
        answers = version.answers if version else await reporting.answers_of(conn, report.id)
        indicators = await plans.indicators(conn, plan.id)
        values = (
            version.indicators if version else await reporting.indicator_values(conn, report.id)
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

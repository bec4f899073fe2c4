"""The questionnaire's reads: a report with everything its screens need, and the same after a
save. Every call runs inside the caller's transaction."""

from __future__ import annotations

from dataclasses import replace

import aiosqlite

from core.models import Person
from core.questionnaire import ReportContext, applicable
from storage import plans, registry, report_versions, reporting
from storage import rounds as round_rows


async def load_context(
    conn: aiosqlite.Connection, report_id: int, person: Person
) -> ReportContext | None:
    """The report with its context, or None if it does not exist or is not this person's."""
    report = await reporting.get_report(conn, report_id)
    if report is None or not reporting.may_fill(report, person.id, person.enterprise_id):
        return None
    round_ = await round_rows.get_round(conn, report.round_id)
    enterprise = await registry.get_enterprise(conn, report.enterprise_id)
    if round_ is None or enterprise is None:
        return None
    measures = applicable(await plans.measures(conn, round_.plan_id), enterprise.kind)
    return ReportContext(
        person=person,
        report=report,
        round=round_,
        enterprise=enterprise,
        measures=measures,
        answers=await reporting.answers_of(conn, report.id),
        indicators=await plans.indicators(conn, round_.plan_id),
        values=await reporting.indicator_values(conn, report.id),
        previous=await report_versions.previous_answers(conn, round_, enterprise.id),
        attachments=await reporting.attachments_of(conn, report.id),
    )


async def refresh_context(conn: aiosqlite.Connection, session: ReportContext) -> ReportContext:
    """The session after a save: re-read only what a save can change (report and its answers).

    The plan, round, enterprise and last round's answers stay as read at the start of the update.
    """
    report = await reporting.get_report(conn, session.report.id)
    if report is None or not reporting.may_fill(
        report, session.person.id, session.person.enterprise_id
    ):
        return session
    return replace(
        session,
        report=report,
        answers=await reporting.answers_of(conn, report.id),
        values=await reporting.indicator_values(conn, report.id),
        attachments=await reporting.attachments_of(conn, report.id),
    )

"""The consolidated summary of a period: loaded from the database, and its documents made.

The chat command, the editor (services/summary_edit.py), the CLI (`python -m bot summary`) and
the demo share `load_summary`; storage reads the rows, `core.summary.build_summary` counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from core.models import ReportData
from core.periods import Period
from core.summary import Summary, build_summary, on_plan, renumbering
from reports.summary_job import SummaryFiles, summary_files
from services.deps import Deps
from storage import plans, registry, summaries, summary_texts
from storage import rounds as round_rows
from storage.database import Database


@dataclass(frozen=True, slots=True)
class NoRounds:
    """Nothing to sum up: no round at all (period None), or none inside the period asked for."""

    period: Period | None


async def load_summary(db: Database, period: Period | None, now: datetime) -> Summary | NoRounds:
    """The summary of ``period`` (None: the latest round's period) as of ``now``."""
    async with db.reading() as conn:
        return await summary_in(conn, period, now)


async def summary_in(
    conn: aiosqlite.Connection, period: Period | None, now: datetime
) -> Summary | NoRounds:
    """`load_summary` inside the caller's transaction.

    The plan is that of the period's latest round. Rounds run on an older plan version have
    their answers matched to the newer plan by measure number; measures the newer plan dropped
    are left out.
    """
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
    reports: list[ReportData] = []
    for round_ in rounds:
        found = await summaries.round_reports(conn, round_)
        if round_.plan_id != plan.id:
            renumber = renumbering(await plans.measures(conn, round_.plan_id), measures)
            found = [on_plan(data, renumber) for data in found]
        reports.extend(found)
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


async def summary_documents(deps: Deps, period: Period | None) -> SummaryFiles | NoRounds:
    """/summary: the period's digest and files (rendered in a worker thread), or why none."""
    loaded = await load_summary(deps.db, period, deps.now())
    if isinstance(loaded, NoRounds):
        return loaded
    return await summary_files(loaded, deps.requisites)

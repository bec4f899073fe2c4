"""The coordinator's /status: a round's progress and one page of its organisations."""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite

from core.deadlines import days_left
from core.models import Enterprise, Report, Round
from core.paging import page_of
from core.progress import RoundProgress
from services.deps import Deps
from storage import registry, reporting
from storage import rounds as round_rows

PAGE_SIZE = 20


@dataclass(frozen=True, slots=True)
class StatusRow:
    number: int  # counted over the whole list, from 1
    report: Report
    enterprise: Enterprise


@dataclass(frozen=True, slots=True)
class StatusPage:
    round: Round
    progress: RoundProgress
    days_left: int  # calendar days to the deadline: 0 on the day, negative once past
    rows: tuple[StatusRow, ...]
    page: int
    pages: int


async def latest(deps: Deps) -> StatusPage | None:
    """/status: the first page of the latest round (`storage.rounds.latest_round`); None if
    there is no round at all."""
    async with deps.db.reading() as conn:
        round_ = await round_rows.latest_round(conn)
        return None if round_ is None else await _page(conn, deps, round_, 0)


async def page(deps: Deps, round_id: int, number: int) -> StatusPage | None:
    """Another page of a round's list, with fresh counts; None if there is no such round."""
    async with deps.db.reading() as conn:
        round_ = await round_rows.get_round(conn, round_id)
        return None if round_ is None else await _page(conn, deps, round_, number)


async def _page(conn: aiosqlite.Connection, deps: Deps, round_: Round, number: int) -> StatusPage:
    reports = await reporting.reports_of_round(conn, round_.id)
    enterprises = {e.id: e for e in await registry.list_enterprises(conn)}
    shown = page_of(reports, number, PAGE_SIZE)
    rows = tuple(
        StatusRow(shown.position(index), report, enterprises[report.enterprise_id])
        for index, report in enumerate(shown.items)
    )
    return StatusPage(
        round=round_,
        progress=RoundProgress.of(reports),
        days_left=days_left(deps.now(), round_.deadline, deps.calendar),
        rows=rows,
        page=shown.number,
        pages=shown.count,
    )

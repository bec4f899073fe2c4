"""/review: the reports waiting for a decision, one card at a time, the longest waiting first.

A decision and the next card are one transaction, so the coordinator taps once per report.
A decision names the version its card showed: a press on a report another coordinator has
decided meanwhile, or that was handed in again since, decides nothing and moves on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

import aiosqlite

from core.models import Report
from services import review
from services.deps import Deps
from services.review import Decision, ReviewCard
from storage import reporting


class Verdict(StrEnum):
    ACCEPTED = "accepted"
    RETURNED = "returned"


@dataclass(frozen=True, slots=True)
class QueueCard:
    """A waiting report's card, and how many wait (this one included)."""

    card: ReviewCard
    waiting: int


@dataclass(frozen=True, slots=True)
class QueueStep:
    """After a decision on the queue's card: what was decided (None: nothing, the report no
    longer waited at that version) and the next card (None: the queue is empty)."""

    verdict: Verdict
    decision: Decision | None
    next: QueueCard | None


async def first(deps: Deps) -> QueueCard | None:
    """The report that has waited longest; None when nothing waits."""
    async with deps.db.reading() as conn:
        waiting = await reporting.waiting_for_decision(conn)
        return await _shown(conn, deps, waiting[0] if waiting else None, waiting)


async def card(deps: Deps, report_id: int) -> QueueCard | None:
    """This report's card as the queue shows it (turning its pages); None if it is gone."""
    async with deps.db.reading() as conn:
        waiting = await reporting.waiting_for_decision(conn)
        found = await review.card_of(conn, deps, report_id)
    return QueueCard(found, len(waiting)) if found is not None else None


async def skip(deps: Deps, report_id: int) -> QueueCard | None:
    """The next waiting report after this one, round to the longest waiting at the end."""
    async with deps.db.reading() as conn:
        return await _after(conn, deps, report_id)


async def accept(deps: Deps, actor_id: int, report_id: int, version: int) -> QueueStep:
    """Accept the card's report at the version it showed, then the next card."""
    async with deps.db.transaction() as conn:
        decision = await review.accept_in(conn, deps, actor_id, report_id, version)
        return QueueStep(Verdict.ACCEPTED, decision, await _after(conn, deps, report_id))


async def return_report(
    deps: Deps, actor_id: int, report_id: int, version: int, comment: str
) -> QueueStep:
    """Return the card's report with the comment, then the next card."""
    async with deps.db.transaction() as conn:
        decision = await review.return_in(conn, deps, actor_id, report_id, comment, version)
        return QueueStep(Verdict.RETURNED, decision, await _after(conn, deps, report_id))


async def _after(conn: aiosqlite.Connection, deps: Deps, report_id: int) -> QueueCard | None:
    """The first waiting report handed in after this one (by hand-in time, then id); at the
    end of the queue, the longest waiting other than this one; this one if it alone waits."""
    waiting = await reporting.waiting_for_decision(conn)
    current = await reporting.get_report(conn, report_id)
    others = [r for r in waiting if r.id != report_id]
    later = [r for r in others if current is None or _order(r) > _order(current)]
    chosen = later or others or waiting
    return await _shown(conn, deps, chosen[0] if chosen else None, waiting)


async def _shown(
    conn: aiosqlite.Connection, deps: Deps, report: Report | None, waiting: list[Report]
) -> QueueCard | None:
    if report is None:
        return None
    found = await review.card_of(conn, deps, report.id)
    return QueueCard(found, len(waiting)) if found is not None else None


def _order(report: Report) -> tuple[datetime, int]:
    # As storage orders the queue: the hand-in time, then the id.
    return (report.submitted_at or datetime.min.replace(tzinfo=UTC), report.id)

"""Handing a report in and reopening it: the version is frozen and the coordinators told in
the same transaction; before the deadline the person may change it again."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime

from core.deadlines import is_late
from core.models import Actor, Report
from core.questionnaire import (
    OVERVIEW,
    ReopenStep,
    ReportContext,
    can_reopen,
    status_counts,
)
from services import submission_notice
from services.deps import Deps
from services.questionnaire import (
    Pressed,
    Refusal,
    Refused,
    Shown,
    live_window,
    load_context,
    place_window,
    read_live,
)
from storage import positions, report_versions, reporting

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Submitted:
    """The handed-in version, for the receipt."""

    context: ReportContext
    report: Report
    counts: dict[str, int]
    submitted_at: datetime  # in the council's time zone
    editable_until: date | None  # the deadline, if the report was in time
    reopen: bool  # whether «Внести зміни» may be offered


@dataclass(frozen=True, slots=True)
class Incomplete:
    """Measures still unanswered: nothing is handed in, the overview (`shown`) lists them."""

    missing: list[str]
    shown: Shown


@dataclass(frozen=True, slots=True)
class ReopenAsked:
    """«Внести зміни?»: the question, nothing changed yet."""

    context: ReportContext


@dataclass(frozen=True, slots=True)
class KeptSubmitted:
    """The person chose to leave the report as submitted."""

    context: ReportContext


async def submit(deps: Deps, actor: Actor, pressed: Pressed) -> Submitted | Incomplete | Refused:
    """«Подати звіт» on the overview: freeze the answers as a version, clear the person's
    place, and tell the coordinators (services/submission_notice.py)."""
    now = deps.now()
    async with deps.db.transaction() as conn:
        found = await live_window(conn, actor, pressed)
        if isinstance(found, Refused):
            return found
        context = found.context
        if missing := context.missing_numbers():
            shown = await place_window(
                conn, deps, context, OVERVIEW, place=found.place, window=pressed.window,
                message_id=pressed.message_id,
            )  # fmt: skip
            return Incomplete(missing, shown)
        counts = status_counts(context.answers, [m.id for m in context.measures])
        report = await reporting.submit(
            conn,
            context.report,
            late=is_late(now, context.round.deadline, deps.calendar),
            person_id=context.person.id,
            now=now,
        )
        await positions.clear_position(conn, context.person.id)
        await submission_notice.tell_coordinators(conn, deps, context, report, now=now)
    log.info("report %s submitted as version %s", report.id, report.version)
    return Submitted(
        context=context,
        report=report,
        counts=counts,
        submitted_at=now.astimezone(deps.calendar.tz),
        editable_until=context.round.deadline if not report.late else None,
        reopen=can_reopen(report, context.round, now, deps.calendar),
    )


async def reopen(
    deps: Deps, actor: Actor, pressed: Pressed, ref: int
) -> ReopenAsked | KeptSubmitted | Shown | Refused:
    """«✏️ Внести зміни» before the deadline: asked first, then done or left as it is. The
    submitted version counts until a newer one is handed in."""
    now = deps.now()
    async with deps.db.transaction() as conn:
        context = (
            await load_context(conn, pressed.report_id, actor.person) if actor.person else None
        )
        if context is None:
            return Refused(Refusal.DENIED)
        if not can_reopen(context.report, context.round, now, deps.calendar):
            return Refused(Refusal.STALE)
        if ref in (ReopenStep.ASK, ReopenStep.KEEP) and not context.report.editing:
            return ReopenAsked(context) if ref == ReopenStep.ASK else KeptSubmitted(context)
        report = context.report
        if not report.editing:
            report = await report_versions.start_editing(
                conn, report, actor_id=actor.telegram_id, now=now
            )
        found = await read_live(conn, context.person, report.id)
        context, place = found if found is not None else (context, None)
        return await place_window(
            conn, deps, context, OVERVIEW, place=place, message_id=pressed.message_id
        )

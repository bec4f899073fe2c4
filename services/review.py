"""The coordinator's review: a report's card, accepting it, returning it with a comment.

Each decision is told to the people who fill the report (services/notices.py) in the same
transaction as the change.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from core.models import Answer, Enterprise, IndicatorDef, Measure, Report, ReportState, Round
from core.periods import Period
from core.questionnaire import applicable
from services.deps import Deps
from services.notices import notify_fillers
from storage import answers as answer_rows
from storage import plans, registry, report_versions, reporting
from storage import rounds as round_rows
from templates import render
from ui.keyboards import as_payload, open_report

# The longest comment a returned report carries; the rest of a longer one is cut off.
COMMENT_LIMIT = 1500


@dataclass(frozen=True, slots=True)
class ReviewCard:
    """A report as the coordinator reads it: a handed-in one as it was submitted."""

    report: Report
    enterprise: Enterprise
    period: Period
    submitted_at: datetime | None  # in the council's time zone
    measures: Sequence[Measure]  # those that apply to the organisation, plan order
    answers: Mapping[int, Answer]  # by measure id
    attachments: Mapping[int, list[str]]  # file names by measure id
    indicators: Sequence[IndicatorDef]
    values: Mapping[str, int | None]  # by indicator code
    # Measures answered exactly as last quarter (Answer.same_as): the card marks them.
    copied: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class Decision:
    """A report accepted or returned: whose it is and the comment it went back with."""

    enterprise: Enterprise
    comment: str = ""


async def review_card(deps: Deps, report_id: int) -> ReviewCard | None:
    """The report's card; None when the report (or its round, its organisation) is gone."""
    async with deps.db.reading() as conn:
        return await card_of(conn, deps, report_id)


async def card_of(conn: aiosqlite.Connection, deps: Deps, report_id: int) -> ReviewCard | None:
    """`review_card` inside a caller's transaction (the queue reads it after a decision)."""
    found = await _context(conn, report_id)
    if found is None:
        return None
    report, round_, enterprise = found
    measures = applicable(await plans.measures(conn, round_.plan_id), enterprise.kind)
    # A handed-in report is shown as submitted, whatever the person is changing meanwhile.
    version = await report_versions.submitted(conn, report)
    if report.handed_in and version is not None:
        answers, files, values = version.answers, version.attachments, version.indicators
    else:
        answers = await answer_rows.answers_of(conn, report.id)
        files = await answer_rows.attachments_of(conn, report.id)
        values = await answer_rows.indicator_values(conn, report.id)
    indicators = await plans.indicators(conn, round_.plan_id)
    earlier = await report_versions.previous_answers(conn, round_, enterprise.id)
    attachments: dict[int, list[str]] = {}
    for attachment in files:
        attachments.setdefault(attachment.measure_id, []).append(attachment.file_name)
    submitted_at = report.submitted_at
    return ReviewCard(
        report=report,
        enterprise=enterprise,
        period=round_.period,
        submitted_at=submitted_at.astimezone(deps.calendar.tz) if submitted_at else None,
        measures=measures,
        answers=answers,
        attachments=attachments,
        indicators=indicators,
        values=values,
        copied=frozenset(
            m.id
            for m in measures
            if (answer := answers.get(m.id)) is not None and answer.same_as(earlier.get(m.number))
        ),
    )


async def returnable(deps: Deps, report_id: int, version: int | None = None) -> Enterprise | None:
    """The organisation of a report that may be returned now (it is submitted, at `version`
    if given); else None."""
    async with deps.db.reading() as conn:
        found = await _under_review(conn, report_id, version)
    return found[2] if found is not None else None


async def accept(
    deps: Deps, actor_id: int, report_id: int, version: int | None = None
) -> Decision | None:
    """Accept a submitted report and tell its fillers; None when it is not under review (or,
    given `version`, when that is no longer the version handed in)."""
    async with deps.db.transaction() as conn:
        return await accept_in(conn, deps, actor_id, report_id, version)


async def accept_in(
    conn: aiosqlite.Connection, deps: Deps, actor_id: int, report_id: int, version: int | None
) -> Decision | None:
    """`accept` inside a caller's transaction."""
    now = deps.now()
    found = await _under_review(conn, report_id, version)
    if found is None:
        return None
    report, round_, enterprise = found
    if report.editing:
        # The submitted version is what was accepted; changes not submitted end here.
        await report_versions.restore_working_copy(conn, report, now)
    accepted = await reporting.set_state(
        conn, report, ReportState.ACCEPTED, actor_id=actor_id, now=now
    )
    text = render(
        "review/person_accepted.html",
        enterprise=enterprise,
        period=round_.period,
        was_editing=report.editing,
    )
    key = f"accepted:{report.id}:{report.version}"
    await notify_fillers(conn, accepted, text, key, deps.calendar, now)
    return Decision(enterprise)


async def return_report(
    deps: Deps, actor_id: int, report_id: int, comment: str, version: int | None = None
) -> Decision | None:
    """Return a submitted report with the coordinator's comment (cut to COMMENT_LIMIT) and
    tell its fillers, with a button to fix it; None when it is not under review (or not at
    `version`, if given) or the comment is empty."""
    async with deps.db.transaction() as conn:
        return await return_in(conn, deps, actor_id, report_id, comment, version)


async def return_in(
    conn: aiosqlite.Connection,
    deps: Deps,
    actor_id: int,
    report_id: int,
    comment: str,
    version: int | None,
) -> Decision | None:
    """`return_report` inside a caller's transaction."""
    comment = comment.strip()[:COMMENT_LIMIT]
    now = deps.now()
    found = await _under_review(conn, report_id, version)
    if found is None or not comment:
        return None
    report, round_, enterprise = found
    returned = await reporting.set_state(
        conn, report, ReportState.RETURNED, actor_id=actor_id, now=now, comment=comment
    )
    text = render(
        "review/person_returned.html",
        enterprise=enterprise,
        period=round_.period,
        comment=comment,
        deadline=round_.deadline,
        was_editing=report.editing,
    )
    key = f"returned:{report.id}:{report.version}"
    markup = as_payload(open_report(report.id, "fix"))
    await notify_fillers(conn, returned, text, key, deps.calendar, now, markup)
    return Decision(enterprise, comment)


async def _under_review(
    conn: aiosqlite.Connection, report_id: int, version: int | None
) -> tuple[Report, Round, Enterprise] | None:
    """The report if it waits for a decision (at `version`, if given)."""
    found = await _context(conn, report_id)
    if found is None or found[0].state is not ReportState.SUBMITTED:
        return None
    if version is not None and found[0].version != version:
        return None
    return found


async def _context(
    conn: aiosqlite.Connection, report_id: int
) -> tuple[Report, Round, Enterprise] | None:
    report = await reporting.get_report(conn, report_id)
    if report is None:
        return None
    round_ = await round_rows.get_round(conn, report.round_id)
    enterprise = await registry.get_enterprise(conn, report.enterprise_id)
    if round_ is None or enterprise is None:
        return None
    return report, round_, enterprise

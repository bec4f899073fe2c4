"""Telling the coordinators that reports were handed in, without a message per report.

A coordinator chat gets the first submission at once, as that report's own notice with its
decision buttons. What is handed in while the chat's next notice may not go yet (the door
allows one every `notify.TALLY_GAP`) is counted in one waiting message, rewritten at each
submission in the submission's own transaction: «Подано 7 нових звітів: з них 2 — із
запізненням…» with «Переглянути чергу». The count is read from the submitted versions
themselves, from the first one the message counts (named by its key) on, so it is right
after a restart and no submission falls between two messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from core.models import Report
from core.questionnaire import ReportContext, status_counts
from services import notify
from services.deps import Deps
from storage import promotions, reporting
from templates import render
from ui.keyboards import as_payload, submitted_notice_keyboard
from ui.review import queue_notice_keyboard

# The organisations a tally names; the rest are counted («та ще 12»).
NAMED = 10


@dataclass(frozen=True, slots=True)
class SubmissionTally:
    """What one coordinator message counts: reports (each once, however often handed in)."""

    reports: int
    late: int  # handed in after the deadline (their latest version)
    again: int  # handed in before: returned or changed, and submitted again
    names: list[str]  # the first NAMED organisations, in the order they handed in


async def tell_coordinators(
    conn: aiosqlite.Connection,
    deps: Deps,
    context: ReportContext,
    report: Report,
    *,
    now: datetime,
) -> None:
    """Within the submission's transaction: every coordinator chat learns of it, in its own
    notice or in the chat's waiting tally."""
    single = notify.Letter(
        render(
            "questionnaire/submitted_notice.html",
            tally=None,
            enterprise=context.enterprise,
            period=context.period,
            report=report,
            counts=status_counts(context.answers, [m.id for m in context.measures]),
        ),
        as_payload(submitted_notice_keyboard(report.id)),
    )
    this = await reporting.version_id(conn, report)
    letters: dict[int, notify.Letter] = {}  # by the first version a tally counts
    for chat_id in await promotions.notified_coordinators(conn, deps.coordinator_ids):
        waiting = await notify.pending_tally(conn, chat_id)
        if waiting is None:
            await notify.start_tally(conn, chat_id=chat_id, since=this, letter=single, now=now)
            continue
        if waiting.since not in letters:
            tally = await count_since(conn, waiting.since)
            letters[waiting.since] = single if tally.reports <= 1 else _tally_letter(tally)
        await notify.revise_tally(conn, waiting, letters[waiting.since], now=now)


async def count_since(conn: aiosqlite.Connection, since: int) -> SubmissionTally:
    """The reports handed in from version row `since` on, each counted by its latest version."""
    latest: dict[int, reporting.HandedIn] = {}
    for handed in await reporting.handed_in_since(conn, since):
        latest.pop(handed.report_id, None)
        latest[handed.report_id] = handed
    first = sorted(latest.values(), key=lambda h: h.version_id)
    return SubmissionTally(
        reports=len(first),
        late=sum(h.late for h in first),
        again=sum(h.version > 1 for h in first),
        names=[h.enterprise for h in first[:NAMED]],
    )


def _tally_letter(tally: SubmissionTally) -> notify.Letter:
    return notify.Letter(
        render("questionnaire/submitted_notice.html", tally=tally),
        as_payload(queue_notice_keyboard()),
    )

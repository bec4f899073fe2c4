"""Telling the coordinators that reports were handed in."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from core.models import Report
from core.questionnaire import ReportContext, status_counts
from services import notify
from services.deps import Deps
from storage import promotions
from templates import render
from ui.keyboards import as_payload, submitted_notice_keyboard


async def tell_coordinators(
    conn: aiosqlite.Connection,
    deps: Deps,
    context: ReportContext,
    report: Report,
    *,
    now: datetime,
) -> None:
    """Within the submission's transaction: every coordinator chat learns of it."""
    notice = notify.Letter(
        render(
            "questionnaire/submitted_notice.html",
            enterprise=context.enterprise,
            period=context.period,
            report=report,
            counts=status_counts(context.answers, [m.id for m in context.measures]),
        ),
        as_payload(submitted_notice_keyboard(report.id)),
    )
    for chat_id in await promotions.notified_coordinators(conn, deps.coordinator_ids):
        await notify.alert(
            conn,
            key=notify.submitted_key(report.id, report.version, chat_id),
            chat_id=chat_id,
            letter=notice,
            now=now,
        )

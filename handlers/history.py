"""A report's history from the audit trail: for the coordinator from the review card, for a
person about their own organisation's reports (/history)."""

from __future__ import annotations

import html

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message

from core.calendar import WorkCalendar
from core.models import Actor, Report
from handlers.access import coordinator_only, person_only
from reports.summary_digest import period_label
from storage import history, registry, reporting
from storage import rounds as round_rows
from storage.database import Database
from templates import render
from ui.callbacks import Review, ReviewAction
from ui.replies import answer_long

SHOWN = 30  # the newest entries of a long history


async def history_text(db: Database, report: Report, calendar: WorkCalendar) -> str:
    """The history as plain text (it holds coordinators' comments: escape it for Telegram)."""
    async with db.reading() as conn:
        items = await history.report_history(conn, report)
        round_ = await round_rows.get_round(conn, report.round_id)
        enterprise = await registry.get_enterprise(conn, report.enterprise_id)
    assert round_ is not None and enterprise is not None, "foreign keys"
    return render(
        "history/report.txt",
        items=items,
        name=enterprise.display_name,
        period_label=period_label(round_.period),
        zone=calendar.tz,
        limit=SHOWN,
    )


async def show_history(
    query: CallbackQuery, callback_data: Review, db: Database, calendar: WorkCalendar
) -> None:
    """«🕓 Історія» on a review card."""
    async with db.reading() as conn:
        report = await reporting.get_report(conn, callback_data.report_id)
    if report is None or not isinstance(query.message, Message):
        await query.answer(render("access/stale.txt"), show_alert=True)
        return
    await query.answer()
    await answer_long(query.message, html.escape(await history_text(db, report, calendar)))


async def show_own_history(
    message: Message, actor: Actor, db: Database, calendar: WorkCalendar
) -> None:
    """/history: the person's own organisation's latest report, who did what and when."""
    enterprise_id = actor.enterprise.id if actor.enterprise else None
    async with db.reading() as conn:
        reports = await history.enterprise_reports(conn, enterprise_id) if enterprise_id else []
    if not reports:
        await message.answer(render("history/none.html"))
        return
    latest, _ = reports[0]
    await answer_long(message, html.escape(await history_text(db, latest, calendar)))


def create_router() -> Router:
    """The history use case as a fresh Router (one per Dispatcher)."""
    router = Router(name="history")
    router.callback_query.register(
        show_history, Review.filter(F.action == ReviewAction.HISTORY), coordinator_only
    )
    router.message.register(show_own_history, Command("history"), person_only)
    return router

"""A report's history from the audit trail: for the coordinator from the review card, for a
person about their own organisation's reports (/history)."""

from __future__ import annotations

import html

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message

from core.models import Actor
from reports.summary_digest import period_label
from services.deps import Deps
from services.history import ReportHistory, own_history, report_history
from templates import render
from ui.callbacks import Review, ReviewAction
from ui.replies import answer_long

SHOWN = 30  # the newest entries of a long history


def history_text(found: ReportHistory, deps: Deps) -> str:
    """The history as plain text (it holds coordinators' comments: escape it for Telegram)."""
    return render(
        "history/report.txt",
        items=found.items,
        name=found.enterprise.display_name,
        period_label=period_label(found.period),
        zone=deps.calendar.tz,
        limit=SHOWN,
    )


async def show_history(query: CallbackQuery, callback_data: Review, deps: Deps) -> None:
    """«🕓 Історія» on a review card."""
    found = await report_history(deps, callback_data.report_id)
    if found is None or not isinstance(query.message, Message):
        await query.answer(render("access/stale.txt"), show_alert=True)
        return
    await query.answer()
    await answer_long(query.message, html.escape(history_text(found, deps)))


async def show_own_history(message: Message, actor: Actor, deps: Deps) -> None:
    """/history: the person's own organisation's latest report, who did what and when."""
    found = await own_history(deps, actor)
    if found is None:
        await message.answer(render("history/none.html"))
        return
    await answer_long(message, html.escape(history_text(found, deps)))


def create_coordinator_router() -> Router:
    """A report's history from its review card."""
    router = Router(name="history.coordinator")
    router.callback_query.register(show_history, Review.filter(F.action == ReviewAction.HISTORY))
    return router


def create_person_router() -> Router:
    """/history: the person's own organisation's."""
    router = Router(name="history.person")
    router.message.register(show_own_history, Command("history"))
    return router

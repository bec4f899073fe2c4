"""Coordinator's /status: who has handed in the latest round's report, paged, with a nudge."""

from __future__ import annotations

from dataclasses import dataclass

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from core.models import Actor
from services import status
from services.deps import Deps
from services.reminders import remind_non_submitters
from services.status import StatusPage
from templates import render
from ui.callbacks import RoundStatus, StatusAction
from ui.replies import edit_or_answer
from ui.status import mark, status_keyboard


@dataclass(frozen=True, slots=True)
class _Row:
    number: int
    mark: str
    name: str
    report_id: int


def _screen(shown: StatusPage) -> tuple[str, InlineKeyboardMarkup]:
    rows = [
        _Row(row.number, mark(row.report), row.enterprise.display_name, row.report.id)
        for row in shown.rows
    ]
    text = render(
        "status/page.html",
        round=shown.round,
        period=shown.round.period,
        days_left=shown.days_left,
        progress=shown.progress,
        rows=rows,
        page=shown.page,
        pages=shown.pages,
    )
    buttons = [(row.number, row.mark, row.report_id) for row in rows]
    return text, status_keyboard(shown.round, buttons, shown.page, shown.pages)


async def show_status(message: Message, deps: Deps) -> None:
    """/status: the latest round's counts, deadline and the first page of enterprises."""
    shown = await status.latest(deps)
    if shown is None:
        await message.answer(render("status/no_round.html"))
        return
    text, markup = _screen(shown)
    await message.answer(text, reply_markup=markup)


async def turn_page(query: CallbackQuery, callback_data: RoundStatus, deps: Deps) -> None:
    """Show another page of the list in the same message, with fresh counts."""
    shown = await status.page(deps, callback_data.round_id, callback_data.page)
    if shown is None:
        await query.answer(render("access/stale.txt"), show_alert=True)
        return
    await query.answer()
    await edit_or_answer(query, *_screen(shown))


async def remind_all(
    query: CallbackQuery, callback_data: RoundStatus, actor: Actor, deps: Deps
) -> None:
    """«Нагадати всім, хто не подав»: one nudge per person still owing a report."""
    # The reminders use case owns the wording, the once-a-day dedupe and the audit of nudges.
    nudge = await remind_non_submitters(deps, callback_data.round_id, actor_id=actor.telegram_id)
    if nudge.round is None:
        await query.answer(render("access/stale.txt"), show_alert=True)
        return
    if nudge.nudged is None:
        await query.answer(render("status/closed.txt"), show_alert=True)
        return
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.answer(
            render(
                "status/reminded.html",
                period=nudge.round.period,
                queued=nudge.nudged.queued,
                already=nudge.nudged.already,
                unreachable=nudge.nudged.unreachable,
            )
        )


def create_router() -> Router:
    """The status use case as a fresh Router (one per Dispatcher)."""
    router = Router(name="status")
    router.message.register(show_status, Command("status"))
    router.callback_query.register(turn_page, RoundStatus.filter(F.action == StatusAction.PAGE))
    router.callback_query.register(remind_all, RoundStatus.filter(F.action == StatusAction.REMIND))
    return router

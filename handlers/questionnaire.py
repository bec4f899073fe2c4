"""The authorized person's questionnaire: /report and its buttons, one measure at a time.

Each handler parses the update, makes one call to services.questionnaire (or
services.submission), and draws the result; typed input lives in handlers.questionnaire_input.
"""

from __future__ import annotations

import logging

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from core.models import Actor
from core.questionnaire import Move, ReportContext
from handlers import questionnaire_input
from handlers import questionnaire_window as window
from handlers.own_report import send_own_report
from services import last_quarter, questionnaire, submission
from services.deps import Deps
from services.questionnaire import NoReport, NotEditable, Refused, ReportChoice
from services.submission import Incomplete, KeptSubmitted, ReopenAsked
from templates import render
from ui.callbacks import LegacyQ, Q, QAction
from ui.keyboards import open_report
from ui.questionnaire import reopen_question, report_choice
from ui.replies import edit_or_answer

log = logging.getLogger(__name__)

# Buttons that only move: what each asks for.
_MOVES = {
    QAction.NEXT: Move.NEXT,
    QAction.BACK: Move.BACK,
    QAction.OVERVIEW: Move.OVERVIEW,
    QAction.INDICATORS: Move.INDICATORS,
    QAction.KEEP: Move.KEEP,
    QAction.CHANGE: Move.CHANGE,
    QAction.JUMP: Move.JUMP,
}


def _not_editable(context: ReportContext, reopen: bool) -> tuple[str, InlineKeyboardMarkup | None]:
    """Why the report can't be changed now, with «Внести зміни» if it still may be."""
    text = render(
        "questionnaire/not_editable.html",
        report=context.report,
        enterprise=context.enterprise,
        period=context.period,
        reopen=reopen,
    )
    return text, open_report(context.report.id, "reopen") if reopen else None


async def start_report(message: Message, actor: Actor, bot: Bot, deps: Deps) -> None:
    """/report: open the person's report where they left off."""
    result = await questionnaire.open_form(deps, actor)
    if isinstance(result, NoReport):
        await message.answer(render("questionnaire/no_round.html"))
    elif isinstance(result, ReportChoice):
        items = [{"enterprise": c.enterprise, "period": c.period} for c in result.contexts]
        await message.answer(
            render("questionnaire/choose_report.html", items=items),
            reply_markup=report_choice(result.contexts),
        )
    elif isinstance(result, NotEditable):
        text, markup = _not_editable(result.context, result.reopen)
        await message.answer(text, reply_markup=markup)
    else:
        await window.send(bot, deps, message.chat.id, result, tidy=False)


async def open_from_button(
    query: CallbackQuery, callback_data: Q, actor: Actor, deps: Deps
) -> None:
    """«Почати» or «Продовжити» from any message: that message becomes the questionnaire."""
    result = await questionnaire.resume(deps, actor, window.pressed(query, callback_data))
    if isinstance(result, Refused):
        await window.refuse(query, result)
        return
    await window.show(query, result)
    await query.answer()


async def choose_status(query: CallbackQuery, callback_data: Q, actor: Actor, deps: Deps) -> None:
    """Save the chosen status at once; then ask what was done (unless not applicable)."""
    result = await questionnaire.choose_status(
        deps, actor, window.pressed(query, callback_data), callback_data.ref, callback_data.status
    )
    await _shown_or_refused(query, result)


async def copy_previous(query: CallbackQuery, callback_data: Q, actor: Actor, deps: Deps) -> None:
    """«↩ Як минулого разу»: last round's status and text, and on to the next screen."""
    result = await last_quarter.copy_previous(
        deps, actor, window.pressed(query, callback_data), callback_data.ref
    )
    await _shown_or_refused(query, result)


async def copy_everything(
    query: CallbackQuery, callback_data: Q, actor: Actor, deps: Deps
) -> None:
    """«📋 Усе як минулого разу»: every answer of last quarter, then the overview."""
    result = await last_quarter.copy_everything(deps, actor, window.pressed(query, callback_data))
    await _shown_or_refused(query, result)


async def navigate(query: CallbackQuery, callback_data: Q, actor: Actor, deps: Deps) -> None:
    """Back, next, overview, jump, indicators, keep text, change status."""
    to = _MOVES.get(callback_data.action, Move.JUMP)
    result = await questionnaire.move(
        deps, actor, window.pressed(query, callback_data), to, callback_data.ref
    )
    await _shown_or_refused(query, result)


async def answer_indicator(
    query: CallbackQuery, callback_data: Q, actor: Actor, deps: Deps
) -> None:
    """«0 — не було» answers an indicator with 0; «Пропустити» leaves it empty on purpose."""
    value = 0 if callback_data.action is QAction.ZERO else None
    result = await questionnaire.answer_indicator(
        deps, actor, window.pressed(query, callback_data), callback_data.ref, value
    )
    await _shown_or_refused(query, result)


async def _shown_or_refused(query: CallbackQuery, result: questionnaire.Shown | Refused) -> None:
    if isinstance(result, Refused):
        await window.refuse(query, result)
        return
    await window.show(query, result)
    await query.answer()


async def save_and_exit(query: CallbackQuery, callback_data: Q, actor: Actor, deps: Deps) -> None:
    """Everything is already saved; close the form and say how to come back."""
    result = await questionnaire.save_and_exit(deps, actor, window.pressed(query, callback_data))
    if isinstance(result, Refused):
        await window.refuse(query, result)
        return
    text = render("questionnaire/saved_exit.html", deadline=result.round.deadline)
    await edit_or_answer(query, text)
    await query.answer()


async def submit_report(query: CallbackQuery, callback_data: Q, actor: Actor, deps: Deps) -> None:
    """Freeze the report as a version, give a receipt and its document (the coordinators are
    told by the use case)."""
    result = await submission.submit(deps, actor, window.pressed(query, callback_data))
    if isinstance(result, Refused):
        await window.refuse(query, result)
        return
    if isinstance(result, Incomplete):
        alert = render("questionnaire/missing.txt", missing=result.missing)
        await query.answer(alert, show_alert=True)
        await window.show(query, result.shown)
        return
    receipt = render(
        "questionnaire/receipt.html",
        enterprise=result.context.enterprise,
        period=result.context.period,
        report=result.report,
        counts=result.counts,
        submitted_at=result.submitted_at,
        editable_until=result.editable_until,
    )
    markup = open_report(result.report.id, "reopen") if result.reopen else None
    await edit_or_answer(query, receipt, markup)
    await query.answer()
    if query.bot is not None:
        try:
            await send_own_report(query.bot, query.from_user.id, deps, result.report.id)
        except Exception:
            # The submission is committed and acknowledged; the document is a copy for signing.
            log.exception("could not send the own report of report %s", result.report.id)


async def reopen_report(query: CallbackQuery, callback_data: Q, actor: Actor, deps: Deps) -> None:
    """Before the deadline, a submitted report can be changed: asked first, then done or left
    as submitted. The submitted version counts until a newer one is."""
    result = await submission.reopen(
        deps, actor, window.pressed(query, callback_data), callback_data.ref
    )
    if isinstance(result, Refused):
        await window.refuse(query, result)
        return
    if isinstance(result, ReopenAsked):
        question = render("questionnaire/reopen_question.html")
        await edit_or_answer(query, question, reopen_question(result.context.report.id))
    elif isinstance(result, KeptSubmitted):
        await edit_or_answer(query, *_not_editable(result.context, reopen=True))
    else:
        await window.show(query, result)
    await query.answer()


async def open_from_old_button(
    query: CallbackQuery, callback_data: LegacyQ, actor: Actor, deps: Deps
) -> None:
    """«Почати» on a message sent before the upgrade that gave windows their tokens."""
    await open_from_button(query, callback_data.current(), actor, deps)


async def reopen_from_old_button(
    query: CallbackQuery, callback_data: LegacyQ, actor: Actor, deps: Deps
) -> None:
    """«Внести зміни» on a receipt sent before the upgrade that gave windows their tokens."""
    await reopen_report(query, callback_data.current(), actor, deps)


def create_router() -> Router:
    """The questionnaire as a fresh Router (one per Dispatcher), typed input included."""
    router = Router(name="questionnaire")
    router.message.register(start_report, Command("report"))
    router.callback_query.register(open_from_button, Q.filter(F.action == QAction.START))
    router.callback_query.register(open_from_old_button, LegacyQ.filter(F.action == QAction.START))
    router.callback_query.register(
        reopen_from_old_button, LegacyQ.filter(F.action == QAction.REOPEN)
    )
    router.callback_query.register(choose_status, Q.filter(F.action == QAction.STATUS))
    router.callback_query.register(copy_previous, Q.filter(F.action == QAction.COPY))
    router.callback_query.register(copy_everything, Q.filter(F.action == QAction.COPY_ALL))
    router.callback_query.register(
        answer_indicator, Q.filter(F.action.in_({QAction.SKIP, QAction.ZERO}))
    )
    router.callback_query.register(save_and_exit, Q.filter(F.action == QAction.EXIT))
    router.callback_query.register(submit_report, Q.filter(F.action == QAction.SUBMIT))
    router.callback_query.register(reopen_report, Q.filter(F.action == QAction.REOPEN))
    router.callback_query.register(navigate, Q.filter())
    router.include_router(questionnaire_input.create_router())
    return router

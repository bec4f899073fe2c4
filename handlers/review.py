"""Coordinator's review: read a submitted report, accept it or return it with a comment;
and assign a substitute to fill an enterprise's report.

The use cases are services/review.py and services/assign.py.
"""

from __future__ import annotations

import logging

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message

from core.models import Actor, Enterprise
from core.registry import record_number
from handlers.own_report import send_own_report
from services import review
from services.assign import NOBODY, NotAssigned, assign_substitute
from services.deps import Deps
from services.review import ReviewCard
from templates import render
from templates.chunks import split_html
from ui.callbacks import Review, ReviewAction
from ui.replies import edit_or_answer
from ui.review import review_card_keyboard

log = logging.getLogger(__name__)


class ReviewForm(StatesGroup):
    comment = State()


def card_pages(card: ReviewCard, head: str = "") -> list[str]:
    """The card's pages of HTML that each fit one message; `head` (the queue's line) first."""
    text = render(
        "review/report.html",
        report=card.report,
        enterprise=card.enterprise,
        period=card.period,
        submitted_at=card.submitted_at,
        measures=card.measures,
        answers=card.answers,
        attachments=card.attachments,
        indicators=card.indicators,
        values=card.values,
        copied=card.copied,
    )
    return split_html(f"{head}\n\n{text}" if head else text, 3800)


async def view_report(query: CallbackQuery, callback_data: Review, deps: Deps) -> None:
    """Open a report as a new message (VIEW), or turn its pages in place (PAGE)."""
    card = await review.review_card(deps, callback_data.report_id)
    if card is None:
        await query.answer(render("access/stale.txt"), show_alert=True)
        return
    pages = card_pages(card)
    page = min(max(callback_data.page, 0), len(pages) - 1)
    markup = review_card_keyboard(card.report, page, len(pages))
    await query.answer()
    if callback_data.action is ReviewAction.PAGE:
        await edit_or_answer(query, pages[page], markup)
    elif isinstance(query.message, Message):
        await query.message.answer(pages[page], reply_markup=markup)


async def send_report_document(query: CallbackQuery, callback_data: Review, deps: Deps) -> None:
    """«📄 Звіт організації (DOCX)»: the organisation's own report, as the person received it."""
    if query.bot is None or query.from_user is None:
        return
    await query.answer()
    sent = await send_own_report(query.bot, query.from_user.id, deps, callback_data.report_id)
    if not sent:
        await query.bot.send_message(query.from_user.id, render("review/no_document.html"))


async def accept_report(
    query: CallbackQuery, callback_data: Review, actor: Actor, deps: Deps
) -> None:
    """Accept a submitted report; its person is told."""
    accepted = await review.accept(deps, actor.telegram_id, callback_data.report_id)
    if accepted is None:
        await query.answer(render("review/not_reviewable.txt"), show_alert=True)
        return
    await query.answer(render("review/accepted.txt"))
    await edit_or_answer(
        query, render("review/done.html", state="accepted", enterprise=accepted.enterprise)
    )


async def ask_return_comment(
    query: CallbackQuery, callback_data: Review, deps: Deps, state: FSMContext
) -> None:
    """Returning needs a comment: ask for it and remember which report it is for."""
    enterprise = await review.returnable(deps, callback_data.report_id)
    await ask_for_comment(
        query, state, enterprise, ReviewForm.comment, report_id=callback_data.report_id
    )


async def ask_for_comment(
    query: CallbackQuery,
    state: FSMContext,
    enterprise: Enterprise | None,
    form: State,
    **remember: int,
) -> None:
    """The comment a return needs, asked for a report that may be returned (`enterprise`);
    `remember` is what the comment's handler will need. Here and in the queue."""
    if enterprise is None:
        await query.answer(render("review/not_reviewable.txt"), show_alert=True)
        return
    await state.set_state(form)
    await state.update_data(dict(remember))
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.answer(render("review/ask_comment.html", enterprise=enterprise))


async def return_with_comment(
    message: Message, actor: Actor, deps: Deps, state: FSMContext
) -> None:
    """The coordinator's comment: the report goes back to its person with it."""
    data = await state.get_data()
    await state.clear()
    returned = await review.return_report(
        deps, actor.telegram_id, int(data.get("report_id", 0)), message.text or ""
    )
    if returned is None:
        await message.answer(render("review/not_reviewable.txt"))
        return
    await message.answer(
        render(
            "review/done.html",
            state="returned",
            enterprise=returned.enterprise,
            comment=returned.comment,
        )
    )


async def assign(message: Message, command: CommandObject, actor: Actor, deps: Deps) -> None:
    """/assign ЄДРПОУ N: person N may also fill that enterprise's report in the open round."""
    parts = (command.args or "").split()
    if len(parts) != 2 or not (record_number(parts[1]) is not None or parts[1] == NOBODY):
        await message.answer(render("review/assign_usage.html"))
        return
    code, who = parts
    assigned = await assign_substitute(deps, actor.telegram_id, code, who)
    if isinstance(assigned, NotAssigned):
        await message.answer(render("review/assign_failed.html", reason=assigned.value))
        return
    await message.answer(
        render(
            "review/assigned.html",
            enterprise=assigned.enterprise,
            person=assigned.person,
            period=assigned.period,
        )
    )


def create_router() -> Router:
    """The review use case as a fresh Router (one per Dispatcher)."""
    router = Router(name="review")
    router.callback_query.register(
        view_report, Review.filter(F.action.in_({ReviewAction.VIEW, ReviewAction.PAGE}))
    )
    router.callback_query.register(accept_report, Review.filter(F.action == ReviewAction.ACCEPT))
    router.callback_query.register(
        send_report_document, Review.filter(F.action == ReviewAction.DOCUMENT)
    )
    router.callback_query.register(
        ask_return_comment, Review.filter(F.action == ReviewAction.RETURN)
    )
    router.message.register(
        return_with_comment, StateFilter(ReviewForm.comment), F.text & ~F.text.startswith("/")
    )
    router.message.register(assign, Command("assign"))
    return router

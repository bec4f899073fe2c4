"""/review: the queue of reports waiting for a decision, one card that moves on after each.

Accepting is one tap: the card becomes the next report's. Returning asks for the comment,
then the next card comes as a new message. The use cases are services/review_queue.py.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from core.models import Actor
from handlers.review import ask_for_comment, card_pages
from services import review, review_queue
from services.deps import Deps
from services.review_queue import QueueCard, QueueStep
from templates import render
from ui.callbacks import QueueAction, ReviewQueue
from ui.replies import edit_or_answer
from ui.review import queue_card_keyboard


class QueueForm(StatesGroup):
    comment = State()


def _screen(
    shown: QueueCard | None, step: QueueStep | None = None, page: int = 0
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The queue's message: what was just decided, how many wait, and the card's page."""
    head = render(
        "review/queue_head.html",
        verdict=step.verdict.value if step else "",
        decision=step.decision if step else None,
        waiting=shown.waiting if shown else 0,
    )
    if shown is None:
        return head, None
    pages = card_pages(shown.card, head)
    page = min(max(page, 0), len(pages) - 1)
    markup = queue_card_keyboard(shown.card.report, page, len(pages), waiting=shown.waiting)
    return pages[page], markup


async def open_queue(message: Message, deps: Deps) -> None:
    """/review: the report that has waited longest, as a new message."""
    text, markup = _screen(await review_queue.first(deps))
    await message.answer(text, reply_markup=markup)


async def open_from_notice(query: CallbackQuery, deps: Deps) -> None:
    """«Переглянути чергу» under the tally: the queue as a new message, the tally stays."""
    text, markup = _screen(await review_queue.first(deps))
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.answer(text, reply_markup=markup)


async def turn_page(query: CallbackQuery, callback_data: ReviewQueue, deps: Deps) -> None:
    shown = await review_queue.card(deps, callback_data.report_id)
    if shown is None:
        await query.answer(render("access/stale.txt"), show_alert=True)
        return
    await query.answer()
    text, markup = _screen(shown, page=callback_data.page)
    await edit_or_answer(query, text, markup)


async def skip(query: CallbackQuery, callback_data: ReviewQueue, deps: Deps) -> None:
    """«⏭ Пропустити»: the next waiting report in place; this one waits on."""
    await query.answer()
    text, markup = _screen(await review_queue.skip(deps, callback_data.report_id))
    await edit_or_answer(query, text, markup)


async def accept(
    query: CallbackQuery, callback_data: ReviewQueue, actor: Actor, deps: Deps
) -> None:
    """«✅ Прийняти»: accepted at the version shown, and the card turns to the next report."""
    step = await review_queue.accept(
        deps, actor.telegram_id, callback_data.report_id, callback_data.version
    )
    decided = step.decision is not None
    await query.answer(
        render("review/queue_decided.txt", decided=decided, verdict=step.verdict.value),
        show_alert=not decided,
    )
    text, markup = _screen(step.next, step)
    await edit_or_answer(query, text, markup)


async def ask_comment(
    query: CallbackQuery, callback_data: ReviewQueue, deps: Deps, state: FSMContext
) -> None:
    """«↩ Повернути на доопрацювання»: the comment first (the next message)."""
    enterprise = await review.returnable(deps, callback_data.report_id, callback_data.version)
    await ask_for_comment(
        query, state, enterprise, QueueForm.comment,
        report_id=callback_data.report_id, version=callback_data.version,
    )  # fmt: skip


async def return_with_comment(
    message: Message, actor: Actor, deps: Deps, state: FSMContext
) -> None:
    """The comment: the report goes back with it, and the next card follows."""
    if not (message.text or "").strip():
        await message.answer(render("review/ask_comment_again.html"))
        return
    data = await state.get_data()
    await state.clear()
    step = await review_queue.return_report(
        deps,
        actor.telegram_id,
        int(data.get("report_id", 0)),
        int(data.get("version", 0)),
        message.text or "",
    )
    text, markup = _screen(step.next, step)
    await message.answer(text, reply_markup=markup)


def create_router() -> Router:
    router = Router(name="review_queue")
    router.message.register(open_queue, Command("review"))
    router.callback_query.register(
        open_from_notice, ReviewQueue.filter(F.action == QueueAction.OPEN)
    )
    router.callback_query.register(turn_page, ReviewQueue.filter(F.action == QueueAction.PAGE))
    router.callback_query.register(skip, ReviewQueue.filter(F.action == QueueAction.SKIP))
    router.callback_query.register(accept, ReviewQueue.filter(F.action == QueueAction.ACCEPT))
    router.callback_query.register(ask_comment, ReviewQueue.filter(F.action == QueueAction.RETURN))
    router.message.register(
        return_with_comment, StateFilter(QueueForm.comment), F.text & ~F.text.startswith("/")
    )
    return router

"""Circulars: the coordinator composes one (text, a document or a photo), sends or cancels it.

Choosing the audience and the preview are in handlers.circular_audience (included here),
tracking a sent one in handlers.circular_tracking, acknowledging it in handlers.circular_acks.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message

from core.circulars import Content, FileKind
from core.models import Actor
from handlers import circular_audience
from services import circulars as circular_use
from services.deps import Deps
from templates import render
from ui.callbacks import CircularDraft, CircularStep
from ui.circular_drafts import audience_screen
from ui.replies import edit_or_answer


class CircularForm(StatesGroup):
    content = State()


def content_of(message: Message) -> Content | None:
    """Text or caption as Telegram HTML, and a document or photo; None when neither."""
    file_kind: FileKind | None = None
    file_id: str | None = None
    file_name = ""
    if message.document is not None:
        file_kind, file_id = FileKind.DOCUMENT, message.document.file_id
        file_name = message.document.file_name or ""
    elif message.photo:
        file_kind, file_id = FileKind.PHOTO, message.photo[-1].file_id
    text_html = message.html_text if (message.text or message.caption) else ""
    if file_id is None and not text_html.strip():
        return None
    return Content(text_html, file_kind, file_id, file_name)


async def start_circular(message: Message, actor: Actor, deps: Deps, state: FSMContext) -> None:
    """/circular: ask for the content, or take it from the message this command replies to."""
    replied = message.reply_to_message
    content = content_of(replied) if replied is not None else None
    await state.clear()
    await state.set_state(CircularForm.content)
    if content is None:
        await message.answer(render("circulars/ask_content.html"))
        return
    await _store_content(message, actor, deps, state, content)


async def receive_content(message: Message, actor: Actor, deps: Deps, state: FSMContext) -> None:
    """Text, a document or a photo while composing: saved in the draft, then the audience."""
    content = content_of(message)
    if content is None:
        await refuse_input(message)
        return
    await _store_content(message, actor, deps, state, content)


async def refuse_input(message: Message) -> None:
    """Anything else while composing: say what is expected, change nothing."""
    got = render("circulars/got.txt", kind=message.content_type)
    await message.answer(render("circulars/wrong_input.html", got=got))


async def _store_content(
    message: Message, actor: Actor, deps: Deps, state: FSMContext, content: Content
) -> None:
    draft_id = (await state.get_data()).get("circular_id")
    stored = await circular_use.store_content(
        deps, actor.telegram_id, int(draft_id) if draft_id else None, content
    )
    if stored.circular is None:
        await message.answer(render("circulars/caption_too_long.html", length=stored.length))
        return
    await state.update_data(circular_id=stored.circular.id)
    text, markup = audience_screen(stored.circular)
    await message.answer(text, reply_markup=markup)


async def send_circular(
    query: CallbackQuery,
    callback_data: CircularDraft,
    actor: Actor,
    deps: Deps,
    state: FSMContext,
) -> None:
    """«Надіслати»: fix the recipients and queue one copy each; a second press sends nothing."""
    sent = await circular_use.send(deps, actor.telegram_id, callback_data.circular_id)
    if sent is None:
        await query.answer(render("circulars/not_draft.txt"), show_alert=True)
        return
    await _forget_draft(state, sent.circular.id)
    await query.answer()
    await edit_or_answer(
        query,
        render(
            "circulars/sent.html", circular=sent.circular, queued=sent.queued, unbound=sent.unbound
        ),
    )


async def cancel_circular(
    query: CallbackQuery,
    callback_data: CircularDraft,
    actor: Actor,
    deps: Deps,
    state: FSMContext,
) -> None:
    """«Скасувати»: the draft is kept as cancelled, nothing is sent."""
    if not await circular_use.cancel(deps, actor.telegram_id, callback_data.circular_id):
        await query.answer(render("circulars/not_draft.txt"), show_alert=True)
        return
    await _forget_draft(state, callback_data.circular_id)
    await query.answer()
    await edit_or_answer(
        query, render("circulars/cancelled.html", circular_id=callback_data.circular_id)
    )


async def _forget_draft(state: FSMContext, circular_id: int) -> None:
    """Leave composing only if it was this draft being composed (not a newer one)."""
    if (await state.get_data()).get("circular_id") == circular_id:
        await state.clear()


def create_router() -> Router:
    """Composing and sending a circular (the coordinator's); the audience buttons' router is
    included last, after «Надіслати» and «Скасувати»."""
    coordinator = Router(name="circulars")
    coordinator.message.register(start_circular, Command("circular"))
    composing = StateFilter(CircularForm.content)
    coordinator.message.register(receive_content, composing, F.document | F.photo)
    coordinator.message.register(receive_content, composing, F.text & ~F.text.startswith("/"))
    coordinator.message.register(refuse_input, composing, ~F.text)
    coordinator.callback_query.register(
        send_circular, CircularDraft.filter(F.step == CircularStep.SEND)
    )
    coordinator.callback_query.register(
        cancel_circular, CircularDraft.filter(F.step == CircularStep.CANCEL)
    )
    coordinator.include_router(circular_audience.create_router())
    return coordinator

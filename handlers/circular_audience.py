"""Whom a circular goes to: everyone, kinds or organisations picked, and the preview before
«Надіслати». Included by handlers.circulars under its coordinator filter."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import CallbackQuery, Message

from core.circulars import FileKind
from services import circulars as circular_use
from services.circulars import Next, Preview
from services.deps import Deps
from templates import render
from ui.callbacks import CircularDraft, CircularStep
from ui.circular_drafts import (
    audience_screen,
    chosen_text,
    kinds_screen,
    pick_screen,
    preview_screen,
)
from ui.replies import edit_or_answer


async def choose_audience(query: CallbackQuery, callback_data: CircularDraft, deps: Deps) -> None:
    """The audience buttons: everyone, kinds (toggled), or enterprises (paged and toggled)."""
    step = await circular_use.choose_audience(
        deps,
        callback_data.circular_id,
        callback_data.step,
        kind=callback_data.kind,
        enterprise_id=callback_data.ref,
        page=callback_data.page,
    )
    if step is None:
        await query.answer(render("circulars/not_draft.txt"), show_alert=True)
        return
    if step.next is Next.PREVIEW and step.preview is not None:
        await _show_preview(query, step.preview)
        return
    if step.next is Next.KINDS:
        screen = kinds_screen(step.circular)
    elif step.next is Next.PICK and step.enterprises is not None:
        screen = pick_screen(step.circular, step.enterprises)
    else:
        screen = audience_screen(step.circular)
    await query.answer()
    await edit_or_answer(query, *screen)


async def show_preview(query: CallbackQuery, callback_data: CircularDraft, deps: Deps) -> None:
    """«Готово»: the content as recipients will see it, the count, «Надіслати» / «Скасувати»."""
    shown = await circular_use.preview(deps, callback_data.circular_id)
    if shown is circular_use.Refusal.NOT_DRAFT:
        await query.answer(render("circulars/not_draft.txt"), show_alert=True)
    elif isinstance(shown, circular_use.Refusal):
        await query.answer(render("circulars/choose_first.txt", what=shown.value), show_alert=True)
    else:
        await _show_preview(query, shown)


async def _show_preview(query: CallbackQuery, shown: Preview) -> None:
    """Whom it goes to, a copy of the content as it will go, then the count and the buttons."""
    circular = shown.circular
    await query.answer()
    await edit_or_answer(query, chosen_text(circular, shown.names))
    message = query.message
    if not isinstance(message, Message):
        return
    if circular.file_kind is FileKind.DOCUMENT and circular.file_id:
        await message.answer_document(circular.file_id, caption=circular.text_html or None)
    elif circular.file_kind is FileKind.PHOTO and circular.file_id:
        await message.answer_photo(circular.file_id, caption=circular.text_html or None)
    else:
        await message.answer(circular.text_html)
    text, markup = preview_screen(circular, shown.names, shown.total, shown.bound, shown.later)
    await message.answer(text, reply_markup=markup)


def create_router() -> Router:
    """The audience buttons and «Готово» (coordinators only) as a fresh Router."""
    router = Router(name="circulars.audience")
    router.callback_query.register(
        show_preview, CircularDraft.filter(F.step == CircularStep.PREVIEW)
    )
    router.callback_query.register(choose_audience, CircularDraft.filter())
    return router

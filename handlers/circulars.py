"""Circulars: the coordinator composes and sends one with an «Ознайомлений(-а)» button, tracks
who has read it, reminds and exports; persons acknowledge."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

import aiosqlite
from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from core.calendar import WorkCalendar
from core.circulars import (
    Audience,
    Circular,
    CircularState,
    FileKind,
)
from core.clock import Clock
from core.models import Actor, EnterpriseKind
from core.paging import page_of
from handlers.access import coordinator_only
from services import circulars as circular_use
from storage import audit, circulars, registry
from storage.database import Database
from templates import render
from ui.callbacks import (
    CircularDraft,
    CircularStep,
)
from ui.circulars import circular_button, visible_text
from ui.replies import edit_or_answer

log = logging.getLogger(__name__)

CAPTION_LIMIT = 1024  # Telegram's limit for a document's or photo's caption
PICK_PAGE_SIZE = 8


class CircularForm(StatesGroup):
    content = State()


@dataclass(frozen=True, slots=True)
class Content:
    """What one coordinator message contributes to a circular."""

    text_html: str
    file_kind: FileKind | None
    file_id: str | None
    file_name: str


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


def _merge(circular: Circular | None, content: Content) -> Content:
    """A new text replaces the text, a new file the file; the other part is kept."""
    if circular is None:
        return content
    return Content(
        text_html=content.text_html or circular.text_html,
        file_kind=content.file_kind or circular.file_kind,
        file_id=content.file_id or circular.file_id,
        file_name=content.file_name if content.file_id else circular.file_name,
    )


# --- Composing ------------------------------------------------------------------------------


async def start_circular(
    message: Message, actor: Actor, db: Database, clock: Clock, state: FSMContext
) -> None:
    """/circular: ask for the content, or take it from the message this command replies to."""
    replied = message.reply_to_message
    content = content_of(replied) if replied is not None else None
    await state.clear()
    await state.set_state(CircularForm.content)
    if content is None:
        await message.answer(render("circulars/ask_content.html"))
        return
    await _store_content(message, actor, db, clock, state, content)


async def receive_content(
    message: Message, actor: Actor, db: Database, clock: Clock, state: FSMContext
) -> None:
    """Text, a document or a photo while composing: saved in the draft, then the audience."""
    content = content_of(message)
    if content is None:
        await refuse_input(message)
        return
    await _store_content(message, actor, db, clock, state, content)


async def refuse_input(message: Message) -> None:
    """Anything else while composing: say what is expected, change nothing."""
    got = render("circulars/got.txt", kind=message.content_type)
    await message.answer(render("circulars/wrong_input.html", got=got))


async def _store_content(
    message: Message,
    actor: Actor,
    db: Database,
    clock: Clock,
    state: FSMContext,
    content: Content,
) -> None:
    now = clock.now()
    draft_id = (await state.get_data()).get("circular_id")
    async with db.transaction() as conn:
        draft = await circulars.get(conn, int(draft_id)) if draft_id else None
        if draft is not None and draft.state is not CircularState.DRAFT:
            draft = None
        merged = _merge(draft, content)
        length = len(visible_text(merged.text_html))
        if merged.file_id is not None and length > CAPTION_LIMIT:
            circular = None
        elif draft is None:
            circular = await circulars.create_draft(
                conn,
                author_id=actor.telegram_id,
                text_html=merged.text_html,
                file_kind=merged.file_kind,
                file_id=merged.file_id,
                file_name=merged.file_name,
                now=now,
            )
            await audit.record(
                conn, at=now, actor_id=actor.telegram_id, action="circular.draft",
                entity="circular", entity_id=circular.id, after=circular,
            )  # fmt: skip
        else:
            circular = await circulars.set_content(
                conn,
                draft,
                text_html=merged.text_html,
                file_kind=merged.file_kind,
                file_id=merged.file_id,
                file_name=merged.file_name,
                now=now,
            )
    if circular is None:
        await message.answer(render("circulars/caption_too_long.html", length=length))
        return
    await state.update_data(circular_id=circular.id)
    await message.answer(
        render("circulars/audience.html", circular=circular),
        reply_markup=_audience_keyboard(circular.id),
    )


def _audience_keyboard(circular_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for step, name in (
        (CircularStep.ALL, "all"),
        (CircularStep.KINDS, "kinds"),
        (CircularStep.PICK, "pick"),
        (CircularStep.CANCEL, "cancel"),
    ):
        builder.button(
            text=circular_button(name),
            callback_data=CircularDraft(step=step, circular_id=circular_id),
        )
    builder.adjust(1)
    return builder.as_markup()


def _kinds_keyboard(circular: Circular) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for kind in EnterpriseKind:
        builder.button(
            text=circular_button("kind", kind=kind, checked=kind in circular.kinds),
            callback_data=CircularDraft(
                step=CircularStep.KIND, circular_id=circular.id, kind=kind
            ),
        )
    builder.button(
        text=circular_button("done"),
        callback_data=CircularDraft(step=CircularStep.PREVIEW, circular_id=circular.id),
    )
    builder.button(
        text=circular_button("back"),
        callback_data=CircularDraft(step=CircularStep.BACK, circular_id=circular.id),
    )
    builder.adjust(1)
    return builder.as_markup()


async def _pick_screen(
    conn: aiosqlite.Connection, circular: Circular, page: int
) -> tuple[str, InlineKeyboardMarkup]:
    enterprises = await registry.list_enterprises(conn, active_only=True)
    shown = page_of(enterprises, page, PICK_PAGE_SIZE)
    page, pages = shown.number, shown.count
    builder = InlineKeyboardBuilder()
    for enterprise in shown.items:
        builder.button(
            text=circular_button(
                "enterprise",
                label=enterprise.display_name,
                checked=enterprise.id in circular.enterprise_ids,
            ),
            callback_data=CircularDraft(
                step=CircularStep.ENTERPRISE, circular_id=circular.id, ref=enterprise.id, page=page
            ),
        )
    sizes = [1] * len(shown.items)
    turns = 0
    for target, name in ((page - 1, "prev"), (page + 1, "next")):
        if 0 <= target < pages:
            builder.button(
                text=circular_button(name),
                callback_data=CircularDraft(
                    step=CircularStep.PICK, circular_id=circular.id, page=target
                ),
            )
            turns += 1
    if turns:
        sizes.append(turns)
    builder.button(
        text=circular_button("done"),
        callback_data=CircularDraft(step=CircularStep.PREVIEW, circular_id=circular.id),
    )
    builder.button(
        text=circular_button("back"),
        callback_data=CircularDraft(step=CircularStep.BACK, circular_id=circular.id),
    )
    builder.adjust(*sizes, 1, 1)
    text = render(
        "circulars/pick.html",
        circular=circular,
        chosen=len(circular.enterprise_ids),
        page=page,
        pages=pages,
    )
    return text, builder.as_markup()


async def choose_audience(
    query: CallbackQuery,
    callback_data: CircularDraft,
    actor: Actor,
    db: Database,
    clock: Clock,
    calendar: WorkCalendar,
) -> None:
    """The audience buttons: everyone, kinds (toggled), or enterprises (paged and toggled)."""
    now = clock.now()
    step = callback_data.step
    screen: tuple[str, InlineKeyboardMarkup] | None = None
    async with db.transaction() as conn:
        circular = await circulars.get(conn, callback_data.circular_id)
        if circular is None or circular.state is not CircularState.DRAFT:
            circular = None  # answered below, once the transaction is over
        elif step is CircularStep.ALL:
            await circulars.set_audience(conn, circular.id, Audience.ALL, now=now)
        elif step is CircularStep.KINDS:
            await circulars.set_audience(conn, circular.id, Audience.KINDS, now=now)
        elif step is CircularStep.KIND and callback_data.kind is not None:
            kinds = set(circular.kinds) ^ {callback_data.kind}
            await circulars.set_audience(conn, circular.id, Audience.KINDS, kinds=kinds, now=now)
        elif step is CircularStep.ENTERPRISE:
            if await registry.get_enterprise(conn, callback_data.ref) is not None:
                await circulars.toggle_enterprise(conn, circular.id, callback_data.ref, now=now)
        elif step is CircularStep.PICK:
            await circulars.set_audience(conn, circular.id, Audience.ENTERPRISES, now=now)
        if circular is not None:
            circular = await circulars.get(conn, circular.id)
        if circular is not None and step in (CircularStep.PICK, CircularStep.ENTERPRISE):
            screen = await _pick_screen(conn, circular, callback_data.page)
    if circular is None:
        await query.answer(render("circulars/not_draft.txt"), show_alert=True)
        return
    if step is CircularStep.ALL:
        await _preview(query, db, circular, calendar, now)
        return
    if step in (CircularStep.KINDS, CircularStep.KIND):
        screen = render("circulars/kinds.html", circular=circular), _kinds_keyboard(circular)
    elif screen is None:
        screen = (
            render("circulars/audience.html", circular=circular),
            _audience_keyboard(circular.id),
        )
    await query.answer()
    await edit_or_answer(query, *screen)


async def show_preview(
    query: CallbackQuery,
    callback_data: CircularDraft,
    db: Database,
    clock: Clock,
    calendar: WorkCalendar,
) -> None:
    """«Готово»: the content as recipients will see it, the count, «Надіслати» / «Скасувати»."""
    async with db.reading() as conn:
        circular = await circulars.get(conn, callback_data.circular_id)
    if circular is None or circular.state is not CircularState.DRAFT:
        await query.answer(render("circulars/not_draft.txt"), show_alert=True)
        return
    if circular.audience is Audience.KINDS and not circular.kinds:
        await query.answer(render("circulars/choose_first.txt", what="kinds"), show_alert=True)
        return
    if circular.audience is Audience.ENTERPRISES and not circular.enterprise_ids:
        await query.answer(render("circulars/choose_first.txt", what="pick"), show_alert=True)
        return
    await _preview(query, db, circular, calendar, clock.now())


async def _audience_names(conn: aiosqlite.Connection, circular: Circular) -> list[str]:
    names = []
    for enterprise_id in circular.enterprise_ids:
        enterprise = await registry.get_enterprise(conn, enterprise_id)
        if enterprise is not None:
            names.append(enterprise.display_name)
    return names


async def _preview(
    query: CallbackQuery,
    db: Database,
    circular: Circular,
    calendar: WorkCalendar,
    now: datetime,
) -> None:
    async with db.reading() as conn:
        people = await circulars.recipients(conn, circular)
        names = await _audience_names(conn, circular)
    await query.answer()
    await edit_or_answer(query, render("circulars/chosen.html", circular=circular, names=names))
    message = query.message
    if not isinstance(message, Message):
        return
    if circular.file_kind is FileKind.DOCUMENT and circular.file_id:
        await message.answer_document(circular.file_id, caption=circular.text_html or None)
    elif circular.file_kind is FileKind.PHOTO and circular.file_id:
        await message.answer_photo(circular.file_id, caption=circular.text_html or None)
    else:
        await message.answer(circular.text_html)
    later = calendar.next_allowed_moment(now)
    total = len(people)
    builder = InlineKeyboardBuilder()
    if total:
        builder.button(
            text=circular_button("send"),
            callback_data=CircularDraft(step=CircularStep.SEND, circular_id=circular.id),
        )
    for step, name in ((CircularStep.BACK, "change"), (CircularStep.CANCEL, "cancel")):
        builder.button(
            text=circular_button(name),
            callback_data=CircularDraft(step=step, circular_id=circular.id),
        )
    builder.adjust(1)
    await message.answer(
        render(
            "circulars/preview.html",
            circular=circular,
            names=names,
            total=total,
            bound=sum(1 for r in people if r.person.telegram_id is not None),
            later=later.astimezone(calendar.tz) if later > now else None,
        ),
        reply_markup=builder.as_markup(),
    )


async def send_circular(
    query: CallbackQuery,
    callback_data: CircularDraft,
    actor: Actor,
    db: Database,
    clock: Clock,
    calendar: WorkCalendar,
    state: FSMContext,
) -> None:
    """«Надіслати»: fix the recipients and queue one copy each; a second press sends nothing."""
    now = clock.now()
    queued = unbound = 0
    async with db.transaction() as conn:
        circular = await circulars.get(conn, callback_data.circular_id)
        sent = False
        if circular is not None and circular.state is CircularState.DRAFT:
            people = await circulars.recipients(conn, circular)
            sent = bool(people) and await circulars.mark_sent(conn, circular, people, now=now)
        if sent and circular is not None:
            queued, unbound = await circular_use.deliver(conn, circular, people, calendar, now)
            after = await circulars.get(conn, circular.id)
            await audit.record(
                conn, at=now, actor_id=actor.telegram_id, action="circular.send",
                entity="circular", entity_id=circular.id, before=circular,
                after={**(audit.snapshot(after) or {}), "queued": queued, "unbound": unbound},
            )  # fmt: skip
    if not sent or circular is None:
        await query.answer(render("circulars/not_draft.txt"), show_alert=True)
        return
    log.info("circular %d sent: %d queued, %d not bound", circular.id, queued, unbound)
    await _forget_draft(state, circular.id)
    await query.answer()
    await edit_or_answer(
        query, render("circulars/sent.html", circular=circular, queued=queued, unbound=unbound)
    )


async def cancel_circular(
    query: CallbackQuery,
    callback_data: CircularDraft,
    actor: Actor,
    db: Database,
    clock: Clock,
    state: FSMContext,
) -> None:
    """«Скасувати»: the draft is kept as cancelled, nothing is sent."""
    now = clock.now()
    async with db.transaction() as conn:
        cancelled = await circulars.cancel(conn, callback_data.circular_id, now=now)
        if cancelled:
            await audit.record(
                conn, at=now, actor_id=actor.telegram_id, action="circular.cancel",
                entity="circular", entity_id=callback_data.circular_id,
            )  # fmt: skip
    if not cancelled:
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
    """Composing and sending a circular (the coordinator's); tracking it is in
    handlers.circular_tracking, acknowledging it in handlers.circular_acks."""
    router = Router(name="circulars")
    coordinator = Router(name="circulars.coordinator")
    coordinator.message.filter(coordinator_only)
    coordinator.callback_query.filter(coordinator_only)
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
    coordinator.callback_query.register(
        show_preview, CircularDraft.filter(F.step == CircularStep.PREVIEW)
    )
    coordinator.callback_query.register(choose_audience, CircularDraft.filter())
    router.include_router(coordinator)
    return router

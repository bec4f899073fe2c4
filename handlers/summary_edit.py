"""The coordinator replaces a measure's drafted text, or the letter's proposal, page by page.

The use cases are services/summary_edit.py. Which page is open is FSM state, like the other
coordinator forms: losing it costs one tap, not a text.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup, Message

from core.models import Actor
from reports.consolidated_text import TEXT_LIMIT
from services import summary_edit
from services.deps import Deps
from services.summary_edit import EditorPage, OpenPage, Refusal, Refused
from templates import render
from ui.callbacks import SummaryEdit, SummaryEditAction
from ui.replies import edit_or_answer
from ui.summary_edit import editor_page_keyboard


class SummaryEditForm(StatesGroup):
    text = State()


def _screen(
    page: EditorPage, deps: Deps, *, saved: bool = False, reverted: bool = False
) -> tuple[str, InlineKeyboardMarkup]:
    common = {
        "period_label": page.period_label,
        "zone": deps.requisites.zone,
        "limit": TEXT_LIMIT,
        "saved": saved,
        "reverted": reverted,
        "edit": page.edit,
        "text": page.text,
    }
    if page.measure is None:
        text = render("summary_edit/proposal.html", **common)
    else:
        text = render(
            "summary_edit/page.html",
            index=page.index,
            total=page.total,
            measure=page.measure,
            status_line=page.status_line,
            stale=page.stale,
            draft=page.draft,
            **common,
        )
    markup = editor_page_keyboard(page.code, page.index, page.total, page.edit is not None)
    return text, markup


async def _remember(state: FSMContext, page: EditorPage) -> None:
    """Typed text now goes to this page."""
    await state.set_state(SummaryEditForm.text)
    # The slot, not only the page: a plan re-imported meanwhile may move a measure's place.
    await state.update_data(
        period=page.code,
        index=page.index,
        slot=page.slot,
        # What the coordinator saw: an answer arriving while they type makes the text stale.
        basis=page.basis,
        opened=page.opened_at.timestamp(),
    )


async def open_page(
    query: CallbackQuery, callback_data: SummaryEdit, deps: Deps, state: FSMContext
) -> None:
    """Show one page of the editor; typed text now replaces that page's text."""
    page = await summary_edit.open_page(deps, callback_data.period, callback_data.index)
    if page is None:
        await query.answer(render("summary_edit/gone.txt"), show_alert=True)
        return
    await _remember(state, page)
    text, markup = _screen(page, deps)
    if callback_data.action is SummaryEditAction.START and isinstance(query.message, Message):
        await query.message.answer(text, reply_markup=markup)
    else:
        await edit_or_answer(query, text, markup)
    await query.answer()


async def revert_text(
    query: CallbackQuery,
    callback_data: SummaryEdit,
    actor: Actor,
    deps: Deps,
    state: FSMContext,
) -> None:
    """«↩ Повернути чернетку»: drop the coordinator's text for this page."""
    shown = await state.get_data()
    slot = shown.get("slot") if shown.get("index") == callback_data.index else None
    page = await summary_edit.revert(
        deps, actor.telegram_id, callback_data.period, callback_data.index, slot
    )
    if isinstance(page, Refused):
        if page.why is Refusal.MOVED:
            await state.clear()
        await query.answer(render("summary_edit/gone.txt"), show_alert=True)
        return
    await _remember(state, page)
    text, markup = _screen(page, deps, reverted=True)
    await edit_or_answer(query, text, markup)
    await query.answer()


async def send_answers(query: CallbackQuery, callback_data: SummaryEdit, deps: Deps) -> None:
    """«📄 Відповіді організацій»: this measure's answers as a DOCX, the annex's part."""
    found = await summary_edit.measure_answers(deps, callback_data.period, callback_data.index)
    if found is None:
        await query.answer(render("summary_edit/gone.txt"), show_alert=True)
        return
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.answer_document(
            BufferedInputFile(found.data, filename=found.name),
            caption=render(
                "summary_edit/answers_caption.html",
                number=found.number,
                period_label=found.period_label,
            ),
        )


async def finish_editing(
    query: CallbackQuery, callback_data: SummaryEdit, deps: Deps, state: FSMContext
) -> None:
    """«✅ Готово»: typed text no longer goes to the editor."""
    await state.clear()
    finished = await summary_edit.finish(deps, callback_data.period)
    await query.answer()
    if finished is None:
        return
    await edit_or_answer(
        query,
        render(
            "summary_edit/done.html",
            period_label=finished.period_label,
            edited=finished.edited,
            code=finished.code,
        ),
    )


async def save_text(message: Message, actor: Actor, deps: Deps, state: FSMContext) -> None:
    """A typed text replaces the open page's text; too long or empty changes nothing.

    A page left open longer than EDIT_WINDOW no longer catches text: it goes on to whatever
    else it may be (a circular, a comment), and the editor is closed.
    """
    data = await state.get_data()
    slot = data.get("slot")
    shown = OpenPage(
        period=str(data.get("period", "")),
        index=int(data.get("index", -1)),
        slot=None if slot is None else str(slot),
        basis=str(data.get("basis", "")),
        opened=float(data.get("opened", 0)),
    )
    page = await summary_edit.replace_text(deps, actor.telegram_id, shown, message.text or "")
    if isinstance(page, EditorPage):
        text, markup = _screen(page, deps, saved=True)
        await message.answer(text, reply_markup=markup)
        return
    match page.why:
        case Refusal.LATE:
            await state.clear()
            raise SkipHandler
        case Refusal.EMPTY:
            await message.answer(render("summary_edit/empty.html"))
        case Refusal.TOO_LONG:
            await message.answer(
                render("summary_edit/too_long.html", length=page.length, limit=TEXT_LIMIT)
            )
        case _:
            await state.clear()
            await message.answer(render("summary_edit/gone.txt"))


async def refuse_input(message: Message) -> None:
    """Anything but text while a page is open: say what is expected."""
    await message.answer(render("summary_edit/not_text.html"))


def create_router() -> Router:
    """The consolidated texts' editor as a fresh Router (one per Dispatcher)."""
    router = Router(name="summary_edit")
    router.callback_query.register(
        open_page,
        SummaryEdit.filter(F.action.in_({SummaryEditAction.START, SummaryEditAction.OPEN})),
    )
    router.callback_query.register(
        revert_text, SummaryEdit.filter(F.action == SummaryEditAction.REVERT)
    )
    router.callback_query.register(
        send_answers, SummaryEdit.filter(F.action == SummaryEditAction.ANSWERS)
    )
    router.callback_query.register(
        finish_editing, SummaryEdit.filter(F.action == SummaryEditAction.DONE)
    )
    editing = StateFilter(SummaryEditForm.text)
    router.message.register(save_text, editing, F.text & ~F.text.startswith("/"))
    # Files go on to their own routers (a plan, a registry), stickers and the like are refused.
    router.message.register(refuse_input, editing, ~F.text & ~F.document)
    return router

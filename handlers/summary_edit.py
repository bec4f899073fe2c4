"""The coordinator replaces a measure's drafted text, or the letter's proposal, page by page.

The edits live in the database (storage/summary_texts.py) and survive a restart; which page is
open is FSM state, like the other coordinator forms: losing it costs one tap, not a text.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from aiogram import F, Router
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from core.clock import Clock
from core.consolidation import attached, basis
from core.models import Actor
from core.periods import Period
from core.summary import PROPOSAL_SLOT, Summary, measure_slot
from handlers.access import coordinator_only
from reports.annex_docx import render_annex_docx
from reports.consolidated_text import TEXT_LIMIT, measure_text
from reports.letter_docx import proposal
from reports.requisites import Requisites
from reports.summary_digest import period_label, status_line
from storage import summary_texts
from storage.database import Database
from storage.summaries import NoRounds, load_summary
from templates import render
from ui.callbacks import SummaryEdit, SummaryEditAction
from ui.replies import edit_or_answer

# Characters a client lets one send that show nothing: such a text is empty.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"


EDIT_WINDOW = timedelta(hours=1)


class SummaryEditForm(StatesGroup):
    text = State()


def _button(builder: InlineKeyboardBuilder, name: str, data: SummaryEdit) -> None:
    builder.button(text=render("summary_edit/buttons.txt", name=name), callback_data=data)


def start_keyboard(code: str, measures: int) -> InlineKeyboardMarkup:
    """Under the digest: open the first measure's page, or the proposal's."""
    builder = InlineKeyboardBuilder()
    _button(builder, "start", SummaryEdit(action=SummaryEditAction.START, period=code))
    _button(
        builder,
        "proposal",
        SummaryEdit(action=SummaryEditAction.START, period=code, index=measures),
    )
    builder.adjust(1)
    return builder.as_markup()


def _page_keyboard(code: str, index: int, last: int, edited: bool) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    sizes = []
    turns = [("prev", index - 1)] if index > 0 else []
    turns += [("next", index + 1)] if index < last else []
    for name, target in turns:
        _button(
            builder, name, SummaryEdit(action=SummaryEditAction.OPEN, period=code, index=target)
        )
    sizes.append(len(turns))
    extra = 0
    if edited:
        _button(
            builder,
            "revert",
            SummaryEdit(action=SummaryEditAction.REVERT, period=code, index=index),
        )
        extra += 1
    if index < last:
        _button(
            builder,
            "answers",
            SummaryEdit(action=SummaryEditAction.ANSWERS, period=code, index=index),
        )
        extra += 1
    sizes.append(extra)
    _button(builder, "done", SummaryEdit(action=SummaryEditAction.DONE, period=code, index=index))
    sizes.append(1)
    builder.adjust(*[s for s in sizes if s])
    return builder.as_markup()


async def _summary(db: Database, clock: Clock, code: str) -> Summary | None:
    try:
        period = Period.parse(code)
    except ValueError:
        return None
    loaded = await load_summary(db, period, clock.now())
    return None if isinstance(loaded, NoRounds) else loaded


def _page(
    summary: Summary, index: int, requisites: Requisites, *, saved: bool = False,
    reverted: bool = False,
) -> tuple[str, InlineKeyboardMarkup]:  # fmt: skip
    measures = summary.measures
    code = summary.period.code
    common = {
        "period_label": period_label(summary.period),
        "zone": requisites.zone,
        "limit": TEXT_LIMIT,
        "saved": saved,
        "reverted": reverted,
    }
    if index >= len(measures):
        edit = summary.edits.get(PROPOSAL_SLOT)
        text = render("summary_edit/proposal.html", edit=edit, text=proposal(summary), **common)
        return text, _page_keyboard(code, len(measures), len(measures), edit is not None)
    item = measures[index]
    shown = measure_text(summary, item)
    text = render(
        "summary_edit/page.html",
        index=index,
        total=len(measures),
        measure=item.measure,
        status_line=status_line(item.counts),
        edit=shown.edit,
        stale=shown.stale,
        text=shown.text,
        draft=shown.draft,
        **common,
    )
    return text, _page_keyboard(code, index, len(measures), shown.edit is not None)


async def _opened(
    query: CallbackQuery, callback_data: SummaryEdit, db: Database, clock: Clock,
    state: FSMContext,
) -> Summary | None:  # fmt: skip
    """The period of a page button, with typed text now going to that page; None: gone."""
    summary = await _summary(db, clock, callback_data.period)
    if summary is None or not 0 <= callback_data.index <= len(summary.measures):
        await query.answer(render("summary_edit/gone.txt"), show_alert=True)
        return None
    await state.set_state(SummaryEditForm.text)
    # The slot, not only the page: a plan re-imported meanwhile may move a measure's place.
    slot = _slot(summary, callback_data.index)
    await state.update_data(
        period=callback_data.period,
        index=callback_data.index,
        slot=slot,
        # What the coordinator saw: an answer arriving while they type makes the text stale.
        basis=_basis(summary, callback_data.index),
        opened=clock.now().timestamp(),
    )
    return summary


def _basis(summary: Summary, index: int) -> str:
    if index >= len(summary.measures):
        return ""
    item = summary.measures[index]
    return basis(item, attached(item, summary.indicators))


async def open_page(
    query: CallbackQuery,
    callback_data: SummaryEdit,
    db: Database,
    clock: Clock,
    requisites: Requisites,
    state: FSMContext,
) -> None:
    """Show one page of the editor; typed text now replaces that page's text."""
    summary = await _opened(query, callback_data, db, clock, state)
    if summary is None:
        return
    text, markup = _page(summary, callback_data.index, requisites)
    if callback_data.action is SummaryEditAction.START and isinstance(query.message, Message):
        await query.message.answer(text, reply_markup=markup)
    else:
        await edit_or_answer(query, text, markup)
    await query.answer()


def _slot(summary: Summary, index: int) -> str:
    if index >= len(summary.measures):
        return PROPOSAL_SLOT
    return measure_slot(summary.measures[index].measure.number)


async def revert_text(
    query: CallbackQuery,
    callback_data: SummaryEdit,
    actor: Actor,
    db: Database,
    clock: Clock,
    requisites: Requisites,
    state: FSMContext,
) -> None:
    """«↩ Повернути чернетку»: drop the coordinator's text for this page."""
    shown = await state.get_data()
    summary = await _opened(query, callback_data, db, clock, state)
    if summary is None:
        return
    if shown.get("index") == callback_data.index and shown.get("slot") not in (
        None,
        _slot(summary, callback_data.index),
    ):
        # The plan moved the measure since the page was shown: revert nothing blindly.
        await state.clear()
        await query.answer(render("summary_edit/gone.txt"), show_alert=True)
        return
    async with db.transaction() as conn:
        await summary_texts.revert(
            conn,
            summary.period.code,
            _slot(summary, callback_data.index),
            actor_id=actor.telegram_id,
            now=clock.now(),
        )
    summary = await _summary(db, clock, callback_data.period)
    assert summary is not None
    text, markup = _page(summary, callback_data.index, requisites, reverted=True)
    await edit_or_answer(query, text, markup)
    await query.answer()


async def send_answers(
    query: CallbackQuery,
    callback_data: SummaryEdit,
    db: Database,
    clock: Clock,
    requisites: Requisites,
) -> None:
    """«📄 Відповіді організацій»: this measure's answers as a DOCX, the annex's part."""
    summary = await _summary(db, clock, callback_data.period)
    if summary is None or not 0 <= callback_data.index < len(summary.measures):
        await query.answer(render("summary_edit/gone.txt"), show_alert=True)
        return
    await query.answer()
    measure = summary.measures[callback_data.index].measure
    data = await asyncio.to_thread(render_annex_docx, summary, requisites, [measure.id])
    if isinstance(query.message, Message):
        number = measure.number.rstrip(".")
        await query.message.answer_document(
            BufferedInputFile(data, filename=f"vidpovidi_{summary.period.code}_{number}.docx"),
            caption=render(
                "summary_edit/answers_caption.html",
                number=measure.number,
                period_label=period_label(summary.period),
            ),
        )


async def finish_editing(
    query: CallbackQuery,
    callback_data: SummaryEdit,
    db: Database,
    clock: Clock,
    state: FSMContext,
) -> None:
    """«✅ Готово»: typed text no longer goes to the editor."""
    await state.clear()
    summary = await _summary(db, clock, callback_data.period)
    await query.answer()
    if summary is None:
        return
    edited = sum(1 for slot in summary.edits if slot != PROPOSAL_SLOT)
    await edit_or_answer(
        query,
        render(
            "summary_edit/done.html",
            period_label=period_label(summary.period),
            edited=edited,
            code=summary.period.code,
        ),
    )


async def save_text(
    message: Message,
    actor: Actor,
    db: Database,
    clock: Clock,
    requisites: Requisites,
    state: FSMContext,
) -> None:
    """A typed text replaces the open page's text; too long or empty changes nothing.

    A page left open longer than EDIT_WINDOW no longer catches text: it goes on to whatever
    else it may be (a circular, a comment), and the editor is closed.
    """
    data = await state.get_data()
    if clock.now().timestamp() - float(data.get("opened", 0)) > EDIT_WINDOW.total_seconds():
        await state.clear()
        raise SkipHandler
    typed = (message.text or "").strip().strip(_INVISIBLE).strip()
    if not typed:
        await message.answer(render("summary_edit/empty.html"))
        return
    if len(typed) > TEXT_LIMIT:
        await message.answer(
            render("summary_edit/too_long.html", length=len(typed), limit=TEXT_LIMIT)
        )
        return
    summary = await _summary(db, clock, str(data.get("period", "")))
    index = int(data.get("index", -1))
    if (
        summary is None
        or not 0 <= index <= len(summary.measures)
        or _slot(summary, index) != data.get("slot")
    ):
        await state.clear()
        await message.answer(render("summary_edit/gone.txt"))
        return
    written_against = str(data.get("basis", ""))
    async with db.transaction() as conn:
        await summary_texts.save(
            conn,
            summary.period.code,
            _slot(summary, index),
            typed,
            written_against,
            actor_id=actor.telegram_id,
            now=clock.now(),
        )
    summary = await _summary(db, clock, summary.period.code)
    assert summary is not None
    text, markup = _page(summary, index, requisites, saved=True)
    await message.answer(text, reply_markup=markup)


async def refuse_input(message: Message) -> None:
    """Anything but text while a page is open: say what is expected."""
    await message.answer(render("summary_edit/not_text.html"))


def create_router() -> Router:
    """The consolidated texts' editor as a fresh Router (one per Dispatcher)."""
    router = Router(name="summary_edit")
    router.message.filter(coordinator_only)
    router.callback_query.filter(coordinator_only)
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

"""A sent circular tracked: the recent ones, who has read one, a reminder to those who have not,
and the acknowledgement sheet."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import BufferedInputFile, CallbackQuery, Message

from core.models import Actor
from services import circular_tracking
from services.deps import Deps
from templates import render
from ui.callbacks import CircularTrack, TrackAction
from ui.circulars import detail_screen, list_screen
from ui.replies import answer_long


async def list_circulars(message: Message, deps: Deps) -> None:
    """/circulars: the recent circulars with delivered / acknowledged / unreachable counts."""
    text, markup = list_screen(await circular_tracking.recent(deps), deps.calendar.tz)
    await message.answer(text, reply_markup=markup)


async def open_circular(query: CallbackQuery, callback_data: CircularTrack, deps: Deps) -> None:
    """One circular: counts, who has not acknowledged, «Нагадати» and the export."""
    tracked = await circular_tracking.tracked(deps, callback_data.circular_id)
    if tracked is None:
        await query.answer(render("access/stale.txt"), show_alert=True)
        return
    text, markup = detail_screen(tracked, deps.calendar.tz)
    await query.answer()
    if isinstance(query.message, Message):
        await answer_long(query.message, text, markup)


async def remind_circular(
    query: CallbackQuery, callback_data: CircularTrack, actor: Actor, deps: Deps
) -> None:
    """«Нагадати»: one reminder per delivered non-acknowledger, at most once a local day."""
    reminded = await circular_tracking.remind(deps, actor.telegram_id, callback_data.circular_id)
    if reminded is None:
        await query.answer(render("access/stale.txt"), show_alert=True)
        return
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.answer(
            render(
                "circulars/reminded.html",
                circular_id=reminded.circular_id,
                queued=reminded.queued,
                already=reminded.already,
            )
        )


async def export_sheet(query: CallbackQuery, callback_data: CircularTrack, deps: Deps) -> None:
    """The acknowledgement sheet as an XLSX document."""
    sheet = await circular_tracking.acknowledgement_sheet(deps, callback_data.circular_id)
    if sheet is None:
        await query.answer(render("access/stale.txt"), show_alert=True)
        return
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.answer_document(
            BufferedInputFile(
                sheet.data,
                render("circulars/sheet.txt", name="file", circular_id=sheet.circular_id),
            ),
            caption=render(
                "circulars/export_caption.html", circular_id=sheet.circular_id, counts=sheet.counts
            ),
        )


def create_router() -> Router:
    """Tracking circulars (coordinators only) as a fresh Router."""
    router = Router(name="circular_tracking")
    router.message.register(list_circulars, Command("circulars"))
    router.callback_query.register(
        open_circular, CircularTrack.filter(F.action == TrackAction.OPEN)
    )
    router.callback_query.register(
        remind_circular, CircularTrack.filter(F.action == TrackAction.REMIND)
    )
    router.callback_query.register(
        export_sheet, CircularTrack.filter(F.action == TrackAction.EXPORT)
    )
    return router

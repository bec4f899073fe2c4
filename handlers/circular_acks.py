"""«Підтверджую ознайомлення»: a person acknowledges a circular, only on the message it came in."""

from __future__ import annotations

from aiogram import Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, Message

from core.models import Actor
from services import circular_tracking
from services.deps import Deps
from templates import render
from ui.callbacks import CircularAck
from ui.circulars import acked_keyboard


async def acknowledge(
    query: CallbackQuery, callback_data: CircularAck, actor: Actor, deps: Deps
) -> None:
    """«Ознайомлений(-а)»: only on one's own delivered copy; the first press is what counts."""
    message = query.message
    acknowledged = await circular_tracking.acknowledge(
        deps,
        actor,
        callback_data.circular_id,
        callback_data.person_id,
        message.message_id if message is not None else None,
    )
    if acknowledged is None:
        await query.answer(render("circulars/not_yours.txt"), show_alert=True)
        return
    at = acknowledged.at.astimezone(deps.calendar.tz)
    if acknowledged.newly:
        await query.answer(render("circulars/acknowledged.txt"))
    else:
        await query.answer(render("circulars/already.txt", at=at), show_alert=True)
    if isinstance(message, Message):
        try:
            await message.edit_reply_markup(reply_markup=acked_keyboard(callback_data, at))
        except TelegramBadRequest as error:
            if "not modified" not in error.message:
                raise


def create_router() -> Router:
    """Acknowledging circulars (persons only) as a fresh Router."""
    router = Router(name="circular_acks")
    router.callback_query.register(acknowledge, CircularAck.filter())
    return router

"""«Підтверджую ознайомлення»: a person acknowledges a circular, only on the message it came in."""

from __future__ import annotations

import logging

from aiogram import Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from core.calendar import WorkCalendar
from core.circulars import (
    Receipt,
)
from core.clock import Clock
from core.models import Actor
from handlers.access import person_only
from storage import audit, circulars
from storage.database import Database
from templates import render
from ui.callbacks import (
    CircularAck,
)
from ui.circulars import circular_button

log = logging.getLogger(__name__)


async def acknowledge(
    query: CallbackQuery,
    callback_data: CircularAck,
    actor: Actor,
    db: Database,
    clock: Clock,
    calendar: WorkCalendar,
) -> None:
    """«Ознайомлений(-а)»: only on one's own delivered copy; the first press is what counts."""
    person = actor.person
    message = query.message
    now = clock.now()
    newly = False
    receipt: Receipt | None = None
    async with db.transaction() as conn:
        if person is not None and person.id == callback_data.person_id:
            receipt = await circulars.receipt_of(conn, callback_data.circular_id, person.id)
        own = (
            receipt is not None
            and receipt.chat_id == actor.telegram_id
            and message is not None
            and receipt.message_id == message.message_id
        )
        if own and receipt is not None:
            newly = await circulars.acknowledge(
                conn, receipt.circular_id, receipt.person_id, now=now
            )
            if newly:
                await audit.record(
                    conn, at=now, actor_id=actor.telegram_id, action="circular.acknowledge",
                    entity="circular", entity_id=receipt.circular_id,
                    after={"person_id": receipt.person_id, "acknowledged_at": now},
                )  # fmt: skip
            receipt = await circulars.receipt_of(conn, receipt.circular_id, receipt.person_id)
    if not own or receipt is None or receipt.acknowledged_at is None:
        log.warning(
            "refused acknowledgement of circular %d for person %d by user %d",
            callback_data.circular_id,
            callback_data.person_id,
            actor.telegram_id,
        )
        await query.answer(render("circulars/not_yours.txt"), show_alert=True)
        return
    at = receipt.acknowledged_at.astimezone(calendar.tz)
    if newly:
        await query.answer(render("circulars/acknowledged.txt"))
    else:
        await query.answer(render("circulars/already.txt", at=at), show_alert=True)
    builder = InlineKeyboardBuilder()
    builder.button(text=circular_button("acked", at=at), callback_data=callback_data)
    if isinstance(message, Message):
        try:
            await message.edit_reply_markup(reply_markup=builder.as_markup())
        except TelegramBadRequest as error:
            if "not modified" not in error.message:
                raise


def create_router() -> Router:
    """Acknowledging circulars (persons only) as a fresh Router."""
    router = Router(name="circular_acks")
    router.callback_query.filter(person_only)
    router.callback_query.register(acknowledge, CircularAck.filter())
    return router

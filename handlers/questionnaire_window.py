"""The questionnaire's live window on Telegram: a step edited into the pressed message, or sent
as a new message after typed input, and a refused button answered. No Router here."""

from __future__ import annotations

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, Message

from core.models import RoundState
from services.deps import Deps
from services.questionnaire import Pressed, Refusal, Refused, Shown, window_sent
from templates import render
from ui.callbacks import Q
from ui.questionnaire import screen
from ui.replies import edit_or_answer

_REFUSALS = {Refusal.DENIED: "access/denied_alert.txt", Refusal.STALE: "access/stale.txt"}


def pressed(query: CallbackQuery, data: Q) -> Pressed:
    """The questionnaire button behind a callback: its report, window and message."""
    message_id = query.message.message_id if isinstance(query.message, Message) else None
    return Pressed(report_id=data.report_id, window=data.screen, message_id=message_id)


async def show(query: CallbackQuery, shown: Shown) -> None:
    """Edit the pressed message into the stored step: it is (or becomes) the live window."""
    text, markup = screen(shown.context, shown.step, shown.window)
    await edit_or_answer(query, text, markup)


async def send(bot: Bot, deps: Deps, chat_id: int, shown: Shown, *, tidy: bool = True) -> None:
    """Send the stored step as a new live window; the old one loses its buttons (`tidy`).

    The step and the window's token were stored before this: a crash after the person saw
    the new screen never brings them back to the previous one, and its buttons work whether
    or not the message id is stored after the send.
    """
    if tidy and shown.old_message is not None:
        try:
            await bot.edit_message_reply_markup(chat_id=chat_id, message_id=shown.old_message)
        except TelegramBadRequest:
            pass  # already gone or without buttons: nothing to tidy
    text, markup = screen(shown.context, shown.step, shown.window)
    sent = await bot.send_message(chat_id, text, reply_markup=markup)
    await window_sent(deps, shown, sent.message_id)


async def refuse(query: CallbackQuery, refused: Refused) -> None:
    """A button that changed nothing: say why in an alert."""
    context = refused.context
    if refused.reason is Refusal.NOT_EDITABLE and context is not None:
        # A button of a report that can't change now: accepted, submitted or closed.
        state = context.report.state if context.round.state is RoundState.OPEN else "closed"
        text = render("questionnaire/not_editable_alert.txt", state=state)
    else:
        text = render(_REFUSALS.get(refused.reason, "access/stale.txt"))
    await query.answer(text, show_alert=True)

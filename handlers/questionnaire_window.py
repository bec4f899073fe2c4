"""The questionnaire's one live window on Telegram: a step edited into the pressed message, or
into the live message after typed input (whose message is taken away), or sent anew where that
cannot be done; and a refused button answered. No Router here."""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest
from aiogram.types import CallbackQuery, Message

from core.models import RoundState
from services.deps import Deps
from services.questionnaire import Pressed, Refusal, Refused, Shown, window_sent
from templates import render
from ui.callbacks import Q
from ui.questionnaire import screen
from ui.replies import edit_or_answer

log = logging.getLogger(__name__)

_REFUSALS = {Refusal.DENIED: "access/denied_alert.txt", Refusal.STALE: "access/stale.txt"}


def pressed(query: CallbackQuery, data: Q) -> Pressed:
    """The questionnaire button behind a callback: its report, window and message."""
    message_id = query.message.message_id if isinstance(query.message, Message) else None
    return Pressed(report_id=data.report_id, window=data.screen, message_id=message_id)


async def show(query: CallbackQuery, shown: Shown) -> None:
    """Edit the pressed message into the stored step: it is (or becomes) the live window."""
    text, markup = screen(shown.context, shown.step, shown.window, shown.note)
    await edit_or_answer(query, text, markup)


async def after_input(bot: Bot, deps: Deps, message: Message, shown: Shown) -> None:
    """A typed answer is saved: its message goes (the screen now says what was saved) and the
    live window above it is edited into the next step. Where Telegram refuses to delete the
    message or to edit the window, the next step is sent as a new window below instead."""
    chat_id = message.chat.id
    if shown.old_message is not None and await _delete(bot, chat_id, message.message_id):
        text, markup = screen(shown.context, shown.step, shown.window, shown.note)
        try:
            await bot.edit_message_text(
                text, chat_id=chat_id, message_id=shown.old_message, reply_markup=markup
            )
            return
        except TelegramBadRequest as error:
            if "not modified" in error.message:
                return
            log.info("live window %s not edited: %s", shown.old_message, error.message)
    await send(bot, deps, chat_id, shown)


async def replace(bot: Bot, deps: Deps, chat_id: int, shown: Shown) -> None:
    """Send the step as a new window below what the person sent (a file stays in the chat as
    their record) and take the old window away first, so there is one at every moment."""
    if shown.old_message is not None and not await _delete(bot, chat_id, shown.old_message):
        await _strip(bot, chat_id, shown.old_message)
    await send(bot, deps, chat_id, shown, tidy=False)


async def send(bot: Bot, deps: Deps, chat_id: int, shown: Shown, *, tidy: bool = True) -> None:
    """Send the stored step as a new live window; the old one loses its buttons (`tidy`).

    The step and the window's token were stored before this: a crash after the person saw
    the new screen never brings them back to the previous one, and its buttons work whether
    or not the message id is stored after the send.
    """
    if tidy and shown.old_message is not None:
        await _strip(bot, chat_id, shown.old_message)
    text, markup = screen(shown.context, shown.step, shown.window, shown.note)
    sent = await bot.send_message(chat_id, text, reply_markup=markup)
    await window_sent(deps, shown, sent.message_id)


async def _delete(bot: Bot, chat_id: int, message_id: int) -> bool:
    try:
        return await bot.delete_message(chat_id=chat_id, message_id=message_id)
    except TelegramAPIError as error:
        # Too old (48 h), already gone, or Telegram unwell: the caller sends a new screen.
        log.info("message %s not deleted: %s", message_id, error)
        return False


async def _strip(bot: Bot, chat_id: int, message_id: int) -> None:
    try:
        await bot.edit_message_reply_markup(chat_id=chat_id, message_id=message_id)
    except TelegramBadRequest:
        pass  # already gone or without buttons: nothing to tidy


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

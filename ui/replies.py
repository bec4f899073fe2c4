"""Sending rendered text back within Telegram's limits: long texts split, edits tolerated."""

from __future__ import annotations

import html

from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from templates.chunks import split_html


async def answer_long(
    message: Message, text: str, reply_markup: InlineKeyboardMarkup | None = None
) -> None:
    """Send a text of any length as several messages; buttons go on the last one."""
    chunks = split_html(text)
    for index, chunk in enumerate(chunks):
        last = index == len(chunks) - 1
        await message.answer(chunk, reply_markup=reply_markup if last else None)


def _shows(message: Message, text: str, reply_markup: InlineKeyboardMarkup | None) -> bool:
    """Whether the message already reads `text` with these buttons (entities compared as HTML,
    unescaped, since Jinja escapes quotes that Telegram gives back bare)."""
    if message.text is None or _buttons(message.reply_markup) != _buttons(reply_markup):
        return False
    return html.unescape(message.html_text) == html.unescape(text).strip()


def _buttons(markup: InlineKeyboardMarkup | None) -> object:
    # Compared as data: a markup that came with an update carries the bot, a fresh one not.
    return markup.model_dump(exclude_none=True) if markup is not None else None


async def edit_or_answer(
    query: CallbackQuery, text: str, reply_markup: InlineKeyboardMarkup | None = None
) -> None:
    """Edit the message the button was on; if it is gone or too old, send a new one."""
    message = query.message
    if isinstance(message, Message):
        if _shows(message, text, reply_markup):
            return  # Telegram refuses an edit that changes nothing: a 400, "not modified"
        try:
            await message.edit_text(text, reply_markup=reply_markup)
            return
        except TelegramBadRequest as error:
            if "not modified" in error.message:
                return
    if query.bot is not None and query.from_user is not None:
        await query.bot.send_message(query.from_user.id, text, reply_markup=reply_markup)

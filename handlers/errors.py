"""Errors we cause: logged with context, an apology to the user, and nothing half-done."""

from __future__ import annotations

import logging

from aiogram import Bot, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.types import ErrorEvent

from templates import render

log = logging.getLogger(__name__)


async def apologise(event: ErrorEvent, bot: Bot) -> None:
    """Log the failure (never message bodies) and tell the user nothing was changed."""
    update = event.update
    user = None
    if update.message is not None and update.message.from_user is not None:
        user = update.message.from_user.id
    elif update.callback_query is not None:
        user = update.callback_query.from_user.id
    log.error(
        "update %s from user %s failed: %s",
        update.update_id,
        user,
        type(event.exception).__name__,
        exc_info=event.exception,
    )
    if user is None:
        return
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(render("errors/apology.html"), show_alert=True)
        else:
            await bot.send_message(user, render("errors/apology.html"))
    except TelegramAPIError:
        log.warning("could not apologise to user %s", user)


def create_router() -> Router:
    """The errors use case as a fresh Router (one per Dispatcher)."""
    router = Router(name="errors")
    router.errors.register(apologise)
    return router

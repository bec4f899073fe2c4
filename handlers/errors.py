"""Errors we cause: logged with context, an apology to the user, and nothing half-done."""

from __future__ import annotations

import logging

from aiogram import Bot, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.types import ErrorEvent

from core.models import Actor, Role
from services.failures import saved_by_handler
from templates import render

log = logging.getLogger(__name__)


async def apologise(
    event: ErrorEvent,
    bot: Bot,
    actor: Actor | None = None,
) -> None:
    """Log the failure (never message bodies) and tell the user what was and wasn't saved."""
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
    text = render(
        "errors/apology.html",
        saved=saved_by_handler(),
        person=actor is not None and actor.role is Role.PERSON,
    )
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(text, show_alert=True)
        else:
            await bot.send_message(user, text)
    except TelegramAPIError:
        log.warning("could not apologise to user %s", user)


def create_router() -> Router:
    """The errors use case as a fresh Router (one per Dispatcher)."""
    router = Router(name="errors")
    router.errors.register(apologise)
    return router

"""Command menus per scope (setMyCommands): strangers, persons, and each coordinator's chat."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError
from aiogram.types import BotCommand, BotCommandScopeChat, BotCommandScopeDefault

from templates import render

log = logging.getLogger(__name__)


def commands(role: str) -> list[BotCommand]:
    """Parse templates/commands/<role>.txt: one "command — description" per line."""
    result = []
    for line in render(f"commands/{role}.txt").splitlines():
        name, _, description = line.partition("—")
        if name.strip():
            result.append(BotCommand(command=name.strip(), description=description.strip()))
    return result


async def set_chat_menu(bot: Bot, chat_id: int, role: str) -> None:
    """A chat may not exist yet (never started the bot); that is not an error worth failing on."""
    try:
        await bot.set_my_commands(commands(role), scope=BotCommandScopeChat(chat_id=chat_id))
    except (TelegramBadRequest, TelegramForbiddenError) as error:
        log.info("menu for chat %s not set: %s", chat_id, error.message)


async def set_startup_menus(bot: Bot, coordinator_ids: Iterable[int]) -> None:
    await bot.set_my_commands(commands("person"), scope=BotCommandScopeDefault())
    for chat_id in coordinator_ids:
        await set_chat_menu(bot, chat_id, "coordinator")

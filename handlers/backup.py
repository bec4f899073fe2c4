"""Coordinator's /backup: a fresh backup of the database, sent to their chat as a document."""

from __future__ import annotations

import math

from aiogram import Router
from aiogram.enums import ChatAction
from aiogram.filters import Command
from aiogram.types import FSInputFile, Message

from core.models import Actor
from services import backup as backups
from services.deps import Deps
from templates import render


async def send_backup(message: Message, actor: Actor, deps: Deps) -> None:
    """Make a backup now and hand it over, or say where it lies when it is too big to send."""
    if message.bot is not None:
        await message.bot.send_chat_action(message.chat.id, ChatAction.UPLOAD_DOCUMENT)
    made = await backups.back_up_now(deps)
    name = made.path.name
    if made.too_large:
        await message.answer(
            render(
                "backup/too_large.html",
                name=name,
                size_mb=math.ceil(made.size / (1024 * 1024)),
                limit_mb=backups.UPLOAD_LIMIT_BYTES // (1024 * 1024),
            )
        )
        return
    await message.answer_document(
        FSInputFile(made.path, filename=name),
        caption=render("backup/caption.html", name=name, size_kb=math.ceil(made.size / 1024)),
    )
    # Recorded once the copy has left: a file that was not handed over is no one's.
    await backups.record_handed_over(deps, actor, made)


def create_router() -> Router:
    """The backup use case as a fresh Router (one per Dispatcher)."""
    router = Router(name="backup")
    router.message.register(send_backup, Command("backup"))
    return router

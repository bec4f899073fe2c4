"""Coordinator's /backup: a fresh backup of the database, sent to their chat as a document."""

from __future__ import annotations

import math

from aiogram import Router
from aiogram.enums import ChatAction
from aiogram.filters import Command
from aiogram.types import FSInputFile, Message

from core.clock import Clock
from core.models import Actor
from handlers.access import coordinator_only
from storage import audit
from storage.backup import BackupPolicy, make_backup
from storage.database import Database
from templates import render

# Telegram's Bot API refuses uploads above 50 MB from bots.
UPLOAD_LIMIT_BYTES = 50 * 1024 * 1024


async def send_backup(
    message: Message, actor: Actor, db: Database, clock: Clock, backup_policy: BackupPolicy
) -> None:
    """Make a backup now and hand it over, or say where it lies when it is too big to send."""
    if message.bot is not None:
        await message.bot.send_chat_action(message.chat.id, ChatAction.UPLOAD_DOCUMENT)
    now = clock.now()
    path = await make_backup(db.path, backup_policy, now)
    size = path.stat().st_size
    if size > UPLOAD_LIMIT_BYTES:
        await message.answer(
            render(
                "backup/too_large.html",
                name=path.name,
                size_mb=math.ceil(size / (1024 * 1024)),
                limit_mb=UPLOAD_LIMIT_BYTES // (1024 * 1024),
            )
        )
        return
    await message.answer_document(
        FSInputFile(path, filename=path.name),
        caption=render("backup/caption.html", name=path.name, size_kb=math.ceil(size / 1024)),
    )
    # The file carries everyone's personal data: who took a copy is worth a line in the audit.
    async with db.transaction() as conn:
        await audit.record(
            conn,
            at=now,
            actor_id=actor.telegram_id,
            action="backup.sent",
            entity="database",
            entity_id=None,
            after={"file": path.name, "bytes": size},
        )


def create_router() -> Router:
    """The backup use case as a fresh Router (one per Dispatcher)."""
    router = Router(name="backup")
    router.message.filter(coordinator_only)
    router.message.register(send_backup, Command("backup"))
    return router

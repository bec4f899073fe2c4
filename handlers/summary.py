"""Coordinator's /summary [period]: the consolidated report as a chat digest and three files."""

from __future__ import annotations

import logging

from aiogram import Router
from aiogram.enums import ChatAction
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import Command, CommandObject
from aiogram.types import BufferedInputFile, Message

from core.periods import Period
from reports.summary_digest import period_label
from services.deps import Deps
from services.summary import NoRounds, summary_documents
from templates import render
from ui.replies import answer_long
from ui.summary_edit import editor_start_keyboard

log = logging.getLogger(__name__)


async def send_summary(message: Message, command: CommandObject, deps: Deps) -> None:
    """/summary: the latest round; /summary 2026Q1, 2026H1 or 2026: that period."""
    argument = (command.args or "").strip()
    period: Period | None = None
    if argument:
        try:
            period = Period.parse(argument)
        except ValueError:
            await message.answer(render("summary/chat_usage.html", argument=argument))
            return
    if message.bot is not None:
        await message.bot.send_chat_action(message.chat.id, ChatAction.UPLOAD_DOCUMENT)
    result = await summary_documents(deps, period)
    if isinstance(result, NoRounds):
        await message.answer(render("summary/chat_no_rounds.html", period=result.period))
        return
    loaded = result.summary
    log.info("summary for %s sent: %d files", loaded.period.code, len(result.files))
    await answer_long(
        message,
        result.digest,
        reply_markup=editor_start_keyboard(loaded.period.code, len(loaded.measures)),
    )
    label = period_label(loaded.period)
    failed: list[str] = []
    for item in result.files:
        try:
            await message.answer_document(
                BufferedInputFile(item.data, filename=item.name),
                caption=render("summary/chat_caption.html", kind=item.kind, period_label=label),
            )
        except TelegramAPIError:
            # One refused file must not keep the others from the coordinator.
            log.exception("summary file %s was not sent", item.name)
            failed.append(item.name)
    if failed:
        await message.answer(render("summary/chat_failed.html", names=failed))


def create_router() -> Router:
    """The summary use case as a fresh Router (one per Dispatcher)."""
    router = Router(name="summary")
    router.message.register(send_summary, Command("summary"))
    return router

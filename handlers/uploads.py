"""Files sent by the coordinator: the registry sheet (plans join later), size-checked first."""

from __future__ import annotations

import io
import logging

from aiogram import Bot, F, Router
from aiogram.types import Document, Message

from core.clock import Clock
from core.models import Actor
from handlers.access import coordinator_only
from handlers.replies import answer_long
from reports import registry_reader
from reports.tabular import (
    MAX_UPLOAD_BYTES,
    DocumentError,
    DocumentProblem,
    check_upload,
    read_table,
)
from storage import registry
from storage.database import Database
from templates import render

log = logging.getLogger(__name__)

SHEET_EXTENSIONS = ("csv", "xlsx")


async def download(bot: Bot, document: Document) -> bytes:
    """Fetch an upload whose declared size was already checked."""
    buffer = io.BytesIO()
    await bot.download(document, destination=buffer)
    data = buffer.getvalue()
    if len(data) > MAX_UPLOAD_BYTES:  # the declared size may lie; never keep more
        raise DocumentError(DocumentProblem.TOO_LARGE)
    return data


def problem_text(error: DocumentError, expected: str) -> str:
    return render(
        "documents/problem.html",
        problem=error.problem.value,
        detail=error.detail,
        limit_mb=MAX_UPLOAD_BYTES // (1024 * 1024),
        accepted="CSV або XLSX" if expected == "registry" else "DOCX, XLSX або CSV",
        expected=expected,
    )


async def receive_document(
    message: Message, actor: Actor, bot: Bot, db: Database, clock: Clock
) -> None:
    """Import the registry from a CSV/XLSX sheet; bad rows are reported, good rows kept."""
    document = message.document
    assert document is not None
    filename = document.file_name or "file"
    try:
        check_upload(filename, document.file_size or 0, SHEET_EXTENSIONS)
        data = await download(bot, document)
        rows = read_table(filename, data)
        if not registry_reader.looks_like_registry(rows):
            await message.answer(render("documents/unknown_sheet.html"))
            return
        sheet = registry_reader.parse_registry(rows)
    except DocumentError as error:
        await message.answer(problem_text(error, "registry"))
        return
    async with db.transaction() as conn:
        outcome = await registry.import_sheet(
            conn, sheet, actor_id=actor.telegram_id, now=clock.now()
        )
    log.info(
        "registry import by %s: %s created, %s updated, %s rejected",
        actor.telegram_id,
        outcome.created,
        outcome.updated,
        len(outcome.rejected),
    )
    await answer_long(
        message, render("registry/import_result.html", outcome=outcome, filename=filename)
    )


def create_router() -> Router:
    """The uploads use case as a fresh Router (one per Dispatcher)."""
    router = Router(name="uploads")
    router.message.filter(coordinator_only)
    router.message.register(receive_document, F.document)
    return router

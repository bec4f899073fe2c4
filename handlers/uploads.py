"""Files the coordinator sends: the registry, a plan or its indicators, an organisation's own
report, each size-checked first."""

from __future__ import annotations

import io
import logging

from aiogram import Bot, F, Router
from aiogram.types import Document, Message

from core.models import Actor
from handlers import plans as plan_handlers
from handlers import report_import
from reports import indicator_reader, registry_reader
from reports.plan_reader import read_plan
from reports.report_document import ReportDocument, read_report
from reports.tabular import (
    MAX_UPLOAD_BYTES,
    DocumentError,
    DocumentProblem,
    check_upload,
    read_table,
)
from services import registry
from services.deps import Deps
from templates import render
from ui.replies import answer_long

log = logging.getLogger(__name__)

ACCEPTED = ("docx", "csv", "xlsx")


async def download(bot: Bot, document: Document) -> bytes:
    """Fetch an upload whose declared size was already checked."""
    buffer = io.BytesIO()
    await bot.download(document, destination=buffer)
    data = buffer.getvalue()
    if len(data) > MAX_UPLOAD_BYTES:  # the declared size may lie; never keep more
        raise DocumentError(DocumentProblem.TOO_LARGE)
    return data


def problem_text(error: DocumentError, expected: str) -> str:
    return render("documents/problem.html", **error.context(expected))


async def receive_document(message: Message, actor: Actor, bot: Bot, deps: Deps) -> None:
    """Tell a registry sheet, an indicator sheet, an organisation's report and a plan apart,
    and handle each."""
    document = message.document
    assert document is not None
    filename = document.file_name or "file"
    expected = "plan"
    try:
        extension = check_upload(filename, document.file_size or 0, ACCEPTED)
        data = await download(bot, document)
        if extension != "docx":
            rows = read_table(filename, data)
            if registry_reader.looks_like_registry(rows):
                expected = "registry"
                await import_registry(message, actor, deps, filename, rows)
                return
            if indicator_reader.looks_like_indicators(rows):
                indicators = indicator_reader.parse_indicators(rows)
                await plan_handlers.save_indicators(message, deps, indicators)
                return
        report = read_report_or_none(filename, data)
        if report is None:
            draft = read_plan(filename, data, default_title=render("plan/default_title.txt"))
    except DocumentError as error:
        log.info("upload %s refused: %s", extension_of(filename), error.problem.value)
        await message.answer(problem_text(error, expected))
        return
    if report is not None:
        await report_import.receive_report(message, actor, deps, document, data, report)
        return
    await plan_handlers.preview_plan(message, actor, deps, filename, draft)


def read_report_or_none(filename: str, data: bytes) -> ReportDocument | None:
    """An organisation's report if the table says what was done; a plan says nothing there.

    A plan may carry an empty «Відмітка про виконання» column for the reports to come: only
    a column with something written in it makes the table a report.
    """
    try:
        report = read_report(filename, data)
    except DocumentError as error:
        if error.problem is not DocumentProblem.NO_HEADER:
            raise
        return None
    return report if any(row.progress.strip() for row in report.rows) else None


def extension_of(filename: str) -> str:
    return filename.rsplit(".", 1)[-1][:8] if "." in filename else ""


async def import_registry(
    message: Message, actor: Actor, deps: Deps, filename: str, rows: list[list[str]]
) -> None:
    """Create or update enterprises and persons; bad rows are reported, good rows kept."""
    outcome = await registry.import_registry(deps, actor, registry_reader.parse_registry(rows))
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
    router.message.register(receive_document, F.document)
    return router

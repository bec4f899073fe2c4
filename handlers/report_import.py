"""An organisation's own report document sent by the coordinator: whose it is, a preview of
what it says against the plan, then «Зберегти» (its submitted report, a new version) or
«Скасувати». The pending import lives in the database, so a restart loses no preview."""

from __future__ import annotations

import logging

from aiogram import Router
from aiogram.types import CallbackQuery, Document, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from core.models import Actor, Enterprise, Round
from core.report_import import parse_caption
from reports.report_document import ReportDocument
from services import report_import
from services.deps import Deps
from services.report_import import (
    Cancelled,
    NoEnterprise,
    NoRound,
    Pick,
    Prepared,
    Preview,
    Received,
    Refusal,
    Refused,
    Saved,
    UnknownCode,
)
from templates import render
from templates.chunks import TEXT_LIMIT
from ui.callbacks import ImportAction, ReportImport
from ui.replies import edit_or_answer

log = logging.getLogger(__name__)

SHOWN = 12  # items of each list in the preview, fewer if the message would not fit


def _label(name: str, enterprise: Enterprise | None = None) -> str:
    return render("report_import/buttons.txt", name=name, enterprise=enterprise)


def preview_keyboard(import_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for action, name in ((ImportAction.SAVE, "save"), (ImportAction.CANCEL, "cancel")):
        builder.button(
            text=_label(name), callback_data=ReportImport(action=action, import_id=import_id)
        )
    return builder.as_markup()


def pick_keyboard(import_id: int, candidates: list[Enterprise]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for enterprise in candidates:
        builder.button(
            text=_label("pick", enterprise),
            callback_data=ReportImport(
                action=ImportAction.PICK, import_id=import_id, enterprise_id=enterprise.id
            ),
        )
    builder.button(
        text=_label("cancel"),
        callback_data=ReportImport(action=ImportAction.CANCEL, import_id=import_id),
    )
    builder.adjust(1)
    return builder.as_markup()


def preview_text(prepared: Prepared, *, guessed: bool) -> str:
    """The preview, its lists cut until it fits one message."""
    shown = SHOWN
    while True:
        text = render(
            "report_import/preview.html",
            filename=prepared.pending.filename,
            enterprise=prepared.enterprise,
            period=prepared.round.period,
            report=prepared.report,
            match=prepared.match,
            guessed=guessed,
            shown=shown,
        )
        if len(text) <= TEXT_LIMIT or shown == 0:
            return text
        shown //= 2


def refusal_text(refusal: Refusal, round_: Round, enterprise: Enterprise | None) -> str:
    return render(
        "report_import/refused.html",
        refusal=refusal.value,
        enterprise=enterprise,
        period=round_.period,
    )


async def receive_report(
    message: Message,
    actor: Actor,
    deps: Deps,
    document: Document,
    data: bytes,
    read: ReportDocument,
) -> None:
    """A report table arrived: find its round and organisation, keep it pending, preview it."""
    filename = document.file_name or "document.docx"
    outcome = await report_import.receive(
        deps,
        actor,
        parse_caption(message.caption),
        filename=filename,
        file_id=document.file_id,
        data=data,
        read=read,
    )
    log.info("report document %s read", filename)
    text, markup = _received_screen(outcome)
    await message.answer(text, reply_markup=markup)


def _received_screen(outcome: Received) -> tuple[str, InlineKeyboardMarkup | None]:
    if isinstance(outcome, NoRound):
        return render("report_import/no_round.html", period=outcome.period), None
    if isinstance(outcome, UnknownCode):
        return render("report_import/unknown_code.html", edrpou=outcome.edrpou), None
    if isinstance(outcome, NoEnterprise):
        return render("report_import/no_enterprise.html", filename=outcome.filename), None
    if isinstance(outcome, Pick):
        text = render("report_import/pick.html", filename=outcome.filename)
        return text, pick_keyboard(outcome.import_id, list(outcome.candidates))
    return _decided_screen(outcome)


def _decided_screen(
    outcome: Preview | Refused | Cancelled | Saved,
) -> tuple[str, InlineKeyboardMarkup | None]:
    if isinstance(outcome, Preview):
        text = preview_text(outcome.prepared, guessed=outcome.guessed)
        return text, preview_keyboard(outcome.prepared.pending.id)
    if isinstance(outcome, Refused):
        return refusal_text(outcome.refusal, outcome.round, outcome.enterprise), None
    if isinstance(outcome, Cancelled):
        return render("report_import/cancelled.html", filename=outcome.filename), None
    prepared = outcome.prepared
    log.info(
        "report %s saved from a document as version %s", outcome.report.id, outcome.report.version
    )
    text = render(
        "report_import/saved.html",
        enterprise=prepared.enterprise,
        period=prepared.round.period,
        report=outcome.report,
        filename=prepared.pending.filename,
        evidence=outcome.evidence,
        answered=len(prepared.match.matched),
    )
    return text, None


async def decide_import(
    query: CallbackQuery, callback_data: ReportImport, actor: Actor, deps: Deps
) -> None:
    """«Зберегти», «Скасувати», or the organisation chosen; the router checks the role."""
    import_id, action = callback_data.import_id, callback_data.action
    outcome: Preview | Refused | Cancelled | Saved | None
    if action is ImportAction.CANCEL:
        outcome = await report_import.cancel(deps, import_id)
    elif action is ImportAction.PICK:
        outcome = await report_import.pick(deps, import_id, callback_data.enterprise_id)
    else:
        outcome = await report_import.save(deps, actor, import_id)
    if outcome is None:
        await query.answer(render("report_import/gone.txt"), show_alert=True)
        return
    await query.answer()
    text, markup = _decided_screen(outcome)
    await edit_or_answer(query, text, markup)


def create_router() -> Router:
    """The report-import use case as a fresh Router (one per Dispatcher); coordinators only."""
    router = Router(name="report_import")
    router.callback_query.register(decide_import, ReportImport.filter())
    return router

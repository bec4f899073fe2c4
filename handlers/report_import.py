"""An organisation's own report document sent by the coordinator: whose it is, a preview of
what it says against the plan, then «Зберегти» (its submitted report, a new version) or
«Скасувати». The pending import lives in the database, so a restart loses no preview."""

from __future__ import annotations

import hashlib
import logging
from pathlib import PurePath

import aiosqlite
from aiogram import Router
from aiogram.types import CallbackQuery, Document, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from core.calendar import WorkCalendar
from core.clock import Clock
from core.deadlines import is_late
from core.models import Actor, Enterprise, Round
from core.report_import import guess_enterprises, parse_caption
from handlers.access import coordinator_only
from reports.report_document import ReportDocument
from storage import registry, report_imports
from storage import rounds as round_rows
from storage.database import Database
from storage.report_imports import PendingImport, Prepared, Refusal
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
    db: Database,
    clock: Clock,
    document: Document,
    data: bytes,
    read: ReportDocument,
) -> None:
    """A report table arrived: find its round and organisation, keep it pending, preview it."""
    filename = document.file_name or "document.docx"
    async with db.transaction() as conn:  # decided in one transaction, answered after it
        text, markup = await _stash_and_preview(conn, message, actor, clock, document, data, read)
    log.info("report document %s read", filename)
    await message.answer(text, reply_markup=markup)


async def _stash_and_preview(
    conn: aiosqlite.Connection,
    message: Message,
    actor: Actor,
    clock: Clock,
    document: Document,
    data: bytes,
    read: ReportDocument,
) -> tuple[str, InlineKeyboardMarkup | None]:
    filename = document.file_name or "document.docx"
    caption = parse_caption(message.caption)
    if caption.period is not None:
        round_ = await round_rows.round_for(conn, caption.period)
    else:
        round_ = await round_rows.latest_round(conn)
    if round_ is None:
        return render("report_import/no_round.html", period=caption.period), None
    if caption.edrpou is not None:
        found = await registry.enterprise_by_edrpou(conn, caption.edrpou)
        if found is None:
            return render("report_import/unknown_code.html", edrpou=caption.edrpou), None
        candidates = [found]
    else:
        enterprises = await registry.list_enterprises(conn, active_only=True)
        words = (caption.words, f"{PurePath(filename).stem}\n{read.heading}")
        candidates = next((c for w in words if (c := guess_enterprises(w, enterprises))), [])
    if not candidates:
        return render("report_import/no_enterprise.html", filename=filename), None
    pending = PendingImport(
        id=0,
        filename=filename,
        file_id=document.file_id,
        file_size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        round_id=round_.id,
        enterprise_id=candidates[0].id if len(candidates) == 1 else None,
        rows=read.rows,
    )
    import_id = await report_imports.stash(
        conn, pending, telegram_id=actor.telegram_id, now=clock.now()
    )
    prepared = await report_imports.prepare(conn, import_id)
    if isinstance(prepared, Prepared):
        text = preview_text(prepared, guessed=caption.edrpou is None)
        return text, preview_keyboard(import_id)
    if prepared is Refusal.NO_ENTERPRISE:
        text = render("report_import/pick.html", filename=filename)
        return text, pick_keyboard(import_id, candidates)
    await report_imports.cancel(conn, import_id)
    return refusal_text(prepared, round_, candidates[0]), None


async def decide_import(
    query: CallbackQuery,
    callback_data: ReportImport,
    actor: Actor,
    db: Database,
    clock: Clock,
    calendar: WorkCalendar,
) -> None:
    """«Зберегти», «Скасувати», or the organisation chosen; the router checks the role."""
    import_id, action, now = callback_data.import_id, callback_data.action, clock.now()
    markup: InlineKeyboardMarkup | None = None
    async with db.transaction() as conn:
        pending = await report_imports.pending_import(conn, import_id)
        round_ = await round_rows.get_round(conn, pending.round_id) if pending else None
        if pending is None or round_ is None:
            text = None
        elif action is ImportAction.CANCEL:
            await report_imports.cancel(conn, import_id)
            text = render("report_import/cancelled.html", filename=pending.filename)
        else:
            chosen = callback_data.enterprise_id if action is ImportAction.PICK else None
            if chosen and await registry.get_enterprise(conn, chosen) is not None:
                await report_imports.choose_enterprise(conn, import_id, chosen)
            enterprise_id = chosen or pending.enterprise_id
            enterprise = await registry.get_enterprise(conn, enterprise_id or 0)
            prepared = await report_imports.prepare(conn, import_id)
            if isinstance(prepared, Refusal):
                if prepared is not Refusal.NO_ENTERPRISE:
                    await report_imports.cancel(conn, import_id)
                text = refusal_text(prepared, round_, enterprise)
            elif action is ImportAction.PICK:
                text, markup = preview_text(prepared, guessed=False), preview_keyboard(import_id)
            else:
                saved = await report_imports.save(
                    conn,
                    prepared,
                    late=is_late(now, prepared.round.deadline, calendar),
                    person_id=actor.person.id if actor.person else None,
                    actor_id=actor.telegram_id,
                    now=now,
                )
                log.info("report %s saved from a document as version %s", saved.id, saved.version)
                text = render(
                    "report_import/saved.html",
                    enterprise=prepared.enterprise,
                    period=prepared.round.period,
                    report=saved,
                    filename=pending.filename,
                    evidence=bool(pending.file_id),
                    answered=len(prepared.match.matched),
                )
    if text is None:
        await query.answer(render("report_import/gone.txt"), show_alert=True)
        return
    await query.answer()
    await edit_or_answer(query, text, markup)


def create_router() -> Router:
    """The report-import use case as a fresh Router (one per Dispatcher); coordinators only."""
    router = Router(name="report_import")
    router.callback_query.filter(coordinator_only)
    router.callback_query.register(decide_import, ReportImport.filter())
    return router

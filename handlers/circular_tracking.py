"""A sent circular tracked: the recent ones, who has read one, a reminder to those who have not,
and the acknowledgement sheet."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from core.calendar import WorkCalendar
from core.circulars import (
    Circular,
    Counts,
    Receipt,
    ReceiptStatus,
)
from core.clock import Clock
from core.models import Actor
from handlers.access import coordinator_only
from reports.acknowledgements_xlsx import AcknowledgementRow, render_acknowledgements_xlsx
from services import circulars as circular_use
from services import notify
from storage import audit, circulars
from storage.database import Database
from templates import render
from ui.callbacks import (
    CircularTrack,
    TrackAction,
)
from ui.circulars import circular_button, circular_title
from ui.replies import answer_long

log = logging.getLogger(__name__)
RECENT = 10


@dataclass(frozen=True, slots=True)
class _Item:
    circular: Circular
    sent_at: datetime
    title: str
    counts: Counts


async def list_circulars(message: Message, db: Database, calendar: WorkCalendar) -> None:
    """/circulars: the recent circulars with delivered / acknowledged / unreachable counts."""
    items = []
    async with db.reading() as conn:
        for circular in await circulars.recent(conn, limit=RECENT):
            assert circular.sent_at is not None
            counts = Counts.of(await circulars.receipts(conn, circular.id))
            items.append(
                _Item(
                    circular,
                    circular.sent_at.astimezone(calendar.tz),
                    circular_title(circular),
                    counts,
                )
            )
    if not items:
        await message.answer(render("circulars/none.html"))
        return
    builder = InlineKeyboardBuilder()
    for item in items:
        builder.button(
            text=circular_button("open", number=item.circular.id),
            callback_data=CircularTrack(action=TrackAction.OPEN, circular_id=item.circular.id),
        )
    builder.adjust(5)
    await message.answer(
        render("circulars/list.html", items=items), reply_markup=builder.as_markup()
    )


async def _sent_circular(
    query: CallbackQuery, db: Database, circular_id: int
) -> tuple[Circular, datetime, list[Receipt]] | None:
    """A sent circular, when it was sent, and its receipts; None (the button refused as stale)
    if there is none."""
    async with db.reading() as conn:
        circular = await circulars.get(conn, circular_id)
        receipts = await circulars.receipts(conn, circular_id)
    if circular is None or circular.sent_at is None:
        await query.answer(render("access/stale.txt"), show_alert=True)
        return None
    return circular, circular.sent_at, receipts


async def open_circular(
    query: CallbackQuery, callback_data: CircularTrack, db: Database, calendar: WorkCalendar
) -> None:
    """One circular: counts, who has not acknowledged, «Нагадати» and the export."""
    found = await _sent_circular(query, db, callback_data.circular_id)
    if found is None:
        return
    circular, sent_at, receipts = found
    waiting = [r for r in receipts if r.status is not ReceiptStatus.ACKNOWLEDGED]
    remindable = sum(r.remindable for r in receipts)
    builder = InlineKeyboardBuilder()
    if remindable:
        builder.button(
            text=circular_button("remind", count=remindable),
            callback_data=CircularTrack(action=TrackAction.REMIND, circular_id=circular.id),
        )
    builder.button(
        text=circular_button("export"),
        callback_data=CircularTrack(action=TrackAction.EXPORT, circular_id=circular.id),
    )
    builder.adjust(1)
    text = render(
        "circulars/detail.html",
        circular=circular,
        sent_at=sent_at.astimezone(calendar.tz),
        title=circular_title(circular),
        counts=Counts.of(receipts),
        waiting=waiting,
    )
    await query.answer()
    if isinstance(query.message, Message):
        await answer_long(query.message, text, builder.as_markup())


async def remind_circular(
    query: CallbackQuery,
    callback_data: CircularTrack,
    actor: Actor,
    db: Database,
    clock: Clock,
    calendar: WorkCalendar,
) -> None:
    """«Нагадати»: one reminder per delivered non-acknowledger, at most once a local day."""
    now = clock.now()
    today = calendar.local_date(now)
    queued = already = 0
    async with db.transaction() as conn:
        circular = await circulars.get(conn, callback_data.circular_id)
        if circular is not None and circular.sent_at is not None:
            text = render("circulars/reminder.html", sent_on=calendar.local_date(circular.sent_at))
            for receipt in await circulars.receipts(conn, circular.id):
                if not receipt.remindable:
                    continue
                added = await circular_use.remind(
                    conn,
                    receipt,
                    key=notify.circular_nudge_key(circular.id, receipt.person_id, today),
                    text=text,
                    calendar=calendar,
                    now=now,
                )
                queued += added
                already += not added
            await audit.record(
                conn, at=now, actor_id=actor.telegram_id, action="circular.remind",
                entity="circular", entity_id=circular.id,
                after={"queued": queued, "already": already, "auto": False},
            )  # fmt: skip
    if circular is None:
        await query.answer(render("access/stale.txt"), show_alert=True)
        return
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.answer(
            render(
                "circulars/reminded.html", circular_id=circular.id, queued=queued, already=already
            )
        )


def sheet_rows(receipts: list[Receipt]) -> list[AcknowledgementRow]:
    return [
        AcknowledgementRow(
            enterprise=r.enterprise_name,
            edrpou=r.edrpou,
            person=r.person_name,
            delivered_at=r.delivered_at,
            acknowledged_at=r.acknowledged_at,
        )
        for r in receipts
    ]


async def export_sheet(
    query: CallbackQuery, callback_data: CircularTrack, db: Database, calendar: WorkCalendar
) -> None:
    """The acknowledgement sheet as an XLSX document."""
    found = await _sent_circular(query, db, callback_data.circular_id)
    if found is None:
        return
    circular, _, receipts = found
    data = render_acknowledgements_xlsx(sheet_rows(receipts), zone=calendar.tz)
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.answer_document(
            BufferedInputFile(
                data, render("circulars/sheet.txt", name="file", circular_id=circular.id)
            ),
            caption=render(
                "circulars/export_caption.html",
                circular_id=circular.id,
                counts=Counts.of(receipts),
            ),
        )


def create_router() -> Router:
    """Tracking circulars (coordinators only) as a fresh Router."""
    router = Router(name="circular_tracking")
    router.message.filter(coordinator_only)
    router.callback_query.filter(coordinator_only)
    router.message.register(list_circulars, Command("circulars"))
    router.callback_query.register(
        open_circular, CircularTrack.filter(F.action == TrackAction.OPEN)
    )
    router.callback_query.register(
        remind_circular, CircularTrack.filter(F.action == TrackAction.REMIND)
    )
    router.callback_query.register(
        export_sheet, CircularTrack.filter(F.action == TrackAction.EXPORT)
    )
    return router

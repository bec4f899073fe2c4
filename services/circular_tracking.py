"""Circulars' use cases once sent: the recent ones and their receipts, the acknowledgement
sheet, the coordinator's «Нагадати» and the automatic reminder, and a person's
acknowledgement. Each opens one transaction and audits its change."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from core.calendar import WorkCalendar
from core.circulars import Circular, Counts, Receipt, Tracked, last_day_due
from core.models import Actor
from reports.acknowledgements_xlsx import AcknowledgementRow, render_acknowledgements_xlsx
from services import notify
from services.deps import Deps
from storage import audit, circulars
from storage.database import Database
from templates import render

log = logging.getLogger(__name__)

RECENT = 10


async def recent(deps: Deps) -> list[Tracked]:
    """/circulars: the last RECENT circulars sent, newest first, with their receipts."""
    async with deps.db.reading() as conn:
        return [
            await _tracked(conn, circular)
            for circular in await circulars.recent(conn, limit=RECENT)
        ]


async def tracked(deps: Deps, circular_id: int) -> Tracked | None:
    """A sent circular with its receipts; None if there is no such sent circular."""
    async with deps.db.reading() as conn:
        circular = await circulars.get(conn, circular_id)
        if circular is None or circular.sent_at is None:
            return None
        return await _tracked(conn, circular)


async def _tracked(conn: aiosqlite.Connection, circular: Circular) -> Tracked:
    assert circular.sent_at is not None
    return Tracked(circular, circular.sent_at, tuple(await circulars.receipts(conn, circular.id)))


@dataclass(frozen=True, slots=True)
class Sheet:
    """The acknowledgement sheet of one circular, as an XLSX document."""

    circular_id: int
    counts: Counts
    data: bytes


def sheet_rows(receipts: Sequence[Receipt]) -> list[AcknowledgementRow]:
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


async def acknowledgement_sheet(deps: Deps, circular_id: int) -> Sheet | None:
    """Who got a sent circular and when they read it; None if there is no such sent circular."""
    found = await tracked(deps, circular_id)
    if found is None:
        return None
    data = render_acknowledgements_xlsx(sheet_rows(found.receipts), zone=deps.calendar.tz)
    return Sheet(circular_id, found.counts, data)


# --- Reminding --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Reminded:
    circular_id: int
    queued: int
    already: int  # reminded today already: no second reminder the same local day


async def remind(deps: Deps, actor_id: int, circular_id: int) -> Reminded | None:
    """«Нагадати»: one reminder per delivered non-acknowledger, at most once a local day;
    None if there is no such circular."""
    now = deps.now()
    today = deps.calendar.local_date(now)
    queued = already = 0
    async with deps.db.transaction() as conn:
        circular = await circulars.get(conn, circular_id)
        if circular is None:
            return None
        if circular.sent_at is not None:
            for receipt in await circulars.receipts(conn, circular.id):
                if not receipt.remindable:
                    continue
                key = notify.circular_nudge_key(circular.id, receipt.person_id, today)
                added = await _queue_reminder(conn, circular, receipt, key, deps.calendar, now)
                queued += added
                already += not added
            await audit.record(
                conn, at=now, actor_id=actor_id, action="circular.remind",
                entity="circular", entity_id=circular.id,
                after={"queued": queued, "already": already, "auto": False},
            )  # fmt: skip
    return Reminded(circular.id, queued, already)


async def remind_unacknowledged(
    db: Database, calendar: WorkCalendar, *, now: datetime, working_days: int
) -> int:
    """Queue the one automatic reminder for each delivered circular not acknowledged within
    `working_days`; the number queued.

    Safe to run at any rate: `reminded_at` and the outbox key both say "done", in one transaction.
    """
    due = last_day_due(calendar.local_date(now), working_days, calendar)
    queued = 0
    async with db.transaction() as conn:
        for receipt in await circulars.unreminded(conn, sent_before=calendar.end_of_day_utc(due)):
            circular = await circulars.get(conn, receipt.circular_id)
            if circular is None or circular.sent_at is None:
                continue
            key = notify.circular_reminder_key(circular.id, receipt.person_id)
            added = await _queue_reminder(conn, circular, receipt, key, calendar, now)
            await circulars.mark_reminded(conn, circular.id, receipt.person_id, now=now)
            if added:
                queued += 1
                await audit.record(
                    conn, at=now, actor_id=None, action="circular.remind", entity="circular",
                    entity_id=circular.id, after={"person_id": receipt.person_id, "auto": True},
                )  # fmt: skip
    if queued:
        log.info("circular reminders queued: %d", queued)
    return queued


async def _queue_reminder(
    conn: aiosqlite.Connection,
    circular: Circular,
    receipt: Receipt,
    key: str,
    calendar: WorkCalendar,
    now: datetime,
) -> bool:
    """Queue a reminder as a reply to the delivered circular; False if the key was used."""
    if receipt.chat_id is None or circular.sent_at is None:
        return False
    text = render("circulars/reminder.html", sent_on=calendar.local_date(circular.sent_at))
    return await notify.send(
        conn,
        key=key,
        kind=notify.Kind.CIRCULAR_REMINDER,
        chat_id=receipt.chat_id,
        person_id=receipt.person_id,
        letter=notify.Letter(text, reply_to=receipt.message_id),
        calendar=calendar,
        now=now,
    )


# --- Acknowledging ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Acknowledged:
    newly: bool  # this press was the first: the one that counts
    at: datetime


async def acknowledge(
    deps: Deps, actor: Actor, circular_id: int, person_id: int, message_id: int | None
) -> Acknowledged | None:
    """«Ознайомлений(-а)»: counted only from the recipient, on the very message delivered to
    their chat; the first press is what counts. None (refused) for anyone else's button."""
    now = deps.now()
    person = actor.person
    async with deps.db.transaction() as conn:
        receipt = None
        if person is not None and person.id == person_id:
            receipt = await circulars.receipt_of(conn, circular_id, person.id)
        own = (
            receipt is not None
            and receipt.chat_id == actor.telegram_id
            and message_id is not None
            and receipt.message_id == message_id
        )
        newly = False
        if own and receipt is not None:
            newly = await circulars.acknowledge(
                conn, receipt.circular_id, receipt.person_id, now=now
            )
            if newly:
                await audit.record(
                    conn, at=now, actor_id=actor.telegram_id, action="circular.acknowledge",
                    entity="circular", entity_id=receipt.circular_id,
                    after={"person_id": receipt.person_id, "acknowledged_at": now},
                )  # fmt: skip
            receipt = await circulars.receipt_of(conn, receipt.circular_id, receipt.person_id)
    if not own or receipt is None or receipt.acknowledged_at is None:
        log.warning(
            "refused acknowledgement of circular %d for person %d by user %d",
            circular_id,
            person_id,
            actor.telegram_id,
        )
        return None
    return Acknowledged(newly, receipt.acknowledged_at)

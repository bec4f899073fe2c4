"""Circulars' use cases: delivering one to its audience and reminding to acknowledge it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import aiosqlite

from core.calendar import WorkCalendar
from core.circulars import Circular, FileKind, Receipt, Recipient
from services import notify
from ui.circulars import ack_keyboard
from ui.keyboards import as_payload


def delivery(circular: Circular, person_id: int) -> tuple[notify.Method, dict[str, object]]:
    """The Bot API method and payload of one person's copy.

    By file_id, not copyMessage: the draft in the DB is the whole circular, so delivery does not
    depend on the coordinator's message staying in their chat, and text and file may come from
    two messages.
    """
    markup = as_payload(ack_keyboard(circular.id, person_id))
    if circular.file_kind is None or circular.file_id is None:
        return notify.Method.SEND_MESSAGE, {"text": circular.text_html, "reply_markup": markup}
    payload: dict[str, object] = {"reply_markup": markup}
    if circular.text_html:
        payload["caption"] = circular.text_html
    if circular.file_kind is FileKind.PHOTO:
        payload["photo"] = circular.file_id
        return notify.Method.SEND_PHOTO, payload
    payload["document"] = circular.file_id
    return notify.Method.SEND_DOCUMENT, payload


async def deliver(
    conn: aiosqlite.Connection,
    circular: Circular,
    people: Sequence[Recipient],
    calendar: WorkCalendar,
    now: datetime,
) -> tuple[int, int]:
    """Queue one copy to each recipient who has a chat: (queued, without a chat)."""
    queued = unbound = 0
    for recipient in people:
        person = recipient.person
        if person.telegram_id is None:
            unbound += 1
            continue
        method, payload = delivery(circular, person.id)
        queued += await notify.send_payload(
            conn,
            key=notify.circular_key(circular.id, person.id),
            kind=notify.Kind.CIRCULAR,
            chat_id=person.telegram_id,
            person_id=person.id,
            method=method,
            payload=payload,
            calendar=calendar,
            now=now,
        )
    return queued, unbound


async def remind(
    conn: aiosqlite.Connection,
    receipt: Receipt,
    *,
    key: str,
    text: str,
    calendar: WorkCalendar,
    now: datetime,
) -> bool:
    """Queue a reminder as a reply to the delivered circular; False if the key was used."""
    if receipt.chat_id is None:
        return False
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

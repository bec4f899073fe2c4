"""Notices to the people who may fill a report: its enterprise's persons and any substitute."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from core.calendar import WorkCalendar
from core.models import PersonStatus, Report
from storage import outbox, registry


async def notify_fillers(
    conn: aiosqlite.Connection,
    report: Report,
    text: str,
    key: str,
    calendar: WorkCalendar,
    now: datetime,
    markup: dict[str, object] | None = None,
) -> None:
    """Queue a message to everyone who may fill this report: its persons and any substitute."""
    people = list(await registry.persons_of(conn, report.enterprise_id))
    if report.assignee_id is not None:
        substitute = await registry.get_person(conn, report.assignee_id)
        if substitute is not None and substitute not in people:
            people.append(substitute)
    for person in people:
        if person.telegram_id is None or person.status is not PersonStatus.ACTIVE:
            continue
        payload: dict[str, object] = {"text": text}
        if markup is not None:
            payload["reply_markup"] = markup
        await outbox.enqueue(
            conn,
            dedupe_key=f"{key}:{person.id}",
            chat_id=person.telegram_id,
            person_id=person.id,
            kind="notice",
            method=outbox.OutboxMethod.SEND_MESSAGE,
            payload=payload,
            not_before=calendar.next_allowed_moment(now),
            now=now,
        )

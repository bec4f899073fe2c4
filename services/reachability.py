"""A person who has blocked the bot: marked unreachable once, and the coordinators told once a day.

Both roads lead here: a 403 while sending, and Telegram's own news that the chat was blocked.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from datetime import datetime, tzinfo

import aiosqlite

from services import notify
from storage import promotions, registry
from templates import render

log = logging.getLogger(__name__)


async def mark_unreachable(
    conn: aiosqlite.Connection,
    person_id: int,
    now: datetime,
    coordinator_ids: Collection[int],
    zone: tzinfo,
) -> bool:
    """Mark the person unreachable and queue the coordinators' notice; True if newly so.

    «Once a day» is the council's day (``zone``), not UTC's: at 01:30 in Kyiv it is still the
    previous day in UTC.
    """
    person = await registry.get_person(conn, person_id)
    if person is None:
        return False
    if not person.unreachable:
        await registry.mark_unreachable(conn, person, unreachable=True, actor_id=None, now=now)
    enterprise = (
        await registry.get_enterprise(conn, person.enterprise_id)
        if person.enterprise_id is not None
        else None
    )
    text = render(
        "outbox/unreachable.html",
        person_name=person.full_name,
        enterprise=enterprise.short_name if enterprise else "",
    )
    told = False
    for chat_id in await promotions.notified_coordinators(conn, coordinator_ids):
        told |= await notify.alert(
            conn,
            key=notify.unreachable_key(person_id, now.astimezone(zone).date(), chat_id),
            chat_id=chat_id,
            letter=notify.Letter(text),
            now=now,
        )
    if told:
        log.info("coordinators will be told that person %d is unreachable", person_id)
    return not person.unreachable

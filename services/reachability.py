"""A person who has blocked the bot: marked unreachable once, and the coordinators told once a day.

Both roads lead here: a 403 while sending, and Telegram's own news that the chat was blocked.
Whoever writes to the bot again has unblocked it (`reachable_again`).
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from datetime import datetime, tzinfo

import aiosqlite

from core.models import Person, PersonStatus
from services import notify
from services.deps import Deps
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


async def blocked(deps: Deps, person: Person | None) -> bool:
    """Telegram says the account blocked the bot: an active person is marked unreachable at
    once and the coordinators hear of it the same day; True if newly so."""
    if person is None or person.status is not PersonStatus.ACTIVE:
        return False
    async with deps.db.transaction() as conn:
        newly = await mark_unreachable(
            conn, person.id, deps.now(), deps.coordinator_ids, deps.calendar.tz
        )
    log.info("person %s blocked the bot", person.id)
    return newly


async def reachable_again(deps: Deps, person: Person) -> Person:
    """Whoever writes to the bot has unblocked it: reminders may reach them again."""
    async with deps.db.transaction() as conn:
        after = await registry.mark_unreachable(
            conn, person, unreachable=False, actor_id=person.telegram_id, now=deps.now()
        )
    log.info("person %s is reachable again", person.id)
    return after

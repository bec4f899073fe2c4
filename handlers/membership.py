"""Telegram's news that a person blocked the bot: they are marked unreachable at once, and the
coordinators hear of it the same day instead of at the next reminder that bounces."""

from __future__ import annotations

import logging

from aiogram import Router
from aiogram.filters import KICKED, ChatMemberUpdatedFilter
from aiogram.types import ChatMemberUpdated

from core.calendar import WorkCalendar
from core.clock import Clock
from core.models import Actor, PersonStatus
from services.reachability import mark_unreachable
from storage.database import Database

log = logging.getLogger(__name__)


async def blocked(
    event: ChatMemberUpdated,
    actor: Actor,
    db: Database,
    clock: Clock,
    calendar: WorkCalendar,
    coordinator_ids: frozenset[int],
) -> None:
    """Nothing is sent back: a blocked chat cannot be written to."""
    person = actor.person
    if person is None or person.status is not PersonStatus.ACTIVE:
        return
    async with db.transaction() as conn:
        await mark_unreachable(conn, person.id, clock.now(), coordinator_ids, calendar.tz)
    log.info("person %s blocked the bot", person.id)


def create_router() -> Router:
    """The membership use case as a fresh Router (one per Dispatcher)."""
    router = Router(name="membership")
    router.my_chat_member.register(blocked, ChatMemberUpdatedFilter(KICKED))
    return router

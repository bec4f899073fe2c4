"""Outer middlewares: who is behind each update, decided from the DB every time."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Collection
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, User

from core.models import Actor, PersonRole, PersonStatus, Role
from storage import registry
from storage.database import Database

log = logging.getLogger(__name__)


class ActorMiddleware(BaseMiddleware):
    """Resolve the actor for every update, so that a dismissed person loses access at once."""

    def __init__(self, db: Database, coordinator_ids: Collection[int]) -> None:
        self._db = db
        self._coordinator_ids = frozenset(coordinator_ids)

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        user: User | None = data.get("event_from_user")
        if user is None or user.is_bot:
            return None  # channel posts and service updates are not ours to answer
        data["actor"] = await self.resolve(user.id)
        return await handler(event, data)

    async def resolve(self, telegram_id: int) -> Actor:
        async with self._db.reading() as conn:
            person = await registry.person_by_telegram(conn, telegram_id)
            enterprise = None
            if person is not None and person.enterprise_id is not None:
                enterprise = await registry.get_enterprise(conn, person.enterprise_id)
        active = person is not None and person.status is PersonStatus.ACTIVE
        if telegram_id in self._coordinator_ids or (
            active and person is not None and person.role is PersonRole.COORDINATOR
        ):
            return Actor(Role.COORDINATOR, telegram_id, person, enterprise)
        if active and enterprise is not None and enterprise.active:
            return Actor(Role.PERSON, telegram_id, person, enterprise)
        return Actor(Role.STRANGER, telegram_id, person, enterprise)

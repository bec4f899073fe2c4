"""Outer middlewares: who is behind each update, decided from the DB every time."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Collection
from contextlib import asynccontextmanager
from typing import Any

from aiogram import BaseMiddleware, Dispatcher, methods
from aiogram.dispatcher.event.bases import UNHANDLED
from aiogram.dispatcher.event.handler import HandlerObject
from aiogram.enums import ChatMemberStatus
from aiogram.fsm.storage.base import BaseEventIsolation, StorageKey
from aiogram.methods.base import Response
from aiogram.types import Chat, ErrorEvent, TelegramObject, Update, User

from bot.logs import UpdateContext, current_update
from core.clock import Clock
from core.coordinators import is_coordinator
from core.models import Actor, Person, PersonStatus, Role
from storage import registry
from storage.database import Database, begin_handler, begin_update

log = logging.getLogger(__name__)

# aiogram parses every Bot API answer with `Response[method.__returning__]`
# (`BaseSession.check_response`). pydantic keeps parametrised generics only weakly, so after a
# garbage collection the next answer rebuilt the class and its validator (~250 µs an update,
# docs/benchmarks.md). Holding the classes of the methods the bot sends keeps them built.
KEPT_RESPONSE_TYPES: tuple[type[Response[Any]], ...] = tuple(
    Response[method.__returning__]  # type: ignore[name-defined]
    for method in (
        methods.SendMessage,
        methods.EditMessageText,
        methods.EditMessageReplyMarkup,
        methods.AnswerCallbackQuery,
        methods.DeleteMessage,
        methods.SendDocument,
        methods.SendPhoto,
        methods.GetMe,
        methods.GetUpdates,
        methods.GetChatMember,
    )
)


def _blocks_bot(event: TelegramObject) -> bool:
    member = event.my_chat_member if isinstance(event, Update) else None
    return member is not None and member.new_chat_member.status == ChatMemberStatus.KICKED


class ActorMiddleware(BaseMiddleware):
    """Resolve the actor for every update, so that a dismissed person loses access at once."""

    def __init__(self, db: Database, coordinator_ids: Collection[int], clock: Clock) -> None:
        self._db = db
        self._coordinator_ids = frozenset(coordinator_ids)
        self._clock = clock

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        user: User | None = data.get("event_from_user")
        if user is None or user.is_bot:
            return None  # channel posts and service updates are not ours to answer
        chat: Chat | None = data.get("event_chat")
        if chat is not None and chat.type != "private":
            return None  # a group would see what the bot tells one person (or a coordinator)
        data["actor"] = await self.resolve(user.id, wrote=not _blocks_bot(event))
        return await handler(event, data)

    async def resolve(self, telegram_id: int, *, wrote: bool = True) -> Actor:
        """Who this is now; `wrote` is False for the news that they blocked the bot."""
        async with self._db.statement() as conn:
            person, enterprise = await registry.person_with_enterprise(conn, telegram_id)
        if person is not None and person.unreachable and wrote:
            person = await self._reachable_again(person)
        active = person is not None and person.status is PersonStatus.ACTIVE
        if is_coordinator(telegram_id, person, self._coordinator_ids):
            return Actor(Role.COORDINATOR, telegram_id, person, enterprise)
        if active and enterprise is not None and enterprise.active:
            return Actor(Role.PERSON, telegram_id, person, enterprise)
        return Actor(Role.STRANGER, telegram_id, person, enterprise)

    async def _reachable_again(self, person: Person) -> Person:
        """Whoever writes to the bot has unblocked it: reminders may reach them again."""
        async with self._db.transaction() as conn:
            after = await registry.mark_unreachable(
                conn, person, unreachable=False, actor_id=person.telegram_id, now=self._clock.now()
            )
        log.info("person %s is reachable again", person.id)
        return after


class LogContextMiddleware(BaseMiddleware):
    """Outer (update) middleware: log records made while handling an update carry its ids.

    Install it with `install_log_context`, which also adds the inner part naming the handler.
    """

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if not isinstance(event, Update):
            return await handler(event, data)
        user: User | None = data.get("event_from_user")
        context = UpdateContext(event.update_id, user.id if user else None)
        begin_update()
        token = current_update.set(context)
        started = time.perf_counter()
        try:
            result = await handler(event, data)
            elapsed = (time.perf_counter() - started) * 1000
            if result is UNHANDLED:
                log.info("update not handled (%.0f ms)", elapsed)
            else:
                log.info("update handled (%.0f ms)", elapsed)
            return result
        finally:
            current_update.reset(token)


class HandlerNameMiddleware(BaseMiddleware):
    """Inner middleware: records which handler took the update, for the log context, and marks
    where it began, so the errors handler knows whether it saved anything."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if isinstance(event, ErrorEvent):
            # The errors handler runs inside the failed update: the names and the mark stay
            # those of the handler that failed.
            return await handler(event, data)
        context = current_update.get()
        chosen = data.get("handler")
        if context is not None and isinstance(chosen, HandlerObject):
            callback = chosen.callback
            context.handler = f"{callback.__module__}.{callback.__qualname__}"
        begin_handler()
        return await handler(event, data)


def install_log_context(dispatcher: Dispatcher) -> None:
    """Register both log-context middlewares once; a second call changes nothing."""
    if any(isinstance(m, LogContextMiddleware) for m in dispatcher.update.outer_middleware):
        return
    dispatcher.update.outer_middleware(LogContextMiddleware())
    naming = HandlerNameMiddleware()
    for name, observer in dispatcher.observers.items():
        # The update observer's own handler is the router tree itself, not a use case.
        if name != "update":
            observer.middleware(naming)


class OneUpdatePerUser(BaseEventIsolation):
    """Handle one update at a time per user, with the conversation state read inside that order.

    aiogram runs updates concurrently; two quick messages from one person would otherwise both
    read the same questionnaire step, and the second text would overwrite the first answer. As
    the dispatcher's event isolation, the lock is taken before the FSM state is read, so content
    sent right after /circular sees the state /circular set.
    """

    def __init__(self) -> None:
        self._locks: dict[int, asyncio.Lock] = {}
        self._users: dict[int, int] = {}  # updates holding or awaiting each user's lock

    @asynccontextmanager
    async def lock(self, key: StorageKey) -> AsyncIterator[None]:
        user = key.user_id
        lock = self._locks.setdefault(user, asyncio.Lock())
        self._users[user] = self._users.get(user, 0) + 1
        try:
            async with lock:
                yield
        finally:
            left = self._users.get(user, 1) - 1  # close() may have cleared it meanwhile
            if left:
                self._users[user] = left
            else:  # idle users keep no lock around
                self._users.pop(user, None)
                self._locks.pop(user, None)

    async def close(self) -> None:
        self._locks.clear()
        self._users.clear()

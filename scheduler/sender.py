"""The outbox sender: claims due messages and sends them within Telegram's limits.

Delivery is at least once. The crash window: if the process dies after Telegram accepted a message
and before `mark_sent` commits, the row is still `sending`; when its lease runs out another
sender claims it and the user gets the message twice. Nothing else duplicates: claims are taken
under SQLite's write lock, and a lost HTTP request is retried only when Telegram never answered
(it may have delivered, so a dropped connection after delivery also repeats the message).
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import Bot
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramAPIError,
    TelegramBadRequest,
    TelegramEntityTooLarge,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
)
from aiogram.methods import CopyMessage, SendDocument, SendMessage, SendPhoto, TelegramMethod
from pydantic import ValidationError

from core.clock import Clock
from scheduler.pacing import backoff_delay, in_background, install_pacing
from services.notify import Method
from services.reachability import mark_unreachable
from storage import outbox
from storage.database import Database
from storage.outbox import AttemptOutcome, OutboxMessage

log = logging.getLogger(__name__)
KYIV = ZoneInfo("Europe/Kyiv")

_METHODS: dict[Method, type[TelegramMethod[Any]]] = {
    Method.SEND_MESSAGE: SendMessage,
    Method.SEND_DOCUMENT: SendDocument,
    Method.SEND_PHOTO: SendPhoto,
    Method.COPY_MESSAGE: CopyMessage,
}
# Permanent answers: sending the same request again cannot succeed.
_PERMANENT = (TelegramBadRequest, TelegramNotFound, TelegramEntityTooLarge, TelegramMigrateToChat)


@dataclass(frozen=True, slots=True)
class DrainReport:
    """What one drain did; `waiting` = due messages left behind by pacing or the time budget."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    dropped: int = 0
    unreachable: int = 0
    waiting: bool = False

    @property
    def attempted(self) -> int:
        return self.sent + self.retried + self.failed


@dataclass(frozen=True, slots=True)
class _Result:
    outcome: AttemptOutcome
    retried: bool = False
    newly_unreachable: bool = False


def default_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def build_method(message: OutboxMessage) -> TelegramMethod[Any]:
    """The aiogram method for a row; pydantic raises ValidationError on a bad payload."""
    call = _METHODS[Method(message.method)]
    return call.model_validate({**message.payload, "chat_id": message.chat_id})


class OutboxSender:
    """Drains the outbox; several senders (processes) may share one database file."""

    def __init__(
        self,
        db: Database,
        bot: Bot,
        clock: Clock,
        *,
        coordinator_ids: frozenset[int] = frozenset(),
        zone: tzinfo = KYIV,
        rate_per_second: float = 25.0,
        per_chat_interval: float = 1.0,
        max_attempts: int = 8,
        lease: timedelta = timedelta(seconds=60),
        worker_id: str | None = None,
        telegram_second: float = 1.0,
        max_in_flight: int = 8,
        request_timeout: int = 20,
        wall: Callable[[], float] = time.time,
    ) -> None:
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if per_chat_interval < 0:
            raise ValueError("per_chat_interval must not be negative")
        if lease.total_seconds() <= request_timeout:
            raise ValueError("the lease must outlast a request, or a slow send is taken over")
        self._db = db
        self._bot = bot
        self._clock = clock
        self._coordinators = coordinator_ids
        self._zone = zone  # the council's, for "once a day"
        self._per_chat = per_chat_interval
        self._max_attempts = max_attempts
        self._lease = lease
        self.worker_id = worker_id or default_worker_id()
        # One of Telegram's seconds in real seconds: 1, or less against a sped-up emulator. It
        # scales retry_after and the flood window alike.
        self._telegram_second = telegram_second
        self._max_in_flight = max_in_flight
        self._request_timeout = request_timeout
        self._wall = wall
        # The bot's one window, shared with the handlers' replies (bot/app.py installs it first).
        self.window = install_pacing(
            bot, rate_per_second=rate_per_second, telegram_second=telegram_second
        )

    async def drain(self, budget_seconds: float) -> DrainReport:
        """Send what is due for up to `budget_seconds` (sends in flight are awaited past it)."""
        deadline = time.monotonic() + budget_seconds
        async with self._db.transaction() as conn:
            dropped = await outbox.drop_expired(conn, now=self._clock.now())
        results: list[_Result] = []
        in_flight: set[asyncio.Task[_Result]] = set()

        def collect(done: set[asyncio.Task[_Result]]) -> None:
            for task in done:
                in_flight.discard(task)
                results.append(task.result())

        try:
            while (remaining := deadline - time.monotonic()) > 0:
                room = self._max_in_flight - len(in_flight)
                if room <= 0:
                    done, _ = await asyncio.wait(
                        in_flight, timeout=remaining, return_when=asyncio.FIRST_COMPLETED
                    )
                    collect(done)
                    continue
                free = await self.window.room(deadline=deadline)
                if free == 0:
                    break
                claimed = await self._claim(min(room, free))
                for message in claimed:
                    in_flight.add(asyncio.create_task(self._deliver(message)))
                if claimed:
                    continue
                # Nothing claimable now: wait for a send to finish or a chat's pause to pass.
                if not in_flight and not await self._held_back():
                    break
                pause = min(remaining, max(self._per_chat / 4, 0.01))
                if in_flight:
                    done, _ = await asyncio.wait(
                        in_flight, timeout=pause, return_when=asyncio.FIRST_COMPLETED
                    )
                    collect(done)
                else:
                    await asyncio.sleep(pause)
        finally:
            if in_flight:
                # Never abandon a request mid-flight: an unrecorded delivery is a duplicate later.
                done, _ = await asyncio.wait(in_flight)
                collect(done)
        return DrainReport(
            sent=sum(r.outcome is AttemptOutcome.OK for r in results),
            retried=sum(r.retried for r in results),
            failed=sum(r.outcome is not AttemptOutcome.OK and not r.retried for r in results),
            dropped=dropped,
            unreachable=sum(r.newly_unreachable for r in results),
            waiting=await self._held_back(),
        )

    async def release(self) -> int:
        """Hand back whatever this worker still holds (after a cancelled drain)."""
        async with self._db.transaction() as conn:
            return await outbox.release_claims(
                conn, worker_id=self.worker_id, now=self._clock.now()
            )

    async def _claim(self, limit: int) -> list[OutboxMessage]:
        async with self._db.transaction() as conn:
            return await outbox.claim_due(
                conn,
                worker_id=self.worker_id,
                now=self._clock.now(),
                lease=self._lease,
                chat_quiet_since=self._wall() - self._per_chat,
                limit=limit,
            )

    async def _held_back(self) -> bool:
        async with self._db.reading() as conn:
            return await outbox.has_due_pending(conn, now=self._clock.now())

    async def _deliver(self, message: OutboxMessage) -> _Result:
        """One attempt at one row, recorded whatever happens; never raises but on cancellation."""
        if message.method not in _METHODS:
            log.error("outbox row %d names an unknown method", message.id)
            return await self._fail(message, AttemptOutcome.BAD_REQUEST, "unknown method")
        try:
            method = build_method(message)
        except ValidationError as error:
            # Field names only: pydantic's message would quote the text itself.
            fields = sorted({".".join(map(str, e["loc"])) for e in error.errors()})
            log.error("outbox row %d has an invalid payload in %s", message.id, fields)
            return await self._fail(message, AttemptOutcome.BAD_REQUEST, "invalid payload")
        try:
            with in_background():  # each request waits for its place in the window
                result = await self._bot(method, request_timeout=self._request_timeout)
        except TelegramRetryAfter as error:
            return await self._after_flood(message, error.retry_after)
        except TelegramForbiddenError as error:
            return await self._forbidden(message, error.message)
        except _PERMANENT as error:
            log.warning("outbox row %d refused by Telegram: %s", message.id, error.message)
            return await self._fail(message, AttemptOutcome.BAD_REQUEST, error.message)
        except TelegramNetworkError as error:
            return await self._retry(message, AttemptOutcome.NETWORK, error.message)
        except (TelegramAPIError, ClientDecodeError) as error:
            # 5xx, and answers that are not the Bot API's (a proxy's error page): transient.
            return await self._retry(message, AttemptOutcome.SERVER_ERROR, str(error))
        except Exception as error:  # one bad row must not stop the drain
            log.exception("outbox row %d: unexpected error while sending", message.id)
            return await self._retry(message, AttemptOutcome.NETWORK, type(error).__name__)
        return await self._sent(message, int(result.message_id))

    async def _sent(self, message: OutboxMessage, telegram_message_id: int) -> _Result:
        now = self._clock.now()
        async with self._db.transaction() as conn:
            await outbox.record_attempt(
                conn, message, worker_id=self.worker_id, outcome=AttemptOutcome.OK, at=now,
                wall=self._wall(),
            )  # fmt: skip
            fresh = await outbox.mark_sent(
                conn, message.id, telegram_message_id=telegram_message_id, now=now
            )
        if not fresh:
            log.warning("outbox row %d was delivered again after its lease ran out", message.id)
        self.window.recover()
        return _Result(AttemptOutcome.OK)

    async def _after_flood(self, message: OutboxMessage, retry_after: int) -> _Result:
        wait = retry_after * self._telegram_second
        self.window.slow_down(wait)
        now = self._clock.now()
        log.info("outbox row %d: flood control, retry after %d s", message.id, retry_after)
        async with self._db.transaction() as conn:
            await outbox.record_attempt(
                conn, message, worker_id=self.worker_id, outcome=AttemptOutcome.RETRY_AFTER,
                at=now, wall=self._wall(), retry_after=retry_after,
            )  # fmt: skip
            await outbox.reschedule(
                conn,
                message.id,
                worker_id=self.worker_id,
                not_before=now + timedelta(seconds=retry_after),
                error=f"retry after {retry_after}",
                now=now,
                count_attempt=False,
            )
        return _Result(AttemptOutcome.RETRY_AFTER, retried=True)

    async def _retry(self, message: OutboxMessage, outcome: AttemptOutcome, error: str) -> _Result:
        now = self._clock.now()
        give_up = message.attempts >= self._max_attempts
        async with self._db.transaction() as conn:
            await outbox.record_attempt(
                conn, message, worker_id=self.worker_id, outcome=outcome, at=now,
                wall=self._wall(), detail=error[:500],
            )  # fmt: skip
            if give_up:
                await outbox.mark_failed(
                    conn, message.id, worker_id=self.worker_id, error=error[:500], now=now
                )
            else:
                await outbox.reschedule(
                    conn,
                    message.id,
                    worker_id=self.worker_id,
                    not_before=now + backoff_delay(message.attempts),
                    error=error[:500],
                    now=now,
                )
        if give_up:
            log.warning(
                "outbox row %d failed after %d attempts: %s", message.id, message.attempts, error
            )
        else:
            log.info("outbox row %d attempt %d: %s", message.id, message.attempts, outcome.value)
        return _Result(outcome, retried=not give_up)

    async def _fail(self, message: OutboxMessage, outcome: AttemptOutcome, error: str) -> _Result:
        now = self._clock.now()
        async with self._db.transaction() as conn:
            await outbox.record_attempt(
                conn, message, worker_id=self.worker_id, outcome=outcome, at=now,
                wall=self._wall(), detail=error[:500],
            )  # fmt: skip
            await outbox.mark_failed(
                conn, message.id, worker_id=self.worker_id, error=error[:500], now=now
            )
        return _Result(outcome)

    async def _forbidden(self, message: OutboxMessage, error: str) -> _Result:
        """The user blocked the bot or never started it: mark them, and tell the coordinators."""
        now = self._clock.now()
        newly = False
        async with self._db.transaction() as conn:
            await outbox.record_attempt(
                conn, message, worker_id=self.worker_id, outcome=AttemptOutcome.FORBIDDEN,
                at=now, wall=self._wall(), detail=error[:500],
            )  # fmt: skip
            await outbox.mark_failed(
                conn, message.id, worker_id=self.worker_id, error=error[:500], now=now
            )
            if message.person_id is not None:
                newly = await mark_unreachable(
                    conn, message.person_id, now, self._coordinators, self._zone
                )
        log.info("outbox row %d: chat refuses the bot (person %s)", message.id, message.person_id)
        return _Result(AttemptOutcome.FORBIDDEN, newly_unreachable=newly)

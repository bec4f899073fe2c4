"""The pacing of every Bot API send: the global answer-anchored window, and retry backoff.

Telegram counts a request at some moment between the time we start it and the time its answer
comes back. `AnswerWindow` lets a request start only when fewer than `slots` earlier requests
are still unanswered or were answered less than one Telegram second ago. Every request of any
second therefore has one of `slots` places: take the one that started last; each of the others
was in flight or answered within the second before it started, so no second sees `slots` + 1
(the rule "start one second after the answer to the request `slots` places earlier", kept true
when answers come back out of order). Event-loop delays, slow answers and DB work between a
claim and its request can only make it wait longer, never let a second see one more.

It is one per bot: `install_pacing` puts it into the bot's session as a request middleware, so
the outbox sender and the handlers' own replies share it.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta
from typing import TYPE_CHECKING

from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType

if TYPE_CHECKING:
    from aiogram import Bot

_BACKOFF_BASE = 1.0
_BACKOFF_CAP = timedelta(minutes=5)

# The methods Telegram's flood control meters (sends and edits); a long poll or getMe is not paced.
PACED_METHODS = frozenset(
    {
        "sendMessage",
        "sendDocument",
        "sendPhoto",
        "sendMediaGroup",
        "copyMessage",
        "forwardMessage",
        "editMessageText",
        "editMessageReplyMarkup",
        "editMessageCaption",
        "editMessageMedia",
    }
)

# Set by the outbox sender around its requests: a person's own reply goes before them.
background: ContextVar[bool] = ContextVar("zvitbot_background_send", default=False)


def backoff_delay(attempt: int) -> timedelta:
    """Wait before the next try after `attempt` failed: 1 s, 2 s, 4 s, … capped at 5 minutes."""
    seconds = _BACKOFF_BASE * 2 ** min(max(attempt - 1, 0), 20)
    return min(timedelta(seconds=seconds), _BACKOFF_CAP)


class Ticket:
    """One started request; answered once, however it ended."""

    __slots__ = ("answered",)

    def __init__(self) -> None:
        self.answered = False


class AnswerWindow:
    """At most `slots` requests in any one of Telegram's seconds, measured from starts to answers.

    `second` is one Telegram second in our seconds (less against a sped-up emulator); `margin`
    is added to it. A 429 pauses every start and halves the slots; successes bring them back.
    """

    def __init__(
        self,
        slots: int,
        *,
        second: float = 1.0,
        margin: float = 0.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        if slots < 1 or second <= 0 or margin < 0:
            raise ValueError("slots and second must be positive, margin not negative")
        self._ceiling = slots
        self.slots = slots
        self._hold = second + margin  # how long an answer keeps its place
        self._monotonic = monotonic
        self._in_flight = 0
        self._answers: deque[float] = deque()  # answer times of the last second, oldest first
        self._paused_until = 0.0
        self._urgent_waiting = 0
        self._changed = asyncio.Event()

    @property
    def in_flight(self) -> int:
        return self._in_flight

    def delay(self) -> float | None:
        """How long until a request may start: 0 now, None until some answer comes back."""
        now = self._monotonic()
        while self._answers and self._answers[0] + self._hold <= now:
            self._answers.popleft()
        if now < self._paused_until:
            return self._paused_until - now
        if self._in_flight + len(self._answers) < self.slots:
            return 0.0
        if self._answers:
            return self._answers[0] + self._hold - now
        return None

    def free(self) -> int:
        """How many requests could start now."""
        if self.delay() != 0.0:
            return 0
        return self.slots - self._in_flight - len(self._answers)

    def start(self) -> Ticket:
        """Take a place now (the caller checked `delay() == 0`)."""
        self._in_flight += 1
        return Ticket()

    def answer(self, ticket: Ticket) -> None:
        """Its answer (or error, or timeout) came back now: the place frees a second later."""
        if ticket.answered:
            return
        ticket.answered = True
        self._in_flight -= 1
        self._answers.append(self._monotonic())
        self._wake()

    async def acquire(self, *, urgent: bool = True) -> Ticket:
        """Wait for a place; urgent requests (a person's reply) go before background ones."""
        if urgent:
            self._urgent_waiting += 1
        try:
            while True:
                wait = self.delay()
                if wait == 0.0 and (urgent or self._urgent_waiting == 0):
                    return self.start()
                await self._sleep(wait if wait else None)
        finally:
            if urgent:
                self._urgent_waiting -= 1
                self._wake()

    async def room(self, *, deadline: float) -> int:
        """Wait (not past `deadline`) until a request could start; how many could, 0 if none."""
        while True:
            wait = self.delay()
            if wait == 0.0:
                if self._urgent_waiting == 0:
                    return self.free()
                wait = None  # a person's reply goes first: wait until it has started
            now = self._monotonic()
            timeout = deadline - now if wait is None else wait
            if timeout <= 0 or now + timeout > deadline:
                return 0
            await self._sleep(timeout)

    async def _sleep(self, seconds: float | None) -> None:
        changed = self._changed
        try:
            await asyncio.wait_for(changed.wait(), seconds)
        except TimeoutError:
            pass

    def _wake(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    def slow_down(self, pause_seconds: float) -> None:
        self.slots = max(self.slots // 2, max(self._ceiling // 16, 1))
        self._paused_until = max(self._paused_until, self._monotonic() + pause_seconds)

    def recover(self) -> None:
        self.slots = min(self._ceiling, self.slots + max(self._ceiling // 30, 1))


def slots_for(rate_per_second: float, telegram_second: float) -> int:
    """Places per Telegram second for a rate given per our second (×scale on an emulator)."""
    return max(int(rate_per_second * telegram_second + 1e-9), 1)


class Pacing(BaseRequestMiddleware):
    """A session middleware: every metered Bot API call takes a place in the window."""

    def __init__(self, window: AnswerWindow) -> None:
        self.window = window

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        if method.__api_method__ not in PACED_METHODS:
            return await make_request(bot, method)
        ticket = await self.window.acquire(urgent=not background.get())
        try:
            return await make_request(bot, method)
        finally:
            # Errors, 502s and timeouts too: Telegram may have counted the request.
            self.window.answer(ticket)


def install_pacing(
    bot: Bot, *, rate_per_second: float, telegram_second: float = 1.0, margin: float = 0.0
) -> AnswerWindow:
    """The bot's window, installed into its session on first use (then shared by all callers)."""
    for middleware in bot.session.middleware:
        if isinstance(middleware, Pacing):
            return middleware.window
    window = AnswerWindow(
        slots_for(rate_per_second, telegram_second), second=telegram_second, margin=margin
    )
    bot.session.middleware(Pacing(window))
    return window


@contextmanager
def in_background() -> Iterator[None]:
    """Mark the requests made inside as background sends (they yield to a person's reply)."""
    token = background.set(True)
    try:
        yield
    finally:
        background.reset(token)

"""The outbox sender's pacing: the global token bucket, and the backoff between retries.

Both concern real traffic to Telegram, so the bucket runs on a monotonic real clock.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable
from datetime import timedelta

_BACKOFF_BASE = 1.0
_BACKOFF_CAP = timedelta(minutes=5)


def backoff_delay(attempt: int) -> timedelta:
    """Wait before the next try after `attempt` failed: 1 s, 2 s, 4 s, … capped at 5 minutes."""
    seconds = _BACKOFF_BASE * 2 ** min(max(attempt - 1, 0), 20)
    return min(timedelta(seconds=seconds), _BACKOFF_CAP)


class TokenBucket:
    """Global pacing on a monotonic real clock: rate limits concern real traffic to Telegram.

    Tokens refill at `rate` with a burst of a tenth of a second's worth, which absorbs the event
    loop's wake-up delays; and no sliding window of one of Telegram's seconds is given more than
    its share of the rate, so a burst after a pause never pushes a second over the limit. A 429
    halves the rate and pauses sending; successes bring the rate back slowly.
    """

    def __init__(
        self,
        rate: float,
        *,
        window: float = 1.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        if rate <= 0 or window <= 0:
            raise ValueError("rate and window must be positive")
        self._ceiling = rate
        self.rate = rate
        self._window = window  # Telegram's second, in our seconds (less on a sped-up emulator)
        self._monotonic = monotonic
        self._capacity = max(1.0, rate * 0.1)
        self._tokens = 1.0
        self._stamp = monotonic()
        self._paused_until = 0.0
        self._taken: deque[float] = deque()  # when each token of the last second was taken

    def _refill(self) -> float:
        now = self._monotonic()
        if now > self._stamp:
            self._tokens = min(self._capacity, self._tokens + (now - self._stamp) * self.rate)
            self._stamp = now
        while self._taken and self._taken[0] <= now - self._window:
            self._taken.popleft()
        return now

    async def take(self, most: int, *, deadline: float) -> int:
        """Wait for at least one token (not past `deadline`) and take up to `most`; 0 if none."""
        while True:
            now = self._refill()
            room = max(int(self.rate * self._window), 1) - len(self._taken)
            wait = max(self._paused_until - now, 0.0)
            if wait == 0.0 and self._tokens >= 1.0 and room >= 1:
                got = min(int(self._tokens), most, room)
                self._tokens -= got
                self._taken.extend([now] * got)
                return got
            if wait == 0.0:
                refill = (1.0 - self._tokens) / self.rate if self._tokens < 1.0 else 0.0
                window = self._taken[0] + self._window - now if room < 1 else 0.0
                wait = max(refill, window, 0.001)
            if now + wait > deadline:
                return 0
            await asyncio.sleep(wait)

    def give_back(self, count: int) -> None:
        self._tokens = min(self._capacity, self._tokens + count)
        for _ in range(min(count, len(self._taken))):
            self._taken.pop()

    def slow_down(self, pause_seconds: float) -> None:
        self.rate = max(self.rate / 2, self._ceiling / 16)
        self._paused_until = max(self._paused_until, self._monotonic() + pause_seconds)

    def recover(self) -> None:
        self.rate = min(self._ceiling, self.rate + self._ceiling / 50)

"""Emulator clock, Telegram-like flood limits and fault injection."""

from __future__ import annotations

import math
import random
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Literal

# "400" answers as Telegram does when it refuses an action (a message too old to delete).
FaultMode = Literal["400", "500", "502", "drop", "drop_after"]
FAULT_MODES: tuple[str, ...] = ("400", "500", "502", "drop", "drop_after")


class Clock:
    """Emulator time in seconds; with scale 10 one emulator second lasts 0.1 real seconds."""

    def __init__(self, scale: float = 1.0) -> None:
        if scale <= 0:
            raise ValueError("clock_scale must be positive")
        self.scale = scale
        self._real0 = time.monotonic()
        self._wall0 = time.time()

    def now(self) -> float:
        return (time.monotonic() - self._real0) * self.scale

    def unix(self) -> int:
        """Unix time as the emulator sees it, for message dates."""
        return int(self._wall0 + self.now())

    def to_real(self, emulator_seconds: float) -> float:
        return emulator_seconds / self.scale


@dataclass(frozen=True)
class FloodLimits:
    """Sliding one-second windows; Telegram's documented ceilings by default.

    At least as strict as Telegram, by design: the global window admits 30 sends in *any* second
    (a sliding window contains every fixed one), and a chat gets one per second with no burst
    (Telegram tolerates short bursts in a chat). A send is stamped when its request arrives,
    between the sender's start and its answer, as Telegram's are. Refused sends are not
    counted (Telegram's behaviour there is not documented); a sender that meets no 429 here
    met none under any window Telegram could use with the same ceilings.
    """

    global_per_second: float = 30
    per_chat_per_second: float = 1


class FloodGate:
    """Admits a send/edit if both the global and the per-chat windows have room."""

    WINDOW = 1.0

    def __init__(self, limits: FloodLimits, clock: Clock) -> None:
        self.limits = limits
        self._clock = clock
        self._global: deque[float] = deque()
        self._chats: dict[int, deque[float]] = {}

    def _wait(self, stamps: deque[float], per_window: float, now: float) -> float:
        while stamps and stamps[0] <= now - self.WINDOW:
            stamps.popleft()
        if len(stamps) < per_window:
            return 0.0
        return stamps[0] + self.WINDOW - now

    def check(self, chat_id: int | None) -> int:
        """Return 0 and record the send if allowed, else retry_after in emulator seconds (>= 1)."""
        now = self._clock.now()
        wait = self._wait(self._global, self.limits.global_per_second, now)
        chat = self._chats.setdefault(chat_id, deque()) if chat_id is not None else None
        if chat is not None:
            wait = max(wait, self._wait(chat, self.limits.per_chat_per_second, now))
        if wait > 0:
            return max(1, math.ceil(wait))
        self._global.append(now)
        if chat is not None:
            chat.append(now)
        return 0


@dataclass
class FaultRule:
    mode: FaultMode
    methods: frozenset[str] | None = None
    remaining: int | None = 1
    until: float | None = None
    probability: float = 1.0
    retry_after: int | None = None

    def describe(self) -> dict[str, Any]:
        return {
            "mode": self.mode,
            "methods": sorted(self.methods) if self.methods else None,
            "remaining": self.remaining,
            "until": self.until,
            "probability": self.probability,
            "retry_after": self.retry_after,
        }


@dataclass
class Fault:
    """What to do to one call: answer an error status, drop the connection, or force a 429."""

    mode: Literal["400", "500", "502", "drop", "drop_after", "429"]
    retry_after: int = 0


@dataclass
class FaultInjector:
    """Rules tried in order for each Bot API call; settable from tests and the control API."""

    clock: Clock
    rules: list[FaultRule] = field(default_factory=list)
    rng: random.Random = field(default_factory=lambda: random.Random(0))
    injected: int = 0

    def add(
        self,
        mode: FaultMode = "502",
        *,
        count: int | None = 1,
        methods: list[str] | None = None,
        duration: float | None = None,
        probability: float = 1.0,
        seed: int | None = None,
    ) -> FaultRule:
        """Fail matching calls: the next `count` (None = unlimited), for `duration` emulator
        seconds if given, each with `probability` (reproducible through `seed`)."""
        if mode not in FAULT_MODES:
            raise ValueError(f"unknown fault mode {mode!r}; use one of {FAULT_MODES}")
        if seed is not None:
            self.rng.seed(seed)
        until = self.clock.now() + duration if duration is not None else None
        rule = FaultRule(
            mode=mode,
            methods=frozenset(m.lower() for m in methods) if methods else None,
            remaining=count,
            until=until,
            probability=probability,
        )
        self.rules.append(rule)
        return rule

    def force_retry_after(self, retry_after: int, *, methods: list[str] | None = None) -> None:
        """Answer the next matching call with a 429 carrying this retry_after."""
        self.rules.append(
            FaultRule(
                mode="502",
                methods=frozenset(m.lower() for m in methods) if methods else None,
                retry_after=retry_after,
            )
        )

    def clear(self) -> None:
        self.rules.clear()

    def pick(self, method: str) -> Fault | None:
        now = self.clock.now()
        self.rules = [r for r in self.rules if r.until is None or now < r.until]
        for rule in self.rules:
            if rule.methods is not None and method.lower() not in rule.methods:
                continue
            if rule.probability < 1.0 and self.rng.random() >= rule.probability:
                continue
            if rule.remaining is not None:
                rule.remaining -= 1
                if rule.remaining <= 0:
                    self.rules.remove(rule)
            self.injected += 1
            if rule.retry_after is not None:
                return Fault("429", rule.retry_after)
            return Fault(rule.mode)
        return None

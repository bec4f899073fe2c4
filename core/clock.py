"""Time as a dependency: production reads the system clock, tests and the demo move it by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current moment, aware, in UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class ManualClock:
    """A clock that stands still until moved; for tests and the simulated quarter."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("ManualClock needs an aware datetime")
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        return self._now

    def set(self, moment: datetime) -> None:
        if moment.tzinfo is None:
            raise ValueError("ManualClock needs an aware datetime")
        self._now = moment.astimezone(UTC)

    def advance(self, delta: timedelta) -> None:
        self._now += delta


class FileClock:
    """Reads the moment from a file holding an ISO timestamp.

    It lets a test or the demo move time for a bot running in another process (for the
    restart tests); production never sets CLOCK_FILE.
    """

    def __init__(self, path: Path) -> None:
        self._path = path

    def now(self) -> datetime:
        moment = datetime.fromisoformat(self._path.read_text(encoding="utf-8").strip())
        if moment.tzinfo is None:
            raise ValueError(f"{self._path} must hold an aware ISO timestamp")
        return moment.astimezone(UTC)

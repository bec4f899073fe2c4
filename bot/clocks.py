"""The clocks that read something: the system's, and a file's for a bot in another process.

They live in the composition root because core does no I/O; core keeps the Clock protocol and
the hand-moved ManualClock.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


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

"""Shared fixtures: a real SQLite file per test and a clock that moves only when told."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from core.clock import ManualClock
from storage.database import Database

# Monday 2 March 2026, 10:00 in Kyiv.
START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "zvitbot.sqlite3")
    yield database
    await database.close()

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from core.clock import ManualClock
from tests.reminders.test_ladder import ReminderWorld, reminder_world


@pytest.fixture
async def zvit(tmp_path: Path, clock: ManualClock) -> AsyncIterator[ReminderWorld]:
    async with reminder_world(tmp_path, clock) as state:
        yield state

"""Fixtures of the hardening tests: the chat world."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from core.clock import ManualClock
from tests.e2e.harness import World, world


@pytest.fixture
async def zvit(tmp_path: Path, clock: ManualClock) -> AsyncIterator[World]:
    async with world(tmp_path, clock) as state:
        yield state

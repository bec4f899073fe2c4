"""Fixtures of the hardening tests: the chat world, and logging put back after CLI runs."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from core.clock import ManualClock
from tests.e2e.harness import World, world


@pytest.fixture
async def zvit(tmp_path: Path, clock: ManualClock) -> AsyncIterator[World]:
    async with world(tmp_path, clock) as state:
        yield state


@pytest.fixture(autouse=True)
def restored_logging() -> Iterator[None]:
    """`main()` points the root logger at this test's captured stderr; later tests must not
    write into that closed stream."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)

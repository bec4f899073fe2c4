"""Shared fixtures: a real SQLite file per test, a clock that moves only when told, logging
put back after every test, and the bot's own errors shown first when a test fails."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Generator, Iterator
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


@pytest.fixture(autouse=True)
def restored_logging() -> Iterator[None]:
    """`main()` points the root logger at the test's captured stderr, which is closed after the
    test; every later log line would then print a "Logging error" with a full stack."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def _bot_errors(log_text: str) -> list[str]:
    """The records of `handlers.errors` (with their tracebacks) out of a captured log."""
    found: list[str] = []
    lines = log_text.splitlines()
    for start, line in enumerate(lines):
        if line.startswith("ERROR") and " handlers.errors:" in line:
            end = start + 1
            while end < len(lines) and not lines[end].startswith(_LEVELS):
                end += 1
            found.append("\n".join(lines[start:end]))
    return found


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """When a chat test fails because the bot apologised, the bot's exception is the first thing
    to read: it goes in a short section ahead of the captured output."""
    report = yield
    if report.failed:
        errors = [
            error
            for name, text in report.sections
            if name.startswith("Captured log")
            for error in _bot_errors(text)
        ]
        if errors:
            report.sections.insert(0, ("Bot errors (handlers.errors)", "\n\n".join(errors)))
    return report

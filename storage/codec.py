"""How values are written to SQLite: aware UTC timestamps as ISO text, dates as ISO text."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, Protocol


def ts(value: datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("naive datetime reached storage; all stored times are aware UTC")
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def ts_or_none(value: datetime | None) -> str | None:
    return None if value is None else ts(value)


def parse_ts(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def day(value: date) -> str:
    return value.isoformat()


def parse_day(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


class Row(Protocol):
    """What a `*_from_row` decoder reads: an `aiosqlite.Row`, or a row packed as JSON
    (`storage.json_rows`)."""

    def __getitem__(self, key: str, /) -> Any: ...

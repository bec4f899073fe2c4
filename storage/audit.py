"""The audit trail: who changed what, with the state before and after."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any, Protocol, TypeVar

import aiosqlite

from storage.codec import parse_ts, ts
from storage.database import fetch_all


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    at: datetime
    actor_id: int | None
    action: str
    entity: str
    entity_id: int | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def _plain(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


def snapshot(obj: object) -> dict[str, Any] | None:
    """A JSON-ready copy of a dataclass (or dict) for the before/after columns."""
    if obj is None:
        return None
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        items = {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}
    elif isinstance(obj, dict):
        items = dict(obj)
    else:
        raise TypeError(f"cannot snapshot {type(obj).__name__}")
    return {key: _plain(value) for key, value in items.items()}


async def record(
    conn: aiosqlite.Connection,
    *,
    at: datetime,
    actor_id: int | None,
    action: str,
    entity: str,
    entity_id: int | None,
    before: object = None,
    after: object = None,
) -> None:
    """Append an entry; call it inside the transaction that makes the change."""
    await conn.execute(
        "INSERT INTO audit_log (at, actor_id, action, entity, entity_id, before_json, after_json)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            ts(at),
            actor_id,
            action,
            entity,
            entity_id,
            _dump(snapshot(before)),
            _dump(snapshot(after)),
        ),
    )


class _Row(Protocol):
    @property
    def id(self) -> int: ...


RowT = TypeVar("RowT", bound=_Row)


async def updated(
    conn: aiosqlite.Connection,
    sql: str,
    params: Sequence[object],
    *,
    before: RowT,
    reread: Callable[[aiosqlite.Connection, int], Awaitable[RowT | None]],
    action: str,
    entity: str,
    actor_id: int | None,
    now: datetime,
) -> RowT:
    """Run one UPDATE of the row `before` was read from, read the row again and audit the
    change with both states; returns the row as it is now. Call it inside the transaction."""
    await conn.execute(sql, tuple(params))
    after = await reread(conn, before.id)
    assert after is not None, f"{entity} {before.id} vanished while updated"
    await record(
        conn, at=now, actor_id=actor_id, action=action, entity=entity, entity_id=before.id,
        before=before, after=after,
    )  # fmt: skip
    return after


def _dump(value: dict[str, Any] | None) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


async def entries(
    conn: aiosqlite.Connection, *, entity: str | None = None, entity_id: int | None = None
) -> list[AuditEntry]:
    rows = await fetch_all(
        conn,
        "SELECT * FROM audit_log WHERE (? IS NULL OR entity = ?)"
        " AND (? IS NULL OR entity_id = ?) ORDER BY id",
        (entity, entity, entity_id, entity_id),
    )
    return [
        AuditEntry(
            id=row["id"],
            at=parse_ts(row["at"]) or datetime.min,
            actor_id=row["actor_id"],
            action=row["action"],
            entity=row["entity"],
            entity_id=row["entity_id"],
            before=json.loads(row["before_json"]) if row["before_json"] else None,
            after=json.loads(row["after_json"]) if row["after_json"] else None,
        )
        for row in rows
    ]

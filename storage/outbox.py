"""The outbox table: enqueueing notifications once, claiming them under a lease, and outcomes."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

import aiosqlite

from storage.codec import parse_ts, ts, ts_or_none
from storage.database import fetch_all, fetch_one


class OutboxState(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    DROPPED = "dropped"


class AttemptOutcome(StrEnum):
    OK = "ok"
    RETRY_AFTER = "retry_after"
    SERVER_ERROR = "server_error"
    NETWORK = "network"
    FORBIDDEN = "forbidden"
    BAD_REQUEST = "bad_request"


@dataclass(frozen=True, slots=True)
class OutboxMessage:
    id: int
    dedupe_key: str
    chat_id: int
    person_id: int | None
    kind: str
    method: str  # the call it is sent with (services/notify.py names them)
    payload: Mapping[str, Any]
    not_before: datetime
    expires_at: datetime | None
    state: OutboxState
    attempts: int
    last_error: str | None
    claimed_by: str | None
    claimed_until: datetime | None
    sent_at: datetime | None
    message_id: int | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class OutboxAttempt:
    id: int
    outbox_id: int
    chat_id: int
    worker_id: str
    at: datetime
    wall: float
    outcome: AttemptOutcome
    retry_after: int | None
    detail: str | None


def _message(row: aiosqlite.Row) -> OutboxMessage:
    return OutboxMessage(
        id=row["id"],
        dedupe_key=row["dedupe_key"],
        chat_id=row["chat_id"],
        person_id=row["person_id"],
        kind=row["kind"],
        method=row["method"],
        payload=json.loads(row["payload_json"]),
        not_before=_aware(row["not_before"]),
        expires_at=parse_ts(row["expires_at"]),
        state=OutboxState(row["state"]),
        attempts=row["attempts"],
        last_error=row["last_error"],
        claimed_by=row["claimed_by"],
        claimed_until=parse_ts(row["claimed_until"]),
        sent_at=parse_ts(row["sent_at"]),
        message_id=row["message_id"],
        created_at=_aware(row["created_at"]),
    )


def _aware(value: str) -> datetime:
    moment = parse_ts(value)
    assert moment is not None
    return moment


async def enqueue(
    conn: aiosqlite.Connection,
    *,
    dedupe_key: str,
    chat_id: int,
    person_id: int | None,
    kind: str,
    method: str,
    payload: Mapping[str, Any],
    not_before: datetime,
    now: datetime,
    expires_at: datetime | None = None,
) -> bool:
    """Add a message unless one with this key exists; True if it was new.

    parse_mode defaults to HTML (every template renders HTML); pass parse_mode=None in the
    payload for plain text.
    """
    if not dedupe_key:
        raise ValueError("an outbox message needs a dedupe key")
    body = {"parse_mode": "HTML", **payload}
    if "chat_id" in body:
        raise ValueError("chat_id is a column, not part of the payload")
    cursor = await conn.execute(
        "INSERT INTO outbox (dedupe_key, chat_id, person_id, kind, method, payload_json,"
        " not_before, expires_at, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING",
        (
            dedupe_key,
            chat_id,
            person_id,
            kind,
            method,
            json.dumps(body, ensure_ascii=False, sort_keys=True),
            ts(not_before),
            ts_or_none(expires_at),
            ts(now),
            ts(now),
        ),
    )
    return cursor.rowcount == 1


async def claim_due(
    conn: aiosqlite.Connection,
    *,
    worker_id: str,
    now: datetime,
    lease: timedelta,
    chat_quiet_since: float,
    limit: int,
) -> list[OutboxMessage]:
    """Take up to `limit` due messages, at most one per chat, for this worker until the lease ends.

    Call inside `Database.transaction()` (BEGIN IMMEDIATE): the write lock makes the pick and the
    update one step, so two processes on one file never claim the same row. A chat is skipped
    while another of its messages is claimed, or if it had an attempt at real time (Unix seconds)
    later than `chat_quiet_since`. A `sending` row whose lease has run out belongs to a process
    that died or hung, and is taken over — never by its own worker, which may still be awaiting
    Telegram's answer (a test clock can jump past a lease mid-request).
    """
    if limit <= 0:
        return []
    moment = ts(now)
    rows = await fetch_all(
        conn,
        "UPDATE outbox SET state = 'sending', claimed_by = ?, claimed_until = ?,"
        " attempts = attempts + 1, updated_at = ?"
        " WHERE id IN ("
        "  SELECT MIN(o.id) FROM outbox o"
        "  WHERE (o.state = 'pending' OR (o.state = 'sending' AND o.claimed_until <= ?"
        "   AND o.claimed_by IS NOT ?))"
        "   AND o.not_before <= ?"
        "   AND (o.expires_at IS NULL OR o.expires_at > ?)"
        "   AND NOT EXISTS (SELECT 1 FROM outbox b WHERE b.chat_id = o.chat_id"
        "    AND b.state = 'sending' AND b.claimed_until > ?)"
        "   AND NOT EXISTS (SELECT 1 FROM outbox_attempts a WHERE a.chat_id = o.chat_id"
        "    AND a.wall > ?)"
        "  GROUP BY o.chat_id ORDER BY MIN(o.id) LIMIT ?)"
        " RETURNING *",
        (
            worker_id,
            ts(now + lease),
            moment,
            moment,
            worker_id,
            moment,
            moment,
            moment,
            chat_quiet_since,
            limit,
        ),
    )
    return sorted((_message(row) for row in rows), key=lambda m: m.id)


async def record_attempt(
    conn: aiosqlite.Connection,
    message: OutboxMessage,
    *,
    worker_id: str,
    outcome: AttemptOutcome,
    at: datetime,
    wall: float,
    retry_after: int | None = None,
    detail: str | None = None,
) -> None:
    await conn.execute(
        "INSERT INTO outbox_attempts"
        " (outbox_id, chat_id, worker_id, at, wall, outcome, retry_after, detail)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (message.id, message.chat_id, worker_id, ts(at), wall, outcome.value, retry_after, detail),
    )


async def mark_sent(
    conn: aiosqlite.Connection, outbox_id: int, *, telegram_message_id: int, now: datetime
) -> bool:
    """Record delivery. Whoever holds the claim, the message did go: a later claim must not
    send it again, so this ignores `claimed_by` (only a row already sent keeps its first id)."""
    cursor = await conn.execute(
        "UPDATE outbox SET state = 'sent', sent_at = ?, message_id = ?, claimed_by = NULL,"
        " claimed_until = NULL, last_error = NULL, updated_at = ?"
        " WHERE id = ? AND state IN ('pending', 'sending')",
        (ts(now), telegram_message_id, ts(now), outbox_id),
    )
    return cursor.rowcount == 1


async def reschedule(
    conn: aiosqlite.Connection,
    outbox_id: int,
    *,
    worker_id: str,
    not_before: datetime,
    error: str,
    now: datetime,
    count_attempt: bool = True,
) -> bool:
    """Put a claimed row back in the queue for later; False if the claim was lost meanwhile.

    A 429 is Telegram's pacing, not the message's fault: count_attempt=False gives the try back.
    """
    cursor = await conn.execute(
        "UPDATE outbox SET state = 'pending', not_before = ?, last_error = ?,"
        " attempts = attempts - ?, claimed_by = NULL, claimed_until = NULL, updated_at = ?"
        " WHERE id = ? AND state = 'sending' AND claimed_by = ?",
        (ts(not_before), error, 0 if count_attempt else 1, ts(now), outbox_id, worker_id),
    )
    return cursor.rowcount == 1


async def mark_failed(
    conn: aiosqlite.Connection, outbox_id: int, *, worker_id: str, error: str, now: datetime
) -> bool:
    cursor = await conn.execute(
        "UPDATE outbox SET state = 'failed', last_error = ?, claimed_by = NULL,"
        " claimed_until = NULL, updated_at = ? WHERE id = ? AND state = 'sending'"
        " AND claimed_by = ?",
        (error, ts(now), outbox_id, worker_id),
    )
    return cursor.rowcount == 1


async def drop_expired(conn: aiosqlite.Connection, *, now: datetime) -> int:
    """Drop unsent rows past their expiry (a reminder after its deadline); returns how many."""
    cursor = await conn.execute(
        "UPDATE outbox SET state = 'dropped', last_error = 'expired', claimed_by = NULL,"
        " claimed_until = NULL, updated_at = ?"
        " WHERE expires_at IS NOT NULL AND expires_at <= ?"
        " AND (state = 'pending' OR (state = 'sending' AND claimed_until <= ?))",
        (ts(now), ts(now), ts(now)),
    )
    return cursor.rowcount


async def mark_dropped(
    conn: aiosqlite.Connection, outbox_id: int, *, reason: str, now: datetime
) -> bool:
    """Withdraw one pending message (e.g. the report it nags about was submitted)."""
    cursor = await conn.execute(
        "UPDATE outbox SET state = 'dropped', last_error = ?, updated_at = ?"
        " WHERE id = ? AND state = 'pending'",
        (reason, ts(now), outbox_id),
    )
    return cursor.rowcount == 1


async def release_claims(conn: aiosqlite.Connection, *, worker_id: str, now: datetime) -> int:
    """Hand this worker's unfinished claims back (graceful shutdown), without using up a try."""
    cursor = await conn.execute(
        "UPDATE outbox SET state = 'pending', attempts = MAX(attempts - 1, 0), claimed_by = NULL,"
        " claimed_until = NULL, updated_at = ? WHERE state = 'sending' AND claimed_by = ?",
        (ts(now), worker_id),
    )
    return cursor.rowcount


async def has_due_pending(conn: aiosqlite.Connection, *, now: datetime) -> bool:
    """Whether something is due but held back (by per-chat pacing or another's claim)."""
    row = await fetch_one(
        conn,
        "SELECT 1 FROM outbox WHERE state = 'pending' AND not_before <= ?"
        " AND (expires_at IS NULL OR expires_at > ?) LIMIT 1",
        (ts(now), ts(now)),
    )
    return row is not None


async def get_message(conn: aiosqlite.Connection, outbox_id: int) -> OutboxMessage | None:
    row = await fetch_one(conn, "SELECT * FROM outbox WHERE id = ?", (outbox_id,))
    return _message(row) if row else None


async def by_key(conn: aiosqlite.Connection, dedupe_key: str) -> OutboxMessage | None:
    row = await fetch_one(conn, "SELECT * FROM outbox WHERE dedupe_key = ?", (dedupe_key,))
    return _message(row) if row else None


async def with_key_prefix(conn: aiosqlite.Connection, prefix: str) -> list[OutboxMessage]:
    """Rows whose dedupe key starts with `prefix` (matched literally, no LIKE wildcards)."""
    rows = await fetch_all(
        conn,
        "SELECT * FROM outbox WHERE substr(dedupe_key, 1, ?) = ? ORDER BY id",
        (len(prefix), prefix),
    )
    return [_message(row) for row in rows]


async def counts_by_state(conn: aiosqlite.Connection) -> dict[OutboxState, int]:
    rows = await fetch_all(conn, "SELECT state, COUNT(*) AS n FROM outbox GROUP BY state", ())
    counts = dict.fromkeys(OutboxState, 0)
    for row in rows:
        counts[OutboxState(row["state"])] = row["n"]
    return counts


async def attempts_of(conn: aiosqlite.Connection, outbox_id: int) -> list[OutboxAttempt]:
    rows = await fetch_all(
        conn, "SELECT * FROM outbox_attempts WHERE outbox_id = ? ORDER BY id", (outbox_id,)
    )
    return [
        OutboxAttempt(
            id=row["id"],
            outbox_id=row["outbox_id"],
            chat_id=row["chat_id"],
            worker_id=row["worker_id"],
            at=_aware(row["at"]),
            wall=row["wall"],
            outcome=AttemptOutcome(row["outcome"]),
            retry_after=row["retry_after"],
            detail=row["detail"],
        )
        for row in rows
    ]


async def latest_with_key_prefix(conn: aiosqlite.Connection, prefix: str) -> OutboxMessage | None:
    """The newest row whose dedupe key starts with `prefix` (matched literally)."""
    row = await fetch_one(
        conn,
        "SELECT * FROM outbox WHERE substr(dedupe_key, 1, ?) = ? ORDER BY id DESC LIMIT 1",
        (len(prefix), prefix),
    )
    return _message(row) if row else None


async def revise_pending(
    conn: aiosqlite.Connection, outbox_id: int, payload: Mapping[str, Any], *, now: datetime
) -> bool:
    """Rewrite the payload of a message still waiting to go; False once it is claimed or sent.

    Call in the transaction that read the row: the write lock keeps a sender from claiming it
    between the check and the rewrite."""
    body = {"parse_mode": "HTML", **payload}
    if "chat_id" in body:
        raise ValueError("chat_id is a column, not part of the payload")
    cursor = await conn.execute(
        "UPDATE outbox SET payload_json = ?, updated_at = ? WHERE id = ? AND state = 'pending'",
        (json.dumps(body, ensure_ascii=False, sort_keys=True), ts(now), outbox_id),
    )
    return cursor.rowcount == 1

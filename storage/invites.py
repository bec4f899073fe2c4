"""Invites: create one per person, redeem it once, and count failed attempts per user."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import aiosqlite

from core.invites import InviteOutcome, hash_code
from core.models import Person, PersonStatus
from storage import audit, registry
from storage.codec import parse_ts, ts
from storage.database import fetch_one


@dataclass(frozen=True, slots=True)
class Redemption:
    outcome: InviteOutcome
    person: Person | None = None


async def create_invite(
    conn: aiosqlite.Connection,
    person: Person,
    code: str,
    *,
    ttl: timedelta,
    actor_id: int | None,
    now: datetime,
) -> datetime:
    """Store a new invite for the person, revoking any earlier unused one; return its expiry."""
    await conn.execute(
        "UPDATE invites SET revoked_at = ? WHERE person_id = ? AND used_at IS NULL"
        " AND revoked_at IS NULL",
        (ts(now), person.id),
    )
    expires = now + ttl
    cursor = await conn.execute(
        "INSERT INTO invites (person_id, code_hash, created_at, expires_at) VALUES (?, ?, ?, ?)",
        (person.id, hash_code(code), ts(now), ts(expires)),
    )
    await audit.record(
        conn,
        at=now,
        actor_id=actor_id,
        action="invite.create",
        entity="invite",
        entity_id=cursor.lastrowid,
        after={"person_id": person.id, "expires_at": expires},
    )
    return expires


async def has_live_invite(conn: aiosqlite.Connection, person_id: int, now: datetime) -> bool:
    """Whether the person holds an invite that can still be used (not used, revoked or expired)."""
    row = await fetch_one(
        conn,
        "SELECT 1 FROM invites WHERE person_id = ? AND used_at IS NULL AND revoked_at IS NULL"
        " AND expires_at > ? LIMIT 1",
        (person_id, ts(now)),
    )
    return row is not None


async def redeem(
    conn: aiosqlite.Connection, code: str, telegram_id: int, *, now: datetime, move: bool = False
) -> Redemption:
    """Check a code and bind the account; call inside a transaction so use is atomic.

    An account bound to another person moves only with ``move`` (the person confirmed it);
    otherwise MOVE_ASKED, with the invite left unused.
    """
    row = await fetch_one(conn, "SELECT * FROM invites WHERE code_hash = ?", (hash_code(code),))
    if row is None:
        return Redemption(InviteOutcome.UNKNOWN)
    person = await registry.get_person(conn, row["person_id"])
    if person is None:
        return Redemption(InviteOutcome.UNKNOWN)
    if row["used_at"] is not None:
        if row["used_by"] == telegram_id and person.telegram_id == telegram_id:
            return Redemption(InviteOutcome.ALREADY_BOUND, person)
        return Redemption(InviteOutcome.USED)
    if row["revoked_at"] is not None:
        return Redemption(InviteOutcome.REVOKED)
    expires = parse_ts(row["expires_at"])
    if expires is None or expires <= now:
        return Redemption(InviteOutcome.EXPIRED)
    if person.status is PersonStatus.DISMISSED:
        return Redemption(InviteOutcome.PERSON_INACTIVE)
    current = await registry.person_by_telegram(conn, telegram_id)
    if current is not None and current.id != person.id and not move:
        return Redemption(InviteOutcome.MOVE_ASKED, person)
    await conn.execute(
        "UPDATE invites SET used_at = ?, used_by = ? WHERE id = ? AND used_at IS NULL",
        (ts(now), telegram_id, row["id"]),
    )
    bound = await registry.bind_person(conn, person, telegram_id, now=now)
    return Redemption(InviteOutcome.BOUND, bound)


async def record_failure(conn: aiosqlite.Connection, telegram_id: int, *, now: datetime) -> None:
    await conn.execute(
        "INSERT INTO invite_failures (telegram_id, at) VALUES (?, ?)", (telegram_id, ts(now))
    )


async def failures_since(
    conn: aiosqlite.Connection, since: datetime, telegram_id: int | None = None
) -> int:
    """Failed attempts since a moment, by one user or (None) by everyone."""
    row = await fetch_one(
        conn,
        "SELECT COUNT(*) FROM invite_failures WHERE at >= ? AND (? IS NULL OR telegram_id = ?)",
        (ts(since), telegram_id, telegram_id),
    )
    return int(row[0]) if row else 0

"""The outbox table on a real SQLite file: dedupe keys, claims, leases and expiry."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from core.clock import ManualClock
from storage import outbox
from storage.database import Database
from storage.outbox import OutboxState

LEASE = timedelta(seconds=60)


async def put(db: Database, clock: ManualClock, key: str, chat_id: int, **extra: object) -> bool:
    async with db.transaction() as conn:
        return await outbox.enqueue(
            conn,
            dedupe_key=key,
            chat_id=chat_id,
            person_id=None,
            kind="notice",
            method="sendMessage",
            payload={"text": key},
            not_before=clock.now(),
            now=clock.now(),
            **extra,  # type: ignore[arg-type]
        )


async def claim(
    db: Database, clock: ManualClock, worker: str, *, limit: int = 100, quiet_since: float = 0.0
) -> list[outbox.OutboxMessage]:
    async with db.transaction() as conn:
        return await outbox.claim_due(
            conn,
            worker_id=worker,
            now=clock.now(),
            lease=LEASE,
            chat_quiet_since=quiet_since,
            limit=limit,
        )


async def test_the_same_dedupe_key_enqueues_one_row(db: Database, clock: ManualClock) -> None:
    assert await put(db, clock, "reminder:1:7:first", 7001) is True
    assert await put(db, clock, "reminder:1:7:first", 7001) is False
    async with db.reading() as conn:
        rows = await outbox.with_key_prefix(conn, "reminder:1:")
    assert [row.dedupe_key for row in rows] == ["reminder:1:7:first"]
    assert rows[0].payload == {"text": "reminder:1:7:first", "parse_mode": "HTML"}


async def test_a_claim_takes_one_message_per_chat(db: Database, clock: ManualClock) -> None:
    for i in range(3):
        await put(db, clock, f"a:{i}", 7001)
    await put(db, clock, "b:0", 7002)
    first = await claim(db, clock, "w1")
    assert sorted(m.chat_id for m in first) == [7001, 7002]
    assert all(m.state is OutboxState.SENDING and m.attempts == 1 for m in first)
    # While a chat has a message in flight, none of its others is handed out.
    assert await claim(db, clock, "w2") == []


async def test_a_chat_that_just_had_an_attempt_waits(db: Database, clock: ManualClock) -> None:
    await put(db, clock, "a:0", 7001)
    await put(db, clock, "a:1", 7001)
    [message] = await claim(db, clock, "w1")
    async with db.transaction() as conn:
        await outbox.record_attempt(
            conn, message, worker_id="w1", outcome=outbox.AttemptOutcome.OK,
            at=clock.now(), wall=1000.0,
        )  # fmt: skip
        await outbox.mark_sent(conn, message.id, telegram_message_id=1, now=clock.now())
    assert await claim(db, clock, "w1", quiet_since=999.5) == []
    assert [m.dedupe_key for m in await claim(db, clock, "w1", quiet_since=1000.0)] == ["a:1"]


async def test_a_dead_workers_claim_is_taken_over_after_the_lease(
    db: Database, clock: ManualClock
) -> None:
    await put(db, clock, "a:0", 7001)
    [held] = await claim(db, clock, "dead")
    clock.advance(LEASE - timedelta(seconds=1))
    assert await claim(db, clock, "alive") == []
    clock.advance(timedelta(seconds=1))
    [taken] = await claim(db, clock, "alive")
    assert (taken.id, taken.claimed_by, taken.attempts) == (held.id, "alive", 2)
    # The dead worker's late answer cannot reschedule a row it no longer holds.
    async with db.transaction() as conn:
        assert not await outbox.reschedule(
            conn, held.id, worker_id="dead", not_before=clock.now(), error="x", now=clock.now()
        )


async def test_two_connections_never_claim_the_same_row(
    tmp_path: Path, clock: ManualClock
) -> None:
    path = tmp_path / "shared.sqlite3"
    first, second = await Database.open(path), await Database.open(path)
    try:
        for i in range(300):
            await put(first, clock, f"m:{i}", 10_000 + i)

        async def take_all(db: Database, worker: str) -> list[int]:
            taken: list[int] = []
            while batch := await claim(db, clock, worker, limit=7):
                taken += [m.id for m in batch]
            return taken

        a, b = await asyncio.gather(take_all(first, "a"), take_all(second, "b"))
    finally:
        await first.close()
        await second.close()
    assert not set(a) & set(b)
    assert len(a) + len(b) == 300


async def test_expired_messages_are_dropped_unsent(db: Database, clock: ManualClock) -> None:
    await put(db, clock, "late", 7001, expires_at=clock.now() + timedelta(hours=1))
    await put(db, clock, "timely", 7002)
    clock.advance(timedelta(hours=1))
    async with db.transaction() as conn:
        assert await outbox.drop_expired(conn, now=clock.now()) == 1
    assert [m.dedupe_key for m in await claim(db, clock, "w")] == ["timely"]
    async with db.reading() as conn:
        counts = await outbox.counts_by_state(conn)
    assert counts[OutboxState.DROPPED] == 1
    assert counts[OutboxState.SENDING] == 1


async def test_a_graceful_stop_hands_claims_back(db: Database, clock: ManualClock) -> None:
    await put(db, clock, "a", 7001)
    await claim(db, clock, "w")
    async with db.transaction() as conn:
        assert await outbox.release_claims(conn, worker_id="w", now=clock.now()) == 1
        row = await outbox.by_key(conn, "a")
    assert row is not None
    assert (row.state, row.attempts, row.claimed_by) == (OutboxState.PENDING, 0, None)

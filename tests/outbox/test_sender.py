"""The sender against the emulator over HTTP: pacing, outages, blocked users, backoff."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer

from core.clock import ManualClock
from demo.registry_data import registry_csv
from emulator.limits import FloodLimits
from emulator.server import TelegramEmulator
from reports.registry_reader import read_registry
from scheduler.runner import Ticker
from scheduler.sender import OutboxSender
from storage import audit, outbox, registry
from storage.database import Database
from storage.outbox import AttemptOutcome, OutboxState

TOKEN = "4242424242:outbox-token"
COORDINATOR = 900001
USER0 = 700_000


class LocalSession(AiohttpSession):
    """No TLS to the local emulator, so no need for aiogram's 250 ms wait when closing."""

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()


def bot_for(base_url: str) -> Bot:
    return Bot(TOKEN, session=LocalSession(api=TelegramAPIServer.from_base(base_url)))


@dataclass
class Rig:
    """One test's world: the emulator, the DB file, a bot talking to the emulator over HTTP."""

    emulator: TelegramEmulator
    db: Database
    bot: Bot
    clock: ManualClock
    extra_bots: list[Bot] = field(default_factory=list)

    def sender(self, **options: Any) -> OutboxSender:
        scale = self.emulator.clock.scale
        options.setdefault("rate_per_second", 25 * scale)
        options.setdefault("per_chat_interval", 1.1 / scale)
        options.setdefault("telegram_second", 1 / scale)
        options.setdefault("coordinator_ids", frozenset({COORDINATOR}))
        return OutboxSender(self.db, options.pop("bot", self.bot), self.clock, **options)

    def users(self, count: int, first: int = USER0) -> list[int]:
        ids = list(range(first, first + count))
        for user_id in ids:
            self.emulator.create_user(user_id, f"U{user_id}", started=True)
        return ids

    async def put(self, key: str, chat_id: int, person_id: int | None = None) -> bool:
        async with self.db.transaction() as conn:
            return await outbox.enqueue(
                conn,
                dedupe_key=key,
                chat_id=chat_id,
                person_id=person_id,
                kind="reminder",
                method="sendMessage",
                payload={"text": f"Нагадування <b>{key}</b>"},
                not_before=self.clock.now(),
                now=self.clock.now(),
            )

    async def counts(self) -> dict[OutboxState, int]:
        async with self.db.reading() as conn:
            return await outbox.counts_by_state(conn)

    async def run_until_settled(
        self, sender: OutboxSender, *, step: timedelta = timedelta(seconds=1), rounds: int = 120
    ) -> int:
        """Drain, moving the business clock a step after each drain, until nothing is left."""
        for done in range(rounds):
            await sender.drain(2.0)
            counts = await self.counts()
            if counts[OutboxState.PENDING] == counts[OutboxState.SENDING] == 0:
                return done
            self.clock.advance(step)
        raise AssertionError(f"outbox not settled: {await self.counts()}")

    def delivered(self, chat_id: int) -> list[str]:
        return [m["text"] for m in self.emulator.chat_messages(chat_id)]

    def sends(self, outcome: object = "ok") -> list[dict[str, Any]]:
        return [
            c
            for c in self.emulator.calls
            if c["method"] == "sendMessage" and c["outcome"] == outcome
        ]


@pytest.fixture
async def rig(tmp_path: Path, clock: ManualClock) -> AsyncIterator[Rig]:
    emulator = TelegramEmulator(token=TOKEN, clock_scale=10)
    await emulator.start()
    db = await Database.open(tmp_path / "bot.sqlite3")
    async with db.transaction() as conn:
        sheet = read_registry("registry.csv", registry_csv())
        await registry.import_sheet(conn, sheet, actor_id=None, now=clock.now())
    emulator.create_user(COORDINATOR, "Координатор", started=True)
    state = Rig(emulator, db, bot_for(emulator.base_url), clock)
    try:
        yield state
    finally:
        for bot in (state.bot, *state.extra_bots):
            await bot.session.close()
        await db.close()
        await emulator.stop()


def assert_each_once(rig: Rig, chats: list[int], keys: dict[int, list[str]]) -> None:
    for chat_id in chats:
        expected = sorted(f"Нагадування {key}" for key in keys[chat_id])
        assert sorted(rig.delivered(chat_id)) == expected, chat_id


# --- Idempotency ----------------------------------------------------------------------------


async def test_a_message_enqueued_twice_is_delivered_once(rig: Rig) -> None:
    [chat] = rig.users(1)
    assert await rig.put("reminder:1:1:first", chat)
    assert not await rig.put("reminder:1:1:first", chat)
    await rig.run_until_settled(rig.sender())
    assert rig.delivered(chat) == ["Нагадування reminder:1:1:first"]
    async with rig.db.reading() as conn:
        row = await outbox.by_key(conn, "reminder:1:1:first")
    assert row is not None and row.state is OutboxState.SENT
    assert row.message_id == rig.emulator.chat_messages(chat)[0]["message_id"]


async def test_buttons_and_documents_go_out_as_telegram_json(rig: Rig) -> None:
    [chat] = rig.users(1)
    markup = {"inline_keyboard": [[{"text": "Заповнити", "callback_data": "r:1"}]]}
    async with rig.db.transaction() as conn:
        await outbox.enqueue(
            conn, dedupe_key="round_open:1:1", chat_id=chat, person_id=None, kind="round_open",
            method="sendMessage", not_before=rig.clock.now(), now=rig.clock.now(),
            payload={"text": "Раунд <b>відкрито</b>", "reply_markup": markup},
        )  # fmt: skip
    await rig.run_until_settled(rig.sender())
    [message] = rig.emulator.chat_messages(chat)
    assert message["text"] == "Раунд відкрито"
    assert message["buttons"][0][0]["callback_data"] == "r:1"


# --- Flood control ----------------------------------------------------------------------------


async def test_300_users_get_one_message_each_under_flood_limits(rig: Rig) -> None:
    rig.emulator.set_flood(FloodLimits(global_per_second=30, per_chat_per_second=1))
    chats = rig.users(300)
    keys = {chat: [f"r:{chat}"] for chat in chats}
    for chat in chats:
        await rig.put(f"r:{chat}", chat)
    await rig.run_until_settled(rig.sender())
    assert_each_once(rig, chats, keys)
    assert len(rig.sends()) == 300
    # Each start waits a Telegram second after an earlier answer: no load can make a 429.
    assert rig.emulator.stats()["errors_429"] == 0


async def test_a_persons_replies_during_a_fan_out_meet_no_429(rig: Rig) -> None:
    """A handler's reply goes through the same bot session, so it takes a place in the window."""
    rig.emulator.set_flood(FloodLimits(global_per_second=30, per_chat_per_second=1))
    people = rig.users(7, first=USER0 + 5_000)
    chats = rig.users(200)
    for chat in chats:
        await rig.put(f"r:{chat}", chat)
    sender = rig.sender()
    under_way = asyncio.Event()

    async def watch(make_request: Any, bot: Bot, method: Any) -> Any:
        if getattr(method, "chat_id", None) in chats:
            under_way.set()
        return await make_request(bot, method)

    rig.bot.session.middleware(watch)

    async def replies() -> None:
        await under_way.wait()
        for person in people:  # each waits for a place while the fan-out fills the window
            await rig.bot.send_message(person, "Екран")

    await asyncio.gather(rig.run_until_settled(sender), replies())
    assert len(rig.sends()) == 207
    assert all(rig.delivered(person) == ["Екран"] for person in people)
    fan_out = [c["time"] for c in rig.sends() if c["chat_id"] in set(chats)]
    assert max(c["time"] for c in rig.sends() if c["chat_id"] in people) < max(fan_out)
    assert rig.emulator.stats()["errors_429"] == 0


async def test_several_messages_to_one_chat_are_spaced_a_second_apart(rig: Rig) -> None:
    rig.emulator.set_flood(FloodLimits(global_per_second=30, per_chat_per_second=1))
    busy, *others = rig.users(41)
    keys: dict[int, list[str]] = {busy: [f"busy:{i}" for i in range(8)]}
    for key in keys[busy]:
        await rig.put(key, busy)
    for chat in others:
        keys[chat] = [f"r:{chat}"]
        await rig.put(f"r:{chat}", chat)
    await rig.run_until_settled(rig.sender())
    assert_each_once(rig, [busy, *others], keys)
    times = [c["time"] for c in rig.sends() if c["chat_id"] == busy]
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert len(times) == 8 and min(gaps) >= 0.95  # emulator seconds


async def test_a_forced_429_is_honoured_before_the_next_attempt(rig: Rig) -> None:
    [chat] = rig.users(1)
    await rig.put("r:1", chat)
    rig.emulator.faults.force_retry_after(5, methods=["sendMessage"])
    sender = rig.sender(telegram_second=0.01)
    first = await sender.drain(1.0)
    assert (first.sent, first.retried) == (0, 1)
    for _ in range(4):
        rig.clock.advance(timedelta(seconds=1))
        assert (await sender.drain(0.2)).attempted == 0
    rig.clock.advance(timedelta(seconds=1))
    assert (await sender.drain(1.0)).sent == 1
    async with rig.db.reading() as conn:
        row = await outbox.by_key(conn, "r:1")
        assert row is not None
        attempts = await outbox.attempts_of(conn, row.id)
    assert [a.outcome for a in attempts] == [AttemptOutcome.RETRY_AFTER, AttemptOutcome.OK]
    assert attempts[0].retry_after == 5
    assert attempts[1].at - attempts[0].at >= timedelta(seconds=5)
    assert row.attempts == 1  # Telegram's pacing does not use up the message's tries
    assert rig.delivered(chat) == ["Нагадування r:1"]


# --- Outages ----------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["502", "500", "drop"])
async def test_after_an_outage_everything_arrives_exactly_once(rig: Rig, mode: str) -> None:
    chats = rig.users(40)
    for chat in chats:
        await rig.put(f"r:{chat}", chat)
    rig.emulator.faults.add(mode, count=60, methods=["sendMessage"])  # type: ignore[arg-type]
    await rig.run_until_settled(rig.sender(per_chat_interval=0.01))
    assert_each_once(rig, chats, {chat: [f"r:{chat}"] for chat in chats})
    assert rig.emulator.faults.injected == 60
    async with rig.db.reading() as conn:
        rows = await outbox.with_key_prefix(conn, "r:")
        attempts = [a for row in rows for a in await outbox.attempts_of(conn, row.id)]
    failed = Counter(a.outcome for a in attempts if a.outcome is not AttemptOutcome.OK)
    expected = AttemptOutcome.NETWORK if mode == "drop" else AttemptOutcome.SERVER_ERROR
    assert failed == {expected: 60}


async def test_an_outage_window_in_time_is_ridden_out(rig: Rig) -> None:
    chats = rig.users(20)
    for chat in chats:
        await rig.put(f"r:{chat}", chat)
    # 5 emulator seconds = half a real second of 502s, whatever arrives in it.
    rig.emulator.faults.add("502", count=None, duration=5, methods=["sendMessage"])
    # Rounds with nothing due are quick: small business steps keep eight attempts' backoff
    # (255 steps) longer in real time than the outage, however the places in the window fall.
    await rig.run_until_settled(
        rig.sender(per_chat_interval=0.01), step=timedelta(seconds=0.25), rounds=4000
    )
    assert_each_once(rig, chats, {chat: [f"r:{chat}"] for chat in chats})
    assert rig.emulator.faults.injected > 0


async def test_a_connection_dropped_after_delivery_repeats_that_message(rig: Rig) -> None:
    """drop_after: Telegram delivered but the answer was lost. The sender cannot tell this from
    a request that never arrived, so it retries: at least once, the repeat is the price."""
    chats = rig.users(20)
    for chat in chats:
        await rig.put(f"r:{chat}", chat)
    rig.emulator.faults.add("drop_after", count=5, methods=["sendMessage"])
    await rig.run_until_settled(rig.sender(per_chat_interval=0.01))
    async with rig.db.reading() as conn:
        rows = await outbox.with_key_prefix(conn, "r:")
        retried = {
            row.chat_id
            for row in rows
            for a in await outbox.attempts_of(conn, row.id)
            if a.outcome is AttemptOutcome.NETWORK
        }
    assert len(retried) == 5
    for chat in chats:
        copies = 2 if chat in retried else 1
        assert rig.delivered(chat) == [f"Нагадування r:{chat}"] * copies
    assert all(row.state is OutboxState.SENT for row in rows)


# --- Backoff and giving up --------------------------------------------------------------------


async def test_three_502s_are_retried_with_growing_delays(rig: Rig) -> None:
    [chat] = rig.users(1)
    await rig.put("r:1", chat)
    rig.emulator.faults.add("502", count=3, methods=["sendMessage"])
    sender = rig.sender()
    start = rig.clock.now()
    for _ in range(8):
        await sender.drain(0.5)
        rig.clock.advance(timedelta(seconds=1))
    async with rig.db.reading() as conn:
        row = await outbox.by_key(conn, "r:1")
        assert row is not None
        attempts = await outbox.attempts_of(conn, row.id)
    assert [int((a.at - start).total_seconds()) for a in attempts] == [0, 1, 3, 7]
    assert [a.outcome for a in attempts][-1] is AttemptOutcome.OK
    assert row.state is OutboxState.SENT and row.attempts == 4
    assert rig.delivered(chat) == ["Нагадування r:1"]


async def test_a_message_that_keeps_failing_is_given_up_after_max_attempts(rig: Rig) -> None:
    [chat] = rig.users(1)
    await rig.put("r:1", chat)
    rig.emulator.faults.add("502", count=None, methods=["sendMessage"])
    await rig.run_until_settled(rig.sender(max_attempts=3), step=timedelta(minutes=1))
    async with rig.db.reading() as conn:
        row = await outbox.by_key(conn, "r:1")
        assert row is not None
        attempts = await outbox.attempts_of(conn, row.id)
    assert row.state is OutboxState.FAILED and row.attempts == 3
    assert row.last_error and "Bad Gateway" in row.last_error
    assert [a.outcome for a in attempts] == [AttemptOutcome.SERVER_ERROR] * 3


async def test_a_bad_request_fails_at_once_without_retry(rig: Rig) -> None:
    [chat] = rig.users(1)
    async with rig.db.transaction() as conn:
        await outbox.enqueue(
            conn, dedupe_key="broken", chat_id=chat, person_id=None, kind="notice",
            method="sendMessage", payload={"text": "<b>unclosed"}, not_before=rig.clock.now(),
            now=rig.clock.now(),
        )  # fmt: skip
    await rig.run_until_settled(rig.sender())
    async with rig.db.reading() as conn:
        row = await outbox.by_key(conn, "broken")
        assert row is not None
        attempts = await outbox.attempts_of(conn, row.id)
    assert row.state is OutboxState.FAILED
    assert [a.outcome for a in attempts] == [AttemptOutcome.BAD_REQUEST]
    assert rig.delivered(chat) == []


# --- Blocked users ----------------------------------------------------------------------------


async def test_a_blocked_person_is_marked_and_the_coordinator_told_once(rig: Rig) -> None:
    user_id = 5001
    rig.emulator.create_user(user_id, "Олена", started=True)
    rig.emulator.block_bot(user_id)
    async with rig.db.transaction() as conn:
        person = await registry.get_person(conn, 1)
        assert person is not None
        await registry.bind_person(conn, person, user_id, now=rig.clock.now())
    await rig.put("reminder:1:1:first", user_id, person_id=1)
    await rig.put("reminder:1:1:second", user_id, person_id=1)
    await rig.run_until_settled(rig.sender(per_chat_interval=0.01))

    async with rig.db.reading() as conn:
        person = await registry.get_person(conn, 1)
        rows = await outbox.with_key_prefix(conn, "reminder:1:1:")
        notices = await outbox.with_key_prefix(conn, "unreachable:1:")
        trail = await audit.entries(conn, entity="person", entity_id=1)
    assert person is not None and person.unreachable
    assert [row.state for row in rows] == [OutboxState.FAILED, OutboxState.FAILED]
    assert [n.state for n in notices] == [OutboxState.SENT]
    assert "person.unreachable" in [entry.action for entry in trail]
    [told] = rig.delivered(COORDINATOR)
    assert "Олена Петрівна Гнатюк" in told and "КП «Міськводоканал»" in told


async def test_a_person_who_never_started_the_bot_is_reported_too(rig: Rig) -> None:
    rig.emulator.create_user(5002, "Богдан", started=False)
    async with rig.db.transaction() as conn:
        person = await registry.get_person(conn, 2)
        assert person is not None
        await registry.bind_person(conn, person, 5002, now=rig.clock.now())
    await rig.put("reminder:1:2:first", 5002, person_id=2)
    report = await rig.sender().drain(2.0)
    assert report.unreachable == 1
    [told] = rig.delivered(COORDINATOR)
    assert "Богдан Ігорович Савчук" in told


# --- Two senders on one database --------------------------------------------------------------


async def test_two_senders_on_one_database_deliver_each_message_once(
    rig: Rig, tmp_path: Path
) -> None:
    chats = rig.users(200)
    for chat in chats:
        await rig.put(f"r:{chat}", chat)
    other_db = await Database.open(rig.db.path)
    other_bot = bot_for(rig.emulator.base_url)
    rig.extra_bots.append(other_bot)
    try:
        one = rig.sender(worker_id="one", rate_per_second=150)
        two = OutboxSender(
            other_db, other_bot, rig.clock, worker_id="two", rate_per_second=150,
            per_chat_interval=0.11,
        )  # fmt: skip

        async def keep_draining(sender: OutboxSender) -> None:
            for _ in range(50):
                await sender.drain(0.5)
                if (await rig.counts())[OutboxState.SENT] == 200:
                    return

        await asyncio.gather(keep_draining(one), keep_draining(two))
        async with rig.db.reading() as conn:
            rows = await outbox.with_key_prefix(conn, "r:")
            workers = {a.worker_id for row in rows for a in await outbox.attempts_of(conn, row.id)}
    finally:
        await other_db.close()
    assert_each_once(rig, chats, {chat: [f"r:{chat}"] for chat in chats})
    assert len(rig.sends()) == 200
    assert workers == {"one", "two"}


# --- The ticker -------------------------------------------------------------------------------


async def test_the_ticker_drains_and_survives_a_failing_job(rig: Rig) -> None:
    chats = rig.users(5)
    for chat in chats:
        await rig.put(f"r:{chat}", chat)
    runs: list[str] = []

    async def broken() -> None:
        runs.append("broken")
        raise RuntimeError("a feature job's bug")

    ticker = Ticker(rig.sender(), drain_every=0.1, drain_budget=0.09)
    ticker.add_job("broken", broken, 0.1)
    ticker.start()
    try:
        async with asyncio.timeout(10):
            while (await rig.counts())[OutboxState.SENT] < 5 or runs.count("broken") < 3:  # noqa: ASYNC110
                await asyncio.sleep(0.05)
        assert ticker.job_ids == ["broken", "outbox.drain"]
    finally:
        await ticker.stop()
    await rig.put("after-stop", chats[0])
    counts = await rig.counts()
    assert counts[OutboxState.SENDING] == 0 and counts[OutboxState.SENT] == 5


async def test_a_payload_telegram_would_not_accept_is_failed_without_a_request(rig: Rig) -> None:
    [chat] = rig.users(1)
    async with rig.db.transaction() as conn:
        await outbox.enqueue(
            conn, dedupe_key="no-text", chat_id=chat, person_id=None, kind="notice",
            method="sendMessage", payload={"txt": "typo"}, not_before=rig.clock.now(),
            now=rig.clock.now(),
        )  # fmt: skip
    report = await rig.sender().drain(1.0)
    assert report.failed == 1
    assert rig.emulator.calls == []

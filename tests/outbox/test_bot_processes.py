"""`python -m bot run` draining a pre-filled outbox: SIGKILLed and restarted, or two at once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from demo.runtime import BotProcess, child_env
from emulator.server import TelegramEmulator
from storage import outbox
from storage.database import Database
from storage.outbox import OutboxState

TOKEN = "4242424242:outbox-token"
COORDINATOR = 900001
USER0 = 710_000
START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def text_of(chat_id: int) -> str:
    return f"Нагадування {chat_id}"


async def prefill(db_path: Path, emulator: TelegramEmulator, count: int) -> list[int]:
    chats = list(range(USER0, USER0 + count))
    db = await Database.open(db_path)
    try:
        async with db.transaction() as conn:
            for chat_id in chats:
                emulator.create_user(chat_id, f"U{chat_id}", started=True)
                await outbox.enqueue(
                    conn, dedupe_key=f"r:{chat_id}", chat_id=chat_id, person_id=None,
                    kind="reminder", method="sendMessage", payload={"text": text_of(chat_id)},
                    not_before=START, now=START,
                )  # fmt: skip
    finally:
        await db.close()
    return chats


async def rows_in(db_path: Path, state: OutboxState) -> set[int]:
    db = await Database.open(db_path, migrate=False)
    try:
        async with db.reading() as conn:
            rows = await outbox.with_key_prefix(conn, "r:")
    finally:
        await db.close()
    return {row.chat_id for row in rows if row.state is state}


async def unfinished(db_path: Path) -> set[int]:
    pending = await rows_in(db_path, OutboxState.PENDING)
    return pending | await rows_in(db_path, OutboxState.SENDING)


def delivered(emulator: TelegramEmulator) -> int:
    return int(emulator.stats()["bot_messages"])


async def wait_for(emulator: TelegramEmulator, at_least: int) -> None:
    async with asyncio.timeout(30):
        # The bot is another process: there is no event to await, only the emulator's count.
        while delivered(emulator) < at_least:  # noqa: ASYNC110
            await asyncio.sleep(0.01)


@pytest.fixture
async def emulator() -> AsyncIterator[TelegramEmulator]:
    emu = TelegramEmulator(token=TOKEN)
    await emu.start()
    try:
        yield emu
    finally:
        await emu.stop()


def bot_env(emulator: TelegramEmulator, db_path: Path, clock_file: Path) -> dict[str, str]:
    env = child_env(emulator.base_url, db_path, TOKEN, [COORDINATOR], clock_file)
    env["OUTBOX_RATE_PER_SECOND"] = "30"
    return env


async def test_sigkilled_senders_lose_nothing_and_repeat_only_in_flight_messages(
    tmp_path: Path, emulator: TelegramEmulator
) -> None:
    db_path, clock_file = tmp_path / "bot.sqlite3", tmp_path / "now.txt"
    now = START
    clock_file.write_text(now.isoformat(), encoding="utf-8")
    chats = await prefill(db_path, emulator, 60)
    in_flight_at_kill: set[int] = set()
    bot = BotProcess(bot_env(emulator, db_path, clock_file))
    try:
        for threshold in (15, 35):
            bot.start()
            await wait_for(emulator, threshold)
            bot.kill()
            in_flight_at_kill |= await rows_in(db_path, OutboxState.SENDING)
            # Past the lease, the next process may take over what the killed one held.
            now += timedelta(minutes=2)
            clock_file.write_text(now.isoformat(), encoding="utf-8")
        bot.start()
        await wait_for(emulator, len(chats))
        async with asyncio.timeout(30):
            while await unfinished(db_path):  # noqa: ASYNC110
                await asyncio.sleep(0.05)
    finally:
        bot.stop()
    repeated = set()
    for chat_id in chats:
        texts = [m["text"] for m in emulator.chat_messages(chat_id)]
        assert texts and set(texts) == {text_of(chat_id)}, chat_id
        if len(texts) > 1:
            repeated.add(chat_id)
    # A repeat is only possible for a row that was on the wire when its process died.
    assert repeated <= in_flight_at_kill
    assert await rows_in(db_path, OutboxState.SENT) == set(chats)


async def test_two_bot_processes_on_one_database_send_each_message_once(
    tmp_path: Path, emulator: TelegramEmulator
) -> None:
    db_path, clock_file = tmp_path / "bot.sqlite3", tmp_path / "now.txt"
    clock_file.write_text(START.isoformat(), encoding="utf-8")
    chats = await prefill(db_path, emulator, 80)
    bots = [BotProcess(bot_env(emulator, db_path, clock_file)) for _ in range(2)]
    try:
        for bot in bots:
            bot.start()
        await wait_for(emulator, len(chats))
        async with asyncio.timeout(30):
            while await unfinished(db_path):  # noqa: ASYNC110
                await asyncio.sleep(0.05)
        await asyncio.sleep(0.3)  # a duplicate would show up within a drain
    finally:
        for bot in bots:
            if bot.process is not None:
                bot.process.terminate()  # both shut down at once, then are waited for
        for bot in bots:
            bot.stop()
    for chat_id in chats:
        assert [m["text"] for m in emulator.chat_messages(chat_id)] == [text_of(chat_id)]
    db = await Database.open(db_path, migrate=False)
    try:
        async with db.reading() as conn:
            rows = await outbox.with_key_prefix(conn, "r:")
            workers = {a.worker_id for row in rows for a in await outbox.attempts_of(conn, row.id)}
    finally:
        await db.close()
    assert len(workers) == 2  # both processes took part

"""A circular to 300 persons under the emulator's flood limits: everyone once, every 429 ridden."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from core.clock import ManualClock
from core.edrpou import is_valid, with_check_digit
from demo.registry_data import HEADER, registry_csv
from emulator.client import EmulatorClient
from emulator.limits import FloodLimits
from emulator.server import TelegramEmulator
from reports.registry_reader import read_registry
from scheduler.sender import OutboxSender
from storage import outbox, registry
from storage.outbox import OutboxState
from tests.e2e.harness import TOKEN, World

CROWD = 300
FIRST_CHAT = 800_000
SCALE = 10
ACK = "Підтверджую ознайомлення"
SEND_METHODS = {"sendMessage"}


@pytest.fixture
async def crowd(tmp_path: Path, clock: ManualClock) -> AsyncIterator[World]:
    emulator = TelegramEmulator(token=TOKEN, clock_scale=SCALE)
    await emulator.start()
    client = EmulatorClient(emulator.base_url)
    state = World(emulator, client, tmp_path / "bot.sqlite3", clock)
    try:
        await state.start_bot()
        yield state
    finally:
        await state.stop_bot()
        await client.close()
        await emulator.stop()


def fictional_registry() -> bytes:
    rows = [list(HEADER)]
    for n in range(CROWD):
        code = with_check_digit(f"{4500000 + n:07d}")
        assert is_valid(code)
        rows.append(
            [code, f"Комунальне підприємство № {n}", f"КП № {n}", "комунальне підприємство",
             "", "так", f"Особа Тестова {n}", "юрисконсульт", "", ""]
        )  # fmt: skip
    return registry_csv(rows)


async def bind_everyone(zvit: World) -> list[int]:
    """Bind each person straight in the DB: 300 invite dialogues would only slow the test."""
    now = zvit.clock.now()
    chats = []
    async with zvit.db.transaction() as conn:
        sheet = read_registry("registry.csv", fictional_registry())
        await registry.import_sheet(conn, sheet, actor_id=None, now=now)
        for index, person in enumerate(await registry.list_persons(conn)):
            chat = FIRST_CHAT + index
            zvit.emulator.create_user(chat, f"U{index}", started=True)
            await registry.bind_person(conn, person, chat, now=now)
            chats.append(chat)
    return chats


async def test_a_circular_to_300_persons_arrives_once_each_under_flood_limits(
    crowd: World,
) -> None:
    chats = await bind_everyone(crowd)
    assert len(chats) == CROWD
    # Compose at 07:00 in Kyiv, so nothing is due before the flood limits are on.
    crowd.clock.set(datetime(2026, 3, 2, 5, 0, tzinfo=UTC))
    coordinator = await crowd.coordinator()
    await coordinator.send("/circular")
    await coordinator.next_message()
    await coordinator.send("Нагадування про декларування до 1 квітня.")
    await coordinator.press("Усім уповноваженим", await coordinator.next_message())
    while "перевірте" not in (control := await coordinator.next_message()).text:
        pass
    assert "Усього — 300 осіб; у Telegram — 300" in control.text
    assert "розсилка почнеться 02.03.2026 о 09:00" in control.text
    await coordinator.press("Надіслати", control)
    assert "у черзі на доставку — 300" in (await coordinator.next_message()).text

    crowd.emulator.set_flood(FloodLimits(global_per_second=30, per_chat_per_second=1))
    crowd.clock.set(datetime(2026, 3, 2, 7, 0, tzinfo=UTC))  # 09:00: the window opens
    # A second, faster sender next to the bot's own, as in tests/outbox: the two together press
    # the emulator's limits, so 429s come and must be honoured.
    assert crowd.bot is not None
    fast = OutboxSender(
        crowd.db,
        crowd.bot.app.bot,
        crowd.clock,
        rate_per_second=25 * SCALE,
        per_chat_interval=1.1 / SCALE,
        telegram_second=1 / SCALE,
    )
    for _ in range(60):
        await fast.drain(1.0)
        async with crowd.db.reading() as conn:
            counts = await outbox.counts_by_state(conn)
        if counts[OutboxState.PENDING] == counts[OutboxState.SENDING] == 0:
            break
        crowd.clock.advance(timedelta(seconds=1))
    assert counts[OutboxState.SENT] == CROWD and counts[OutboxState.FAILED] == 0

    calls = [c for c in crowd.emulator.calls if c["method"] in SEND_METHODS]
    ok = Counter(c["chat_id"] for c in calls if c["outcome"] == "ok")
    assert {chat: ok[chat] for chat in chats} == dict.fromkeys(chats, 1)
    for chat in chats:
        [message] = crowd.emulator.chat_messages(chat)
        assert [b["text"] for row in message["buttons"] for b in row] == [ACK]
    refused = [c for c in calls if c["outcome"] == 429]
    # Every 429 was followed by that chat's one successful send.
    last_ok = {c["chat_id"]: c["seq"] for c in calls if c["outcome"] == "ok"}
    assert all(last_ok[c["chat_id"]] > c["seq"] for c in refused)

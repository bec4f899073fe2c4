"""Flood limits answer 429 with retry_after; injected faults answer 5xx or drop the connection."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import pytest

from emulator import EmulatorClient, FloodLimits, TelegramEmulator
from tests.emulator.conftest import TOKEN, ApiCall


@pytest.fixture
def ann(emulator: TelegramEmulator) -> int:
    emulator.create_user(1, "Ann", started=True)
    emulator.create_user(2, "Bob", started=True)
    return 1


async def test_second_message_to_one_chat_within_a_second_gets_429(
    api: ApiCall, emulator: TelegramEmulator, ann: int
) -> None:
    emulator.set_flood(FloodLimits(global_per_second=30, per_chat_per_second=1))
    assert (await api("sendMessage", chat_id=ann, text="1"))[0] == 200
    status, body = await api("sendMessage", chat_id=ann, text="2")
    assert status == 429
    assert body == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 1",
        "parameters": {"retry_after": 1},
    }
    assert (await api("sendMessage", chat_id=2, text="other chat"))[0] == 200
    assert emulator.stats()["errors_429"] == 1


async def test_global_limit_spans_chats(
    api: ApiCall, emulator: TelegramEmulator, ann: int
) -> None:
    emulator.set_flood(FloodLimits(global_per_second=1, per_chat_per_second=5))
    assert (await api("sendMessage", chat_id=1, text="1"))[0] == 200
    assert (await api("sendMessage", chat_id=2, text="2"))[0] == 429


async def test_fast_clock_shortens_the_window(
    api: ApiCall, ann: int, http: aiohttp.ClientSession
) -> None:
    fast = TelegramEmulator(token=TOKEN, flood=FloodLimits(), clock_scale=20)
    base = await fast.start()
    try:
        fast.create_user(1, "Ann", started=True)
        url = f"{base}/bot{TOKEN}/sendMessage"
        async with http.post(url, json={"chat_id": 1, "text": "a"}) as resp:
            assert resp.status == 200
        async with http.post(url, json={"chat_id": 1, "text": "b"}) as resp:
            body = await resp.json()
            assert resp.status == 429
        # retry_after is in emulator seconds; real wait = retry_after / clock_scale
        await asyncio.sleep(body["parameters"]["retry_after"] / 20 + 0.01)
        async with http.post(url, json={"chat_id": 1, "text": "c"}) as resp:
            assert resp.status == 200
    finally:
        await fast.stop()


async def test_next_calls_fail_with_bad_gateway_then_recover(
    api: ApiCall, emulator: TelegramEmulator, ann: int
) -> None:
    emulator.faults.add("502", count=2, methods=["sendMessage"])
    assert (await api("getMe"))[0] == 200  # other methods unaffected
    for _ in range(2):
        assert await api("sendMessage", chat_id=ann, text="x") == (
            502,
            {"ok": False, "error_code": 502, "description": "Bad Gateway"},
        )
    assert (await api("sendMessage", chat_id=ann, text="x"))[0] == 200
    assert [c["outcome"] for c in emulator.calls if c["method"] == "sendMessage"] == [
        502,
        502,
        "ok",
    ]


async def test_probabilistic_faults_are_reproducible_with_a_seed(
    api: ApiCall, emulator: TelegramEmulator
) -> None:
    async def outcomes() -> list[int]:
        emulator.faults.clear()
        emulator.faults.add("500", count=None, probability=0.5, seed=7)
        return [(await api("getMe"))[0] for _ in range(12)]

    first, second = await outcomes(), await outcomes()
    assert first == second
    assert set(first) == {200, 500}


async def test_dropped_connection_gives_no_response(
    emulator: TelegramEmulator, http: aiohttp.ClientSession, ann: int
) -> None:
    emulator.faults.add("drop", count=1)
    url = f"{emulator.base_url}/bot{TOKEN}/sendMessage"
    with pytest.raises(aiohttp.ClientError):
        async with http.post(url, json={"chat_id": ann, "text": "lost"}) as resp:
            await resp.read()
    assert emulator.chat_messages(ann) == []  # "drop" fails before doing anything


async def test_drop_after_performs_the_call_but_loses_the_answer(
    emulator: TelegramEmulator, http: aiohttp.ClientSession, ann: int
) -> None:
    emulator.faults.add("drop_after", count=1)
    url = f"{emulator.base_url}/bot{TOKEN}/sendMessage"
    with pytest.raises(aiohttp.ClientError):
        async with http.post(url, json={"chat_id": ann, "text": "sent anyway"}) as resp:
            await resp.read()
    assert [m["text"] for m in emulator.chat_messages(ann)] == ["sent anyway"]


async def test_faults_and_flood_over_the_control_api(
    emulator: TelegramEmulator, client: EmulatorClient, api: ApiCall, ann: int
) -> None:
    await client.force_retry_after(7, methods=["sendMessage"])
    status, body = await api("sendMessage", chat_id=ann, text="x")
    assert (status, body["parameters"]) == (429, {"retry_after": 7})
    await client.set_faults("500", count=1)
    assert (await api("getMe"))[0] == 500
    await client.set_flood(per_chat_per_second=1)
    assert (await api("sendMessage", chat_id=ann, text="a"))[0] == 200
    assert (await api("sendMessage", chat_id=ann, text="b"))[0] == 429
    await client.set_flood(False)
    assert (await api("sendMessage", chat_id=ann, text="c"))[0] == 200
    stats: dict[str, Any] = await client.stats()
    assert stats["errors_429"] == 2
    assert stats["faults_injected"] == 2

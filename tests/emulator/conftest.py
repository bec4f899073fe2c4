"""Fixtures: a running emulator, a raw Bot API caller and a control-API client."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Any

import aiohttp
import pytest

from emulator import EmulatorClient, TelegramEmulator

TOKEN = "123456:TEST-token_abc"
ApiCall = Callable[..., Coroutine[Any, Any, tuple[int, dict[str, Any]]]]


@pytest.fixture
async def emulator() -> AsyncIterator[TelegramEmulator]:
    emu = TelegramEmulator(token=TOKEN)
    await emu.start()
    try:
        yield emu
    finally:
        await emu.stop()


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
def api(emulator: TelegramEmulator, http: aiohttp.ClientSession) -> ApiCall:
    """POST a Bot API method as JSON; returns (HTTP status, decoded body)."""

    async def call(method: str, **params: Any) -> tuple[int, dict[str, Any]]:
        url = f"{emulator.base_url}/bot{TOKEN}/{method}"
        async with http.post(url, json=params) as resp:
            return resp.status, await resp.json()

    return call


@pytest.fixture
async def client(emulator: TelegramEmulator) -> AsyncIterator[EmulatorClient]:
    async with EmulatorClient(emulator.base_url) as c:
        yield c

"""getUpdates long polling, offsets, and webhook delivery."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from aiohttp import web

from emulator import TelegramEmulator
from tests.emulator.conftest import ApiCall


async def test_long_poll_returns_as_soon_as_an_update_arrives(
    api: ApiCall, emulator: TelegramEmulator
) -> None:
    emulator.create_user(1, "Ann")
    poll = asyncio.create_task(api("getUpdates", timeout=5))
    await asyncio.sleep(0.05)
    assert not poll.done()
    started = time.monotonic()
    emulator.user_sends_text(1, "привіт")
    status, body = await asyncio.wait_for(poll, 2)
    assert time.monotonic() - started < 1
    assert status == 200
    [update] = body["result"]
    assert update["message"]["text"] == "привіт"
    assert update["message"]["chat"] == {"id": 1, "type": "private", "first_name": "Ann"}


async def test_offset_confirms_earlier_updates(api: ApiCall, emulator: TelegramEmulator) -> None:
    emulator.create_user(1, "Ann")
    for text in ("a", "b", "c"):
        emulator.user_sends_text(1, text)
    _, first = await api("getUpdates", limit=2)
    ids = [u["update_id"] for u in first["result"]]
    assert len(ids) == 2
    _, again = await api("getUpdates")
    assert [u["update_id"] for u in again["result"]][:2] == ids  # unconfirmed: delivered again
    _, rest = await api("getUpdates", offset=ids[-1] + 1)
    assert [u["message"]["text"] for u in rest["result"]] == ["c"]
    _, empty = await api("getUpdates", offset=rest["result"][-1]["update_id"] + 1)
    assert empty["result"] == []


async def test_long_poll_times_out_empty(api: ApiCall) -> None:
    started = time.monotonic()
    status, body = await api("getUpdates", timeout=1)
    assert (status, body) == (200, {"ok": True, "result": []})
    assert 0.9 <= time.monotonic() - started < 2


async def test_allowed_updates_filters_new_updates(
    api: ApiCall, emulator: TelegramEmulator
) -> None:
    emulator.create_user(1, "Ann")
    await api("getUpdates", allowed_updates=["callback_query"])
    emulator.user_sends_text(1, "ignored")
    assert (await api("getUpdates"))[1]["result"] == []


async def test_a_second_poll_terminates_the_first(api: ApiCall) -> None:
    first = asyncio.create_task(api("getUpdates", timeout=5))
    await asyncio.sleep(0.05)
    await api("getUpdates")
    status, body = await asyncio.wait_for(first, 2)
    assert status == 409
    assert body["description"].startswith("Conflict: terminated by other getUpdates request")


async def test_webhook_delivers_updates_with_secret_and_blocks_get_updates(
    api: ApiCall, emulator: TelegramEmulator
) -> None:
    received: asyncio.Queue[tuple[str | None, dict[str, Any]]] = asyncio.Queue()

    async def hook(request: web.Request) -> web.Response:
        secret = request.headers.get("X-Telegram-Bot-Api-Secret-Token")
        await received.put((secret, await request.json()))
        return web.json_response({})

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        url = f"http://127.0.0.1:{port}/hook"
        assert (await api("setWebhook", url=url, secret_token="s3cret"))[0] == 200
        emulator.create_user(1, "Ann")
        emulator.user_sends_text(1, "/start")
        secret, update = await asyncio.wait_for(received.get(), 3)
        assert secret == "s3cret"
        assert update["message"]["text"] == "/start"
        status, body = await api("getUpdates")
        assert status == 409
        assert body["description"] == (
            "Conflict: can't use getUpdates method while webhook is active; "
            "use deleteWebhook to delete the webhook first"
        )
        _, info = await api("getWebhookInfo")
        assert info["result"]["url"] == url
        assert (await api("deleteWebhook"))[0] == 200
        assert (await api("getUpdates"))[0] == 200
    finally:
        await runner.cleanup()


async def test_webhook_reply_method_is_executed(api: ApiCall, emulator: TelegramEmulator) -> None:
    async def hook(request: web.Request) -> web.Response:
        update = await request.json()
        chat = update["message"]["chat"]["id"]
        return web.json_response({"method": "sendMessage", "chat_id": chat, "text": "pong"})

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        await api("setWebhook", url=f"http://127.0.0.1:{runner.addresses[0][1]}/hook")
        emulator.create_user(1, "Ann")
        emulator.user_sends_text(1, "ping")
        events = await emulator.wait_bot_events(1, 0, 3)
        assert events[0]["message"]["text"] == "pong"
    finally:
        await api("deleteWebhook")
        await runner.cleanup()


async def test_stop_releases_waiting_long_polls(api: ApiCall, emulator: TelegramEmulator) -> None:
    emulator.create_user(1, "Ann")
    poll = asyncio.create_task(api("getUpdates", timeout=30))
    wait = asyncio.create_task(emulator.wait_bot_events(1, 0, 30))
    await asyncio.sleep(0.05)
    started = time.monotonic()
    await emulator.stop()
    assert await asyncio.wait_for(wait, 2) == []
    assert (await asyncio.wait_for(poll, 2))[0] == 409
    assert time.monotonic() - started < 2

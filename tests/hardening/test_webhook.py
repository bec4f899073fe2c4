"""Webhook mode: the emulator posts updates to the bot's own server; /healthz tells the truth."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import aiohttp
import pytest

from bot.app import run_webhook
from bot.settings import Settings
from bot.webhook import Heartbeat, create_webhook_app, serving
from core.access import AccessPolicy
from core.clock import ManualClock
from core.invites import new_code
from demo.registry_data import registry_csv
from demo.runtime import emulated_settings
from emulator.client import EmulatorClient
from emulator.server import TelegramEmulator
from reports.registry_reader import read_registry
from storage import audit, invites, registry
from storage.database import Database
from tests.e2e.harness import COORDINATOR_ID, TOKEN

SECRET = "webhook-secret_42"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@dataclass
class Served:
    emulator: TelegramEmulator
    client: EmulatorClient
    settings: Settings
    db_path: Path
    invite: str

    @property
    def url(self) -> str:
        return str(self.settings.webhook_url)

    @property
    def health_url(self) -> str:
        return f"http://127.0.0.1:{self.settings.webhook_port}/healthz"


async def seed(db_path: Path, clock: ManualClock) -> str:
    """The registry, and an invite for person 1; returns the invite code."""
    code = new_code()
    db = await Database.open(db_path)
    async with db.transaction() as conn:
        await registry.import_sheet(
            conn, read_registry("r.csv", registry_csv()), actor_id=None, now=clock.now()
        )
        person = await registry.get_person(conn, 1)
        assert person is not None
        await invites.create_invite(
            conn, person, code, ttl=AccessPolicy().invite_ttl, actor_id=None, now=clock.now()
        )
    await db.close()
    return code


async def wait_healthy(url: str) -> None:
    async with aiohttp.ClientSession() as http, asyncio.timeout(10):
        while True:
            try:
                async with http.get(url) as resp:
                    if resp.status == 200:
                        return
            except aiohttp.ClientConnectionError:
                pass
            # The server is another task starting up; there is no event to await.
            await asyncio.sleep(0.05)


@pytest.fixture
async def served(tmp_path: Path, clock: ManualClock) -> AsyncIterator[Served]:
    emulator = TelegramEmulator(token=TOKEN)
    base_url = await emulator.start()
    port = free_port()
    db_path = tmp_path / "bot.sqlite3"
    code = await seed(db_path, clock)
    settings = emulated_settings(
        base_url,
        db_path,
        TOKEN,
        [COORDINATOR_ID],
        mode="webhook",
        webhook_url=f"http://127.0.0.1:{port}/telegram",
        webhook_secret=SECRET,
        webhook_port=port,
        backup_dir=tmp_path / "backups",
    )
    stop = asyncio.Event()
    task = asyncio.create_task(run_webhook(settings, clock=clock, stop=stop))
    client = EmulatorClient(base_url)
    try:
        await wait_healthy(f"http://127.0.0.1:{port}/healthz")
        yield Served(emulator, client, settings, db_path, code)
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=10)
        await client.close()
        await emulator.stop()


async def test_a_user_start_reaches_the_bot_through_the_webhook_and_the_reply_arrives(
    served: Served,
) -> None:
    olena = await served.client.user(5001, "Олена")
    await olena.send(f"/start {served.invite}")
    greeting = await olena.next_message(timeout=10)
    assert "Олена Петрівна Гнатюк" in greeting.text
    calls = (await served.client.stats())["by_method"]
    assert calls["setWebhook"] == 1 and "getUpdates" not in calls  # it came by webhook
    db = await Database.open(served.db_path, migrate=False)
    async with db.reading() as conn:
        bound = await registry.person_by_telegram(conn, 5001)
    await db.close()
    assert bound is not None and bound.id == 1


def start_update(code: str) -> dict[str, object]:
    text = f"/start {code}"
    return {
        "update_id": 777001,
        "message": {
            "message_id": 1,
            "date": 1772438400,
            "chat": {"id": 5001, "type": "private", "first_name": "Олена"},
            "from": {"id": 5001, "is_bot": False, "first_name": "Олена"},
            "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }


async def test_a_post_without_the_right_secret_gets_401_and_changes_nothing(
    served: Served,
) -> None:
    db = await Database.open(served.db_path, migrate=False)
    async with db.reading() as conn:
        audit_before = len(await audit.entries(conn))
    olena = await served.client.user(5001, "Олена", started=True)
    update = start_update(served.invite)
    async with aiohttp.ClientSession() as http:
        for headers in ({"X-Telegram-Bot-Api-Secret-Token": "guessed"}, {}):
            async with http.post(served.url, json=update, headers=headers) as resp:
                assert resp.status == 401
    async with db.reading() as conn:
        assert await registry.person_by_telegram(conn, 5001) is None
        assert len(await audit.entries(conn)) == audit_before
    await db.close()
    assert await olena.messages() == []
    # The same update with the secret is taken: the refusal was the secret, not the update.
    async with (
        aiohttp.ClientSession() as http,
        http.post(
            served.url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}
        ) as resp,
    ):
        assert resp.status == 200
    assert "Олена Петрівна Гнатюк" in (await olena.next_message()).text


async def test_healthz_reports_the_database_and_the_scheduler_as_ok(served: Served) -> None:
    async with aiohttp.ClientSession() as http, http.get(served.health_url) as resp:
        body = await resp.json()
    assert resp.status == 200
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True and body["scheduler"]["ok"] is True


async def test_healthz_answers_503_when_the_database_is_closed_or_the_ticker_stalls(
    tmp_path: Path,
) -> None:
    from aiogram import Bot, Dispatcher

    db = await Database.open(tmp_path / "bot.sqlite3")
    moment = [0.0]
    heartbeat = Heartbeat(now=lambda: moment[0])
    bot = Bot(TOKEN)
    app = create_webhook_app(
        Dispatcher(), bot, db, heartbeat, secret=SECRET, path="/telegram", max_tick_age=60
    )
    port = free_port()
    url = f"http://127.0.0.1:{port}/healthz"
    async with serving(app, "127.0.0.1", port), aiohttp.ClientSession() as http:
        async with http.get(url) as resp:
            assert resp.status == 200
        moment[0] += timedelta(minutes=5).total_seconds()  # no tick for five minutes
        async with http.get(url) as resp:
            assert resp.status == 503
            assert (await resp.json())["scheduler"]["ok"] is False
        await heartbeat.beat()
        await db.close()
        async with http.get(url) as resp:
            body = await resp.json()
            assert resp.status == 503
            assert body["database"]["ok"] is False and body["scheduler"]["ok"] is True
    await bot.session.close()

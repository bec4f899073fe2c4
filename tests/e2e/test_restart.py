"""The bot as a real process, killed with SIGKILL: what it acknowledged must survive."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from core.invites import new_code
from demo.registry_data import registry_csv
from demo.runtime import BotProcess
from emulator.client import EmulatorClient
from emulator.server import TelegramEmulator
from reports.registry_reader import read_registry
from storage import invites, registry
from storage.database import Database
from tests.e2e.harness import TOKEN, subprocess_env


async def test_a_binding_survives_sigkill_right_after_the_greeting(tmp_path: Path) -> None:
    db_path = tmp_path / "bot.sqlite3"
    now = datetime.now(UTC)
    code = new_code()
    db = await Database.open(db_path)
    async with db.transaction() as conn:
        await registry.import_sheet(
            conn, read_registry("r.csv", registry_csv()), actor_id=None, now=now
        )
        person = await registry.get_person(conn, 1)
        assert person is not None
        await invites.create_invite(
            conn, person, code, ttl=timedelta(days=1), actor_id=None, now=now
        )
    await db.close()

    emulator = TelegramEmulator(token=TOKEN)
    base_url = await emulator.start()
    bot = BotProcess(subprocess_env(base_url, db_path))
    try:
        async with EmulatorClient(base_url) as client:
            bot.start()
            olena = await client.user(5001, "Олена")
            await olena.send(f"/start {code}")
            assert "Олена Петрівна Гнатюк" in (await olena.next_message(timeout=20)).text
            bot.kill()

            bot.start()
            await olena.send("/help")
            reply = await olena.next_message(timeout=20)
            assert "уповноважена особа організації" in reply.text
            assert "Міськводоканал" in reply.text
    finally:
        bot.stop()
        await emulator.stop()
    db = await Database.open(db_path)
    async with db.reading() as conn:
        bound = await registry.person_by_telegram(conn, 5001)
    await db.close()
    assert bound is not None and bound.id == 1

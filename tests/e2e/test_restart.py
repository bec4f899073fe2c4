"""The bot as a real process, killed with SIGKILL: what it acknowledged must survive."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from core.calendar import WorkCalendar
from core.invites import new_code
from core.periods import Period
from demo.plan_data import plan_docx
from demo.registry_data import registry_csv
from demo.runtime import BotProcess
from emulator.client import EmulatorClient
from emulator.server import TelegramEmulator
from reports.plan_reader import read_plan
from reports.registry_reader import read_registry
from services.rounds import invite_to_round
from storage import invites, plans, registry
from storage import rounds as round_rows
from storage.database import Database, fetch_all
from tests.e2e.harness import TOKEN, next_screen, subprocess_env


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
            assert "Олена Петрівна Гнатюк" in (await olena.next_message(timeout=60)).text
            bot.kill()

            bot.start()
            await olena.send("/help")
            reply = await olena.next_message(timeout=60)  # a cold start under load is slow
            assert "уповноважена особа" in reply.text
            assert "Міськводоканал" in reply.text
    finally:
        bot.stop()
        await emulator.stop()
    db = await Database.open(db_path)
    async with db.reading() as conn:
        bound = await registry.person_by_telegram(conn, 5001)
    await db.close()
    assert bound is not None and bound.id == 1


async def test_answers_survive_sigkill_mid_questionnaire(tmp_path: Path) -> None:
    """Every answer the bot acknowledged is still there after a SIGKILL and restart."""
    db_path = tmp_path / "bot.sqlite3"
    clock_file = tmp_path / "now.txt"
    now = datetime(2026, 3, 3, 8, 0, tzinfo=UTC)  # Tuesday 10:00 in Kyiv
    clock_file.write_text(now.isoformat(), encoding="utf-8")
    db = await Database.open(db_path)
    async with db.transaction() as conn:
        await registry.import_sheet(
            conn, read_registry("r.csv", registry_csv()), actor_id=None, now=now
        )
        person = await registry.get_person(conn, 1)
        assert person is not None
        await registry.bind_person(conn, person, 5001, now=now)
        plan = await plans.save_plan(
            conn,
            read_plan("plan.docx", plan_docx(), default_title="План"),
            years=(2026, 2026),
            indicators=(),
            source_name="plan.docx",
            actor_id=None,
            now=now,
        )
        enterprises = await registry.list_enterprises(conn)
        round_ = await round_rows.open_round(
            conn,
            plan_id=plan.id,
            period=Period.quarter(2026, 1),
            deadline=date(2026, 3, 25),
            enterprise_ids=[e.id for e in enterprises],
            actor_id=None,
            now=now,
        )
        assert round_ is not None
        await invite_to_round(conn, round_, WorkCalendar(), now)
    await db.close()

    emulator = TelegramEmulator(token=TOKEN)
    base_url = await emulator.start()
    bot = BotProcess(subprocess_env(base_url, db_path, clock_file))
    try:
        async with EmulatorClient(base_url) as client:
            olena = await client.user(5001, "Олена", started=True)
            bot.start()
            invitation = await olena.next_message(timeout=60)
            await olena.press("Почати", invitation)
            screen = await olena.next_message(timeout=20)
            for n in range(3):
                await olena.press("✅ Виконано", screen)
                await olena.next_message(timeout=20)
                await olena.send(f"Відповідь {n}, підтверджена ботом")
                screen = await next_screen(olena, timeout=20)
            assert "Захід 4 з 13" in screen.text  # the bot acknowledged the third answer
            bot.kill()

            bot.start()
            await olena.send("/report")
            resumed = await next_screen(olena, timeout=60)  # a cold start under load is slow
            assert "Захід 4 з 13" in resumed.text
    finally:
        bot.stop()
        await emulator.stop()
    db = await Database.open(db_path)
    async with db.reading() as conn:
        rows = await fetch_all(conn, "SELECT narrative FROM answers ORDER BY measure_id")
    await db.close()
    assert [r[0] for r in rows] == [f"Відповідь {n}, підтверджена ботом" for n in range(3)]

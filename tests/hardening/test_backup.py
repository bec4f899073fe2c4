"""Backups: restore brings back every row, bad files are refused, rotation, nightly, /backup."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.__main__ import main
from core.clock import ManualClock
from demo.registry_data import registry_csv
from reports.registry_reader import read_registry
from scheduler.backups import BACKUP_JOB_ID, register_backup_job
from services.backup import run_nightly_backup
from storage import audit, registry
from storage.backup import (
    BackupPolicy,
    BackupProblem,
    BackupRefused,
    backup_now,
    list_backups,
    restore,
    rotate,
    verify_backup,
)
from storage.database import Database, DatabaseInUse, migrations
from tests.e2e.harness import World

KYIV = ZoneInfo("Europe/Kyiv")
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def policy_in(directory: Path, keep: int = 14, hour: int = 2) -> BackupPolicy:
    return BackupPolicy(directory=directory, keep=keep, hour=hour, tz=KYIV)


def table_counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        names = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {
            name: conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]  # noqa: S608
            for name in names
        }
    finally:
        conn.close()


def rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.execute(sql).fetchall())
    finally:
        conn.close()


async def seeded(path: Path) -> Database:
    db = await Database.open(path)
    async with db.transaction() as conn:
        await registry.import_sheet(
            conn, read_registry("r.csv", registry_csv()), actor_id=None, now=NOW
        )
    return db


async def test_restore_brings_back_every_row_changed_after_the_backup(tmp_path: Path) -> None:
    db_path = tmp_path / "zvitbot.sqlite3"
    db = await seeded(db_path)
    backup = backup_now(db_path, policy_in(tmp_path / "backups"), NOW)
    counts = table_counts(backup)
    persons = rows(backup, "SELECT id, full_name, telegram_id, status FROM persons ORDER BY id")
    assert counts["enterprises"] == 14 and counts["persons"] > 0 and counts["audit_log"] > 0

    async with db.transaction() as conn:  # the day's mistakes, written through the live bot
        await conn.execute("DELETE FROM invites")
        await conn.execute("UPDATE persons SET full_name = 'Стерто' WHERE id = 1")
        await conn.execute("DELETE FROM persons WHERE id = 2")
        await conn.execute("INSERT INTO audit_log (at, action, entity) VALUES ('x', 'y', 'z')")
    await db.close()

    outcome = restore(backup, db_path, NOW)

    assert table_counts(db_path) == counts
    assert rows(db_path, "SELECT id, full_name, telegram_id, status FROM persons ORDER BY id") == (
        persons
    )
    aside = tmp_path / "zvitbot.sqlite3.before-restore-20260302-080000"
    assert aside in outcome.moved_aside
    assert rows(aside, "SELECT full_name FROM persons WHERE id = 1") == [("Стерто",)]
    reopened = await Database.open(db_path)  # the bot starts on it as usual
    async with reopened.reading() as conn:
        assert len(await registry.list_enterprises(conn)) == 14
    await reopened.close()


async def test_a_backup_is_taken_while_the_bot_holds_a_write_open(tmp_path: Path) -> None:
    db_path = tmp_path / "zvitbot.sqlite3"
    db = await seeded(db_path)
    async with db.transaction() as conn:
        await conn.execute("DELETE FROM audit_log")
        # Uncommitted: the backup must neither wait for it nor contain it.
        path = backup_now(db_path, policy_in(tmp_path / "b"), NOW)
    await db.close()
    assert verify_backup(path).ok
    assert table_counts(path)["audit_log"] > 0
    assert table_counts(db_path)["audit_log"] == 0


def set_aside(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if ".before-restore-" in path.name)


def corrupt_copy(source: Path, target: Path) -> Path:
    data = bytearray(source.read_bytes())
    page = 4096
    data[page * 2 : page * 4] = b"\xff\x00garbage" * (page * 2 // 9) + b"\x00" * (page * 2 % 9)
    target.write_bytes(bytes(data))
    return target


async def test_a_corrupt_or_foreign_backup_is_refused_and_the_database_is_untouched(
    tmp_path: Path,
) -> None:
    db_path = tmp_path / "zvitbot.sqlite3"
    db = await seeded(db_path)
    await db.close()
    good = backup_now(db_path, policy_in(tmp_path / "backups"), NOW)
    before = db_path.read_bytes()

    newer = tmp_path / "newer.sqlite3"
    newer.write_bytes(good.read_bytes())
    with sqlite3.connect(newer) as conn:
        conn.execute("PRAGMA user_version = 99")
    text = tmp_path / "notes.sqlite3"
    text.write_text("not a database", encoding="utf-8")

    cases = {
        corrupt_copy(good, tmp_path / "corrupt.sqlite3"): BackupProblem.CORRUPT,
        newer: BackupProblem.SCHEMA_NEWER,
        text: BackupProblem.NOT_SQLITE,
        tmp_path / "absent.sqlite3": BackupProblem.MISSING,
    }
    for path, problem in cases.items():
        with pytest.raises(BackupRefused) as refused:
            restore(path, db_path, NOW)
        assert refused.value.check.problem is problem
    assert db_path.read_bytes() == before
    assert set_aside(tmp_path) == []


def test_restore_from_the_command_line_refuses_a_corrupt_file_with_exit_code_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "zvitbot.sqlite3"))
    monkeypatch.setenv("BOT_TOKEN", "1:x")
    monkeypatch.setenv("BACKUP_DIR", str(tmp_path / "backups"))
    assert main(["migrate"]) == 0
    assert main(["backup"]) == 0
    made = Path(capsys.readouterr().out.strip().splitlines()[-1])
    assert made.parent == tmp_path / "backups" and verify_backup(made).ok

    bad = corrupt_copy(made, tmp_path / "bad.sqlite3")
    assert main(["restore", str(bad)]) == 1
    refusal = capsys.readouterr().err
    assert "Відмовлено, нічого не змінено" in refusal and "пошкоджений" in refusal

    assert main(["restore", str(made)]) == 0
    done = capsys.readouterr().out
    assert "integrity_check: ok" in done and f"версія схеми: {len(migrations())}" in done
    assert "zvitbot.sqlite3.before-restore-" in done


async def test_restore_is_refused_while_the_database_is_open_and_works_once_closed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db_path = tmp_path / "zvitbot.sqlite3"
    db = await seeded(db_path)  # as the running bot holds it
    good = backup_now(db_path, policy_in(tmp_path / "backups"), NOW)
    before = db_path.read_bytes()
    with pytest.raises(DatabaseInUse):
        restore(good, db_path, NOW)
    monkeypatch.setenv("DATABASE_PATH", str(db_path))
    monkeypatch.setenv("BACKUP_DIR", str(tmp_path / "backups"))
    assert main(["restore", str(good)]) == 1
    assert "зараз використовує бот" in capsys.readouterr().err
    assert db_path.read_bytes() == before and set_aside(tmp_path) == []
    async with db.reading() as conn:  # the bot went on undisturbed
        assert len(await registry.list_enterprises(conn)) == 14

    await db.close()
    assert restore(good, db_path, NOW).restored_to == db_path
    reopened = await Database.open(db_path)  # and the bot starts on the restored file
    await reopened.close()


def test_rotation_keeps_the_newest_n_and_ignores_other_files(tmp_path: Path) -> None:
    db_path = tmp_path / "zvitbot.sqlite3"
    sqlite3.connect(db_path).close()
    folder = tmp_path / "backups"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    made = [
        backup_now(db_path, policy_in(folder, keep=3), NOW + timedelta(hours=i)) for i in range(6)
    ]
    assert list_backups(folder) == made[-3:]
    assert (folder / "notes.txt").exists()
    assert rotate(folder, 1) == made[-3:-1]


def test_backups_made_within_one_second_keep_their_order_through_rotation(
    tmp_path: Path,
) -> None:
    db_path = tmp_path / "zvitbot.sqlite3"
    sqlite3.connect(db_path).close()
    folder = tmp_path / "backups"
    made = [backup_now(db_path, policy_in(folder, keep=2), NOW) for _ in range(5)]
    # Each new one is the newest: a number freed by rotation is never handed out again.
    assert [path.name for path in made] == [
        "zvitbot-20260302-100000.sqlite3",
        *(f"zvitbot-20260302-100000-{n}.sqlite3" for n in range(2, 6)),
    ]
    assert list_backups(folder) == made[-2:]
    assert all(path.is_file() for path in made[-2:])


async def test_backups_started_together_in_one_folder_all_land_whole(tmp_path: Path) -> None:
    """The nightly catch-up at start-up, a coordinator's /backup and the CLI may all run at once,
    within the same second of the clock."""
    db_path = tmp_path / "zvitbot.sqlite3"
    db = await seeded(db_path)
    folder = tmp_path / "backups"

    async def write_meanwhile() -> None:
        for n in range(50):
            async with db.transaction() as conn:
                await conn.execute(
                    "INSERT INTO audit_log (at, action, entity) VALUES (?, 'x', 'y')", (str(n),)
                )

    made, _ = await asyncio.gather(
        asyncio.gather(*(asyncio.to_thread(backup_now, db_path, policy_in(folder), NOW)
                         for _ in range(6))),
        write_meanwhile(),
    )  # fmt: skip
    await db.close()
    assert len(set(made)) == 6
    assert sorted(made) == sorted(list_backups(folder))
    assert all(verify_backup(path).ok for path in made)
    assert not [path.name for path in folder.iterdir() if path.name.endswith(".partial")]


async def test_the_nightly_job_makes_one_backup_a_day_however_often_it_ticks(
    tmp_path: Path,
) -> None:
    db_path = tmp_path / "zvitbot.sqlite3"
    await (await seeded(db_path)).close()
    policy = policy_in(tmp_path / "backups", hour=2)
    clock = ManualClock(datetime(2026, 3, 1, 22, 0, tzinfo=UTC))  # midnight in Kyiv
    jobs: dict[str, Callable[[], Awaitable[None]]] = {}

    class Jobs:
        def add_job(self, job_id: str, func: Callable[[], Awaitable[None]], sec: float) -> None:
            jobs[job_id] = func

    register_backup_job(Jobs(), db_path, policy, clock)
    for _ in range(3 * 24 * 12):  # three days, ticking every 5 minutes
        await jobs[BACKUP_JOB_ID]()
        clock.advance(timedelta(minutes=5))
        if clock.now().minute == 30:
            # a restarted bot has a new job object; the files still say what was done
            register_backup_job(Jobs(), db_path, policy, clock)

    names = [path.name for path in list_backups(policy.directory)]
    assert names == [
        "zvitbot-20260302-020000.sqlite3",
        "zvitbot-20260303-020000.sqlite3",
        "zvitbot-20260304-020000.sqlite3",
    ]
    assert await run_nightly_backup(db_path, policy, clock) is None


async def test_a_bot_down_at_the_backup_hour_catches_up_once_that_day(tmp_path: Path) -> None:
    db_path = tmp_path / "zvitbot.sqlite3"
    await (await seeded(db_path)).close()
    policy = policy_in(tmp_path / "backups", hour=2)
    clock = ManualClock(datetime(2026, 3, 2, 12, 0, tzinfo=UTC))  # 14:00 in Kyiv, after a crash
    made = [await run_nightly_backup(db_path, policy, clock) for _ in range(5)]
    assert [path.name for path in made if path] == ["zvitbot-20260302-140000.sqlite3"]


async def test_coordinator_gets_a_backup_that_opens_and_passes_integrity_check(
    zvit: World,
) -> None:
    await zvit.seed_registry()
    folder = zvit.settings.backup_dir
    # The bot's nightly job catches up at start; this one may race it (both in this second).
    await run_nightly_backup(zvit.db_path, policy_in(folder), zvit.clock)
    coordinator = await zvit.coordinator()
    await coordinator.send("/backup")
    message = await coordinator.next_document()
    assert message.document is not None and message.document.data is not None
    name = message.document.file_name
    assert name is not None and name.startswith("zvitbot-")
    assert "Резервна копія бази" in message.text
    # The copy sent is also kept, as the newest, after the nightly one of the same clock second.
    kept = folder / name
    assert len(list_backups(folder)) >= 2 and list_backups(folder)[-1] == kept
    assert kept.read_bytes() == message.document.data
    assert rows(kept, "PRAGMA integrity_check") == [("ok",)]
    assert rows(kept, "SELECT count(*) FROM enterprises") == [(14,)]
    async with zvit.db.reading() as conn:
        entries = await audit.entries(conn, entity="database")
    assert [(e.action, e.actor_id) for e in entries] == [("backup.sent", coordinator.id)]


async def test_a_person_or_stranger_asking_for_a_backup_gets_no_file(zvit: World) -> None:
    await zvit.seed_registry()
    folder = zvit.settings.backup_dir
    await run_nightly_backup(zvit.db_path, policy_in(folder), zvit.clock)
    before = list_backups(folder)
    olena = await zvit.bound_person(1, 5001, "Олена")
    stranger = await zvit.user(7001, "Незнайомець")
    await olena.send("/backup")
    assert "лише працівникам відділу" in (await olena.next_message()).text
    await stranger.send("/backup")
    reply = await stranger.next_message()
    assert reply.document is None
    assert list_backups(folder) == before
    assert all(m.document is None for m in [*await olena.messages(), *await stranger.messages()])


async def test_backup_works_in_a_dispatcher_without_the_ticker(
    tmp_path: Path, clock: ManualClock
) -> None:
    """Quarter's edges, case 19: /backup's policy came only with the ticker."""
    from bot.app import create_app
    from demo.runtime import emulated_settings
    from emulator.client import EmulatorClient
    from emulator.server import TelegramEmulator
    from tests.e2e.harness import COORDINATOR_ID, TOKEN

    emulator = TelegramEmulator(token=TOKEN)
    base_url = await emulator.start()
    settings = emulated_settings(base_url, tmp_path / "bot.sqlite3", TOKEN, [COORDINATOR_ID])
    app = await create_app(settings, clock=clock)
    polling = asyncio.create_task(
        app.dispatcher.start_polling(
            app.bot, handle_signals=False, close_bot_session=False, polling_timeout=1
        )
    )
    try:
        async with EmulatorClient(base_url) as client:
            coordinator = await client.user(COORDINATOR_ID, "Координатор")
            await coordinator.send("/backup")
            message = await coordinator.next_document()
            assert message.document is not None and message.document.file_name is not None
            assert message.document.file_name.startswith("zvitbot-")
    finally:
        await app.dispatcher.stop_polling()
        await polling
        await app.close()
        await emulator.stop()

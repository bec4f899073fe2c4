"""`python -m bot doctor`: all ✓ against a healthy setup, ✗ with a hint when something is off."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.doctor import run_doctor
from emulator.server import TelegramEmulator
from storage.database import Database
from tests.e2e.harness import TOKEN


@pytest.fixture
async def emulator() -> AsyncIterator[TelegramEmulator]:
    server = TelegramEmulator(token=TOKEN)
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A migrated database and the settings a real install has, without the checkout's .env."""
    monkeypatch.chdir(tmp_path)
    db_path = tmp_path / "zvitbot.sqlite3"
    await (await Database.open(db_path)).close()
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("DATABASE_PATH", str(db_path))
    return db_path


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


async def test_a_healthy_install_passes_every_check(
    installed: Path,
    emulator: TelegramEmulator,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("BOT_API_BASE", emulator.base_url)
    assert await run_doctor() == 0
    lines = capsys.readouterr().out.splitlines()
    checks = [line for line in lines if line[:1] in "✓✗"]
    assert len(checks) == 5 and all(line.startswith("✓") for line in checks)
    assert any("@zvitbot_test_bot" in line for line in checks)
    assert any("integrity_check = ok" in line for line in checks)
    assert TOKEN not in "\n".join(lines)


def test_a_bad_setting_is_named_without_echoing_the_token(
    installed: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BOT_TOKEN", "not-a-token-but-a-secret-password")
    assert main(["doctor"]) == 1
    out = capsys.readouterr().out
    assert "✗ налаштування: setting BOT_TOKEN is invalid" in out
    assert "not-a-token-but-a-secret-password" not in out
    assert "✓ база" in out and "✓ схема" in out  # the offline checks still ran


async def test_an_unreachable_api_is_a_cross_with_a_hint_and_exit_code_1(
    installed: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BOT_API_BASE", f"http://127.0.0.1:{closed_port()}")
    assert await run_doctor(api_timeout=3) == 1
    out = capsys.readouterr().out
    assert "✗ Bot API" in out and "недоступний" in out and "BOT_API_BASE" in out
    assert TOKEN not in out and TOKEN.split(":")[1] not in out


async def test_a_missing_database_and_an_unset_webhook_in_webhook_mode_are_flagged(
    installed: Path,
    emulator: TelegramEmulator,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("BOT_API_BASE", emulator.base_url)
    monkeypatch.setenv("DATABASE_PATH", str(installed.with_name("elsewhere.sqlite3")))
    monkeypatch.setenv("MODE", "webhook")
    monkeypatch.setenv("WEBHOOK_URL", "https://bot.example.org/telegram")
    monkeypatch.setenv("WEBHOOK_SECRET", "the-webhook-secret")
    assert await run_doctor() == 1
    out = capsys.readouterr().out
    assert "✗ бази" in out and "python -m bot migrate" in out
    assert not installed.with_name("elsewhere.sqlite3").exists()  # the doctor only looks
    assert "✗ вебхук не встановлено, а MODE=webhook" in out
    assert "the-webhook-secret" not in out

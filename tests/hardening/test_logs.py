"""JSON logs of a real bot process: each update is traceable; its text and the token never."""

from __future__ import annotations

import asyncio
import json
import logging
import signal
import socket
import sys
from pathlib import Path

from bot.logs import SecretRedactor
from demo.runtime import ROOT, child_env
from emulator.client import EmulatorClient
from emulator.server import TelegramEmulator
from tests.e2e.harness import COORDINATOR_ID, TOKEN

PRIVATE_TEXT = "Конфіденційно: ПІБ викривача Іваненко 0671234567"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


async def test_json_logs_carry_update_and_user_ids_but_no_text_or_token(tmp_path: Path) -> None:
    emulator = TelegramEmulator(token=TOKEN)
    base_url = await emulator.start()
    port = free_port()
    env = child_env(base_url, tmp_path / "bot.sqlite3", TOKEN, [COORDINATOR_ID], None)
    env.update(
        MODE="webhook",
        WEBHOOK_URL=f"http://127.0.0.1:{port}/telegram",
        WEBHOOK_SECRET="log-test-secret",
        WEBHOOK_PORT=str(port),
        BACKUP_DIR=str(tmp_path / "backups"),
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "--log-json",
        "run",
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        async with EmulatorClient(base_url) as client:
            stranger = await client.user(6001, "Петро")
            await stranger.send(PRIVATE_TEXT)
            await stranger.next_message(timeout=20)
            await stranger.send("/start")
            await stranger.next_message(timeout=10)
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=15)
        await emulator.stop()
    assert process.returncode == 0  # SIGTERM is a clean stop in webhook mode

    lines = stderr.decode("utf-8").splitlines()
    entries = [json.loads(line) for line in lines]  # every line is one JSON object
    handled = [e for e in entries if e.get("user_id") == 6001 and "update_id" in e]
    assert len({e["update_id"] for e in handled}) == 2
    assert all(e.get("handler") == "handlers.fallback.refuse_stranger" for e in handled)
    for line in lines:
        assert TOKEN not in line and TOKEN.split(":")[1] not in line
        assert "Іваненко" not in line and "0671234567" not in line
        assert "log-test-secret" not in line


def test_a_masked_traceback_with_a_percent_sign_still_makes_one_log_line() -> None:
    redactor = SecretRedactor()
    redactor.secrets.add("123:SECRET")
    try:
        raise RuntimeError("GET https://api/bot123:SECRET/getMe?q=%20 failed")
    except RuntimeError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "update %s failed", (5,), None)
        record.exc_info = sys.exc_info()
    redactor.filter(record)
    line = logging.Formatter().format(record)  # raised TypeError when args were kept
    assert line.startswith("update 5 failed\n") and "%20" in line and "SECRET" not in line

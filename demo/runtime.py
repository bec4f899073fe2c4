"""Running the real bot against an emulator: in this process, or as a killable child process."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.app import App, create_app, create_ticker
from bot.settings import Settings
from core.clock import Clock
from scheduler.runner import Ticker

ROOT = Path(__file__).resolve().parents[1]


def emulated_settings(
    base_url: str, db_path: Path, token: str, coordinator_ids: list[int], **extra: object
) -> Settings:
    """Settings for a bot talking to the emulator, ignoring any .env of the checkout."""
    # Field values, validated by pydantic at run time: BaseSettings takes them as `**values: Any`.
    # A dict of `object` would not do: mypy cannot rule out that one of its keys is one of the
    # typed `_env_file`-style parameters, and an `object` fits none of those.
    values: dict[str, Any] = {"backup_dir": db_path.parent / "backups", **extra}
    return Settings(
        _env_file=None,
        bot_token=token,
        bot_api_base=base_url,
        database_path=db_path,
        coordinator_ids=coordinator_ids,
        **values,
    )


@dataclass
class RunningBot:
    """The bot's dispatcher polling in a background task of this event loop."""

    app: App
    task: asyncio.Task[None]
    ticker: Ticker

    @classmethod
    async def start(cls, settings: Settings, clock: Clock) -> RunningBot:
        app = await create_app(settings, clock=clock)
        # A quick tick keeps the simulated people waiting less than a real minute-scale one.
        ticker = create_ticker(app, drain_every=0.1)
        ticker.start()
        task = asyncio.create_task(
            app.dispatcher.start_polling(
                app.bot, handle_signals=False, close_bot_session=False, polling_timeout=1
            )
        )
        return cls(app, task, ticker)

    async def stop(self) -> None:
        with contextlib.suppress(RuntimeError):
            await self.app.dispatcher.stop_polling()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(self.task, timeout=5)
        await self.ticker.stop()
        await self.app.close()


@dataclass
class BotProcess:
    """`python -m bot run` in a child process, so that a test can SIGKILL it."""

    env: dict[str, str]
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


def child_env(
    base_url: str, db_path: Path, token: str, coordinator_ids: list[int], clock_file: Path | None
) -> dict[str, str]:
    """The environment of a child bot: only what it needs, never the developer's .env values."""
    kept = ("PATH", "HOME", "LANG", "LC_ALL", "PYTHONPATH")
    env = {key: value for key, value in os.environ.items() if key in kept}
    env.update(
        BOT_TOKEN=token,
        BOT_API_BASE=base_url,
        DATABASE_PATH=str(db_path),
        BACKUP_DIR=str(db_path.parent / "backups"),
        COORDINATOR_IDS=",".join(str(i) for i in coordinator_ids),
        PYTHONUNBUFFERED="1",
    )
    if clock_file is not None:
        env["CLOCK_FILE"] = str(clock_file)
    return env

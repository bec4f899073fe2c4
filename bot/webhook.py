"""Webhook mode: the aiohttp app Telegram posts updates to, and the /healthz endpoint."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from aiogram import Bot, Dispatcher
from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiohttp import web

from storage.database import Database

log = logging.getLogger(__name__)

HEALTH_PATH = "/healthz"
HEARTBEAT_JOB_ID = "health.heartbeat"
HEARTBEAT_EVERY = 10.0


class Heartbeat:
    """The scheduler's pulse: a ticker job beats it, /healthz checks it is recent."""

    def __init__(self, now: Callable[[], float] = time.monotonic) -> None:
        self._now = now
        # Counted alive from creation, so a freshly started bot is not reported dead.
        self._last = now()

    async def beat(self) -> None:
        self._last = self._now()

    def age(self) -> float:
        return self._now() - self._last


@dataclass(frozen=True, slots=True)
class Health:
    database_ok: bool
    database_detail: str
    scheduler_ok: bool
    last_tick_seconds_ago: float

    @property
    def ok(self) -> bool:
        return self.database_ok and self.scheduler_ok

    def as_json(self) -> dict[str, object]:
        return {
            "status": "ok" if self.ok else "unhealthy",
            "database": {"ok": self.database_ok, "detail": self.database_detail},
            "scheduler": {
                "ok": self.scheduler_ok,
                "last_tick_seconds_ago": round(self.last_tick_seconds_ago, 1),
            },
        }


async def check_health(
    db: Database, heartbeat: Heartbeat, *, db_timeout: float = 2.0, max_tick_age: float = 60.0
) -> Health:
    """A trivial query within a timeout, and a scheduler tick not older than `max_tick_age`."""
    detail = "ok"
    try:
        async with asyncio.timeout(db_timeout), db.reading() as conn:
            await conn.execute("SELECT 1")
    except TimeoutError:
        detail = f"no answer within {db_timeout:g} s"
    except Exception as error:  # any failure means unreachable; the kind is enough to say
        detail = type(error).__name__
    age = heartbeat.age()
    return Health(detail == "ok", detail, age <= max_tick_age, age)


def webhook_path(url: str) -> str:
    """The local path to serve: the public URL's path, as the reverse proxy passes it on."""
    return urlsplit(url).path or "/"


def create_webhook_app(
    dispatcher: Dispatcher,
    bot: Bot,
    db: Database,
    heartbeat: Heartbeat,
    *,
    secret: str,
    path: str,
    max_tick_age: float = 60.0,
) -> web.Application:
    """Updates on `path` (401 without the right secret header), health on /healthz."""
    if not secret:
        raise ValueError("a webhook without a secret would accept anyone's updates")
    app = web.Application()
    # Not in the background: Telegram gets its answer after the update is handled (and
    # committed), so a crash mid-update makes Telegram send it again instead of losing it.
    handler = SimpleRequestHandler(
        dispatcher, bot, handle_in_background=False, secret_token=secret
    )
    # Routed by hand rather than `handler.register`: that would close the bot's session on
    # shutdown, before the ticker's last outbox drain has used it.
    app.router.add_post(path, handler.handle)

    async def health(request: web.Request) -> web.Response:
        report = await check_health(db, heartbeat, max_tick_age=max_tick_age)
        return web.json_response(report.as_json(), status=200 if report.ok else 503)

    app.router.add_get(HEALTH_PATH, health)
    setup_application(app, dispatcher, bot=bot)
    return app


@contextlib.asynccontextmanager
async def serving(app: web.Application, host: str, port: int) -> AsyncIterator[web.AppRunner]:
    """Listen on host:port; on exit stop accepting, let in-flight updates finish, clean up."""
    runner = web.AppRunner(app, access_log=None, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    try:
        await site.start()
        log.info("webhook server listening on %s:%d", host, port)
        yield runner
    finally:
        await runner.cleanup()

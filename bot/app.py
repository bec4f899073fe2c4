"""Composition root: builds the Bot, the Dispatcher and their dependencies from settings."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.fsm.storage.memory import MemoryStorage

from bot.middlewares import ActorMiddleware
from bot.settings import Settings
from core.access import AccessPolicy
from core.clock import Clock, FileClock, SystemClock
from handlers import get_routers
from handlers.menus import set_startup_menus
from scheduler.runner import Ticker
from scheduler.sender import OutboxSender
from storage.database import Database

log = logging.getLogger(__name__)


@dataclass
class App:
    settings: Settings
    bot: Bot
    dispatcher: Dispatcher
    db: Database
    clock: Clock

    async def close(self) -> None:
        await self.bot.session.close()
        await self.db.close()


def create_bot(settings: Settings) -> Bot:
    session = None
    if settings.bot_api_base is not None:
        base = str(settings.bot_api_base).rstrip("/")
        session = AiohttpSession(api=TelegramAPIServer.from_base(base))
    return Bot(
        settings.bot_token.get_secret_value(),
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview_is_disabled=True),
    )


def access_policy(settings: Settings) -> AccessPolicy:
    return AccessPolicy(
        invite_ttl=timedelta(days=settings.invite_ttl_days),
        attempts_per_user_per_hour=settings.invite_attempts_per_hour,
    )


def create_dispatcher(
    *, db: Database, clock: Clock, settings: Settings, bot_username: str
) -> Dispatcher:
    dispatcher = Dispatcher(storage=MemoryStorage())
    dispatcher.update.outer_middleware(ActorMiddleware(db, settings.coordinator_ids))
    dispatcher.include_routers(*get_routers())
    dispatcher.workflow_data.update(
        db=db,
        clock=clock,
        settings_tz=settings.tz,
        access_policy=access_policy(settings),
        bot_username=bot_username,
        coordinator_ids=frozenset(settings.coordinator_ids),
    )
    return dispatcher


def create_clock(settings: Settings) -> Clock:
    return FileClock(settings.clock_file) if settings.clock_file else SystemClock()


async def create_app(settings: Settings, *, clock: Clock | None = None) -> App:
    """Open the DB (applying migrations), ask Telegram who we are, and wire the dispatcher."""
    db = await Database.open(settings.database_path)
    bot = create_bot(settings)
    try:
        me = await bot.get_me()
    except BaseException:
        await bot.session.close()
        await db.close()
        raise
    clock = clock or create_clock(settings)
    dispatcher = create_dispatcher(
        db=db, clock=clock, settings=settings, bot_username=me.username or ""
    )
    return App(settings, bot, dispatcher, db, clock)


def create_ticker(app: App) -> Ticker:
    """The scheduler with the outbox sender; feature jobs are added to it with `add_job`."""
    settings = app.settings
    sender = OutboxSender(
        app.db,
        app.bot,
        app.clock,
        coordinator_ids=frozenset(settings.coordinator_ids),
        rate_per_second=settings.outbox_rate_per_second,
        per_chat_interval=settings.outbox_per_chat_interval_seconds,
        max_attempts=settings.outbox_max_attempts,
    )
    return Ticker(sender)


async def run_polling(settings: Settings, *, clock: Clock | None = None) -> None:
    app = await create_app(settings, clock=clock)
    ticker = create_ticker(app)
    try:
        ticker.start()
        await set_startup_menus(app.bot, settings.coordinator_ids)
        await app.bot.delete_webhook(drop_pending_updates=False)
        log.info("polling started")
        await app.dispatcher.start_polling(app.bot, handle_signals=True, close_bot_session=False)
    finally:
        try:
            await ticker.stop()
        finally:
            await app.close()

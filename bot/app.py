"""Composition root: builds the Bot, the Dispatcher and their dependencies from settings."""

from __future__ import annotations

import asyncio
import logging
import signal
from dataclasses import dataclass
from datetime import timedelta

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.fsm.storage.memory import MemoryStorage

from bot.clocks import FileClock, SystemClock
from bot.middlewares import ActorMiddleware, OneUpdatePerUser, install_log_context
from bot.settings import Settings, StorageSettings
from bot.webhook import (
    HEARTBEAT_EVERY,
    HEARTBEAT_JOB_ID,
    Heartbeat,
    create_webhook_app,
    serving,
    webhook_path,
)
from core.access import AccessPolicy
from core.calendar import WorkCalendar
from core.clock import Clock
from core.deadlines import DeadlineRule
from core.reminders import ReminderPolicy
from handlers import get_routers
from handlers.menus import set_startup_menus
from scheduler.backups import register_backup_job
from scheduler.circulars import register_circular_reminders
from scheduler.pacing import install_pacing
from scheduler.reminders import register_reminder_jobs
from scheduler.runner import Ticker
from scheduler.sender import OutboxSender
from services.deps import Deps
from services.reminders import ReminderLetters
from storage.backup import BackupPolicy
from storage.database import Database

log = logging.getLogger(__name__)


@dataclass
class App:
    settings: Settings
    bot: Bot
    dispatcher: Dispatcher
    deps: Deps

    @property
    def db(self) -> Database:
        return self.deps.db

    @property
    def clock(self) -> Clock:
        return self.deps.clock

    async def close(self) -> None:
        await self.bot.session.close()
        await self.db.close()


def create_bot(settings: Settings) -> Bot:
    session = None
    if settings.bot_api_base is not None:
        base = str(settings.bot_api_base).rstrip("/")
        session = AiohttpSession(api=TelegramAPIServer.from_base(base))
    bot = Bot(
        settings.bot_token.get_secret_value(),
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview_is_disabled=True),
    )
    # One global window for every send: the outbox sender's and the handlers' replies alike.
    install_pacing(bot, rate_per_second=settings.outbox_rate_per_second)
    return bot


def access_policy(settings: Settings) -> AccessPolicy:
    return AccessPolicy(
        invite_ttl=timedelta(days=settings.invite_ttl_days),
        attempts_per_user_per_hour=settings.invite_attempts_per_hour,
        attempts_global_per_hour=settings.invite_attempts_global_per_hour,
    )


def work_calendar(settings: Settings) -> WorkCalendar:
    return WorkCalendar(
        tz=settings.tz,
        holidays_are_days_off=settings.holidays_are_days_off,
        extra_days_off=frozenset(settings.extra_days_off),
        extra_working_days=frozenset(settings.extra_working_days),
        quiet_start=settings.quiet_start,
        quiet_end=settings.quiet_end,
    )


def reminder_policy(settings: Settings) -> ReminderPolicy:
    return ReminderPolicy(
        before_deadline_working_days=tuple(settings.reminder_days_before),
        before_time=settings.reminder_time,
        deadline_day_time=settings.deadline_day_time,
        overdue_every_working_days=settings.overdue_every_working_days,
        overdue_max=settings.overdue_max,
        overdue_time=settings.reminder_time,
        staleness=timedelta(hours=settings.reminder_staleness_hours),
    )


def deadline_rule(settings: Settings) -> DeadlineRule:
    return DeadlineRule(
        day_of_month=settings.deadline_day,
        month_offset=settings.deadline_month_offset,
        shift_to_previous_working_day=settings.deadline_shift_to_working_day,
    )


def create_dispatcher(
    *, db: Database, clock: Clock, settings: Settings, bot_username: str
) -> Dispatcher:
    """The dispatcher with every router; handlers get one typed `deps`, nothing loose."""
    dispatcher = Dispatcher(storage=MemoryStorage(), events_isolation=OneUpdatePerUser())
    dispatcher.update.outer_middleware(ActorMiddleware(db, settings.coordinator_ids, clock))
    install_log_context(dispatcher)
    dispatcher.include_routers(*get_routers())
    dispatcher.workflow_data["deps"] = create_deps(
        db=db, clock=clock, settings=settings, bot_username=bot_username
    )
    return dispatcher


def create_deps(*, db: Database, clock: Clock, settings: Settings, bot_username: str) -> Deps:
    """Every dependency a use case may need, built once from settings."""
    return Deps(
        db=db,
        clock=clock,
        calendar=work_calendar(settings),
        requisites=settings.requisites,
        deadline_rule=deadline_rule(settings),
        reminder_policy=reminder_policy(settings),
        backup_policy=backup_policy(settings),
        access_policy=access_policy(settings),
        coordinator_ids=frozenset(settings.coordinator_ids),
        bot_username=bot_username,
    )


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
    return App(settings, bot, dispatcher, dispatcher.workflow_data["deps"])


def create_ticker(app: App, *, drain_every: float = 1.0) -> Ticker:
    """The scheduler with every periodic job: the outbox sender, backups, reminders, rounds."""
    settings = app.settings
    sender = OutboxSender(
        app.db,
        app.bot,
        app.clock,
        coordinator_ids=frozenset(settings.coordinator_ids),
        zone=settings.tz,
        rate_per_second=settings.outbox_rate_per_second,
        per_chat_interval=settings.outbox_per_chat_interval_seconds,
        max_attempts=settings.outbox_max_attempts,
    )
    ticker = Ticker(sender, drain_every=drain_every, drain_budget=min(0.9, drain_every * 0.9))
    deps = app.deps
    register_backup_job(ticker, deps.db.path, deps.backup_policy, deps.clock)
    register_reminder_jobs(
        ticker,
        deps.db,
        deps.clock,
        ReminderLetters(deps.calendar, deps.reminder_policy, deps.coordinator_ids),
        calendar=deps.calendar,
        policy=deps.reminder_policy,
        deadline_rule=deps.deadline_rule,
        auto_open_days_before=settings.auto_open_days_before,
        every=settings.reminder_tick_seconds,
    )
    register_circular_reminders(
        ticker, deps.db, deps.clock, deps.calendar, settings.circular_reminder_working_days
    )
    return ticker


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


def backup_policy(settings: StorageSettings) -> BackupPolicy:
    return BackupPolicy(
        directory=settings.backup_dir,
        keep=settings.backup_keep,
        hour=settings.backup_hour,
        tz=settings.tz,
    )


async def run_webhook(
    settings: Settings, *, clock: Clock | None = None, stop: asyncio.Event | None = None
) -> None:
    """Serve Telegram's webhook until SIGTERM or SIGINT (or `stop`, for tests).

    On the way out: stop taking updates, let those in flight finish, then stop the ticker (its
    last drain empties the outbox), then close. The webhook stays set, so Telegram keeps
    updates for us while we are down.
    """
    if settings.webhook_url is None or settings.webhook_secret is None:
        raise ValueError("webhook mode needs WEBHOOK_URL and WEBHOOK_SECRET")
    url = str(settings.webhook_url)
    secret = settings.webhook_secret.get_secret_value()
    app = await create_app(settings, clock=clock)
    ticker = create_ticker(app)
    heartbeat = Heartbeat()
    ticker.add_job(HEARTBEAT_JOB_ID, heartbeat.beat, HEARTBEAT_EVERY)
    web_app = create_webhook_app(
        app.dispatcher, app.bot, app.db, heartbeat, secret=secret, path=webhook_path(url)
    )
    stopping = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    signals = (signal.SIGTERM, signal.SIGINT) if stop is None else ()
    try:
        for signum in signals:
            loop.add_signal_handler(signum, stopping.set)
        ticker.start()
        await set_startup_menus(app.bot, settings.coordinator_ids)
        async with serving(web_app, settings.webhook_host, settings.webhook_port):
            await app.bot.set_webhook(
                url,
                secret_token=secret,
                allowed_updates=app.dispatcher.resolve_used_update_types(),
                drop_pending_updates=False,
            )
            log.info("webhook set; waiting for updates")
            await stopping.wait()
            log.info("stopping")
    finally:
        for signum in signals:
            loop.remove_signal_handler(signum)
        try:
            await ticker.stop()
        finally:
            await app.close()

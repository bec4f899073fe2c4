"""Onboarding: redeeming a personal invite link, and /start and /help for known users."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import aiosqlite
from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from core.access import AccessPolicy
from core.calendar import WorkCalendar
from core.clock import Clock
from core.invites import InviteOutcome, looks_like_code
from core.models import Actor, PersonRole, Role
from handlers.access import HasRole
from handlers.menus import set_chat_menu
from services import notify
from services.rounds import invite_newcomer
from storage import invites, promotions, registry, reporting
from storage import rounds as round_rows
from storage.database import Database
from templates import render
from ui.callbacks import InviteMove

log = logging.getLogger(__name__)


async def redeem_invite(
    message: Message,
    command: CommandObject,
    actor: Actor,
    bot: Bot,
    db: Database,
    clock: Clock,
    calendar: WorkCalendar,
    access_policy: AccessPolicy,
    coordinator_ids: frozenset[int],
) -> None:
    """Bind the sender's account to the person the invite was made for; if a round is open,
    its invitation follows at once."""
    code = (command.args or "").strip()
    if actor.role is Role.COORDINATOR:
        # A coordinator opening a person's link would become that person: never.
        await message.answer(render("onboarding/invite_for_coordinator.html"))
        return
    await _redeem(message, actor, bot, db, clock, calendar, access_policy, coordinator_ids, code)


async def confirm_move(
    query: CallbackQuery,
    callback_data: InviteMove,
    actor: Actor,
    bot: Bot,
    db: Database,
    clock: Clock,
    calendar: WorkCalendar,
    access_policy: AccessPolicy,
    coordinator_ids: frozenset[int],
) -> None:
    """«Так, прив'язати»: the account leaves its person for the one the invite was made for."""
    await query.answer()
    if actor.role is Role.COORDINATOR or not isinstance(query.message, Message):
        return
    await _redeem(
        query.message, actor, bot, db, clock, calendar, access_policy, coordinator_ids,
        callback_data.code, move=True,
    )  # fmt: skip


async def _redeem(
    message: Message,
    actor: Actor,
    bot: Bot,
    db: Database,
    clock: Clock,
    calendar: WorkCalendar,
    access_policy: AccessPolicy,
    coordinator_ids: frozenset[int],
    code: str,
    *,
    move: bool = False,
) -> None:
    now = clock.now()
    async with db.transaction() as conn:
        hour_ago = now - timedelta(hours=1)
        # Only the guessing account is locked: codes are 128-bit, so a lock for everyone would
        # add no security and let 21 accounts shut every person out (the coordinators are told).
        locked = access_policy.user_locked(
            await invites.failures_since(conn, hour_ago, actor.telegram_id)
        )
        if locked:
            outcome, person = InviteOutcome.RATE_LIMITED, None
        elif not looks_like_code(code):
            outcome, person = InviteOutcome.UNKNOWN, None
        else:
            redemption = await invites.redeem(conn, code, actor.telegram_id, now=now, move=move)
            outcome, person = redemption.outcome, redemption.person
        fine = (InviteOutcome.BOUND, InviteOutcome.ALREADY_BOUND, InviteOutcome.MOVE_ASKED)
        if outcome not in fine:
            await invites.record_failure(conn, actor.telegram_id, now=now)
            await alert_lockout(conn, actor.telegram_id, coordinator_ids, access_policy, now)
        enterprise = None
        if person is not None and person.enterprise_id is not None:
            enterprise = await registry.get_enterprise(conn, person.enterprise_id)
        open_round = None
        if outcome is InviteOutcome.BOUND and person is not None:
            if person.role is not PersonRole.COORDINATOR:
                open_round = await invite_newcomer(conn, person, calendar, now)
    if outcome is InviteOutcome.MOVE_ASKED and person is not None:
        await message.answer(
            render(
                "onboarding/move_question.html",
                current=actor.person,
                current_enterprise=actor.enterprise,
                person=person,
                enterprise=enterprise,
            ),
            reply_markup=_move_keyboard(code),
        )
        return
    if outcome is InviteOutcome.ALREADY_BOUND and enterprise is not None:
        await message.answer(
            render("onboarding/already_bound.html", enterprise_name=enterprise.name)
        )
        return
    if outcome is not InviteOutcome.BOUND or person is None:
        log.info("invite refused for user %s: %s", actor.telegram_id, outcome.value)
        await message.answer(render("onboarding/refused.html", outcome=outcome.value))
        return
    log.info("person %s bound to user %s", person.id, actor.telegram_id)
    if person.role is PersonRole.COORDINATOR:
        await message.answer(render("onboarding/coordinator_bound.html", person=person))
        await set_chat_menu(bot, actor.telegram_id, "coordinator")
        return
    await message.answer(
        render(
            "onboarding/bound.html",
            person=person,
            enterprise=enterprise,
            period=open_round.period if open_round else None,
        )
    )
    await set_chat_menu(bot, actor.telegram_id, "person")


def _move_keyboard(code: str) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=render("onboarding/buttons.txt", name="move"), callback_data=InviteMove(code=code)
    )
    return builder.as_markup()


async def alert_lockout(
    conn: aiosqlite.Connection,
    telegram_id: int,
    coordinator_ids: frozenset[int],
    policy: AccessPolicy,
    now: datetime,
) -> None:
    """Tell the coordinators that someone is guessing invite codes: once per lock and clock
    hour (the lock's window is an hour), whatever the number of further attempts."""
    hour_ago = now - timedelta(hours=1)
    scopes = []
    if policy.user_locked(await invites.failures_since(conn, hour_ago, telegram_id)):
        scopes.append(f"user:{telegram_id}")
    if policy.globally_suspicious(await invites.failures_since(conn, hour_ago)):
        scopes.append("global")
    if not scopes:
        return
    hour = now.astimezone(UTC).strftime("%Y-%m-%dT%H")
    chats = await promotions.notified_coordinators(conn, coordinator_ids)
    for scope in scopes:
        text = render(
            "onboarding/lockout_alert.html",
            scope="global" if scope == "global" else "user",
            telegram_id=telegram_id,
            limit=policy.attempts_global_per_hour
            if scope == "global"
            else policy.attempts_per_user_per_hour,
        )
        for chat_id in chats:
            await notify.alert(
                conn,
                key=notify.lockout_key(scope, hour, chat_id),
                chat_id=chat_id,
                letter=notify.Letter(text),
                now=now,
                kind=notify.Kind.INVITE_LOCKOUT,
            )


async def person_help(db: Database, actor: Actor) -> str:
    """Who the person is and what to do next, by where their organisation's report stands:
    no round, an open round not started, being filled, returned, submitted or accepted."""
    report, round_ = None, None
    if actor.enterprise is not None:
        async with db.reading() as conn:
            for candidate in await round_rows.open_rounds(conn):
                for found in await reporting.reports_of_round(conn, candidate.id):
                    if found.enterprise_id == actor.enterprise.id:
                        report, round_ = found, candidate
    return render(
        "onboarding/person_help.html",
        person=actor.person,
        enterprise=actor.enterprise,
        report=report,
        period=round_.period if round_ else None,
        deadline=round_.deadline if round_ else None,
    )


async def show_person_help(message: Message, actor: Actor, db: Database) -> None:
    """Remind a bound person who they are and what they can do now."""
    await message.answer(await person_help(db, actor))


async def show_coordinator_help(message: Message) -> None:
    """List the coordinator's commands."""
    await message.answer(render("onboarding/coordinator_help.html"))


def create_router() -> Router:
    """The onboarding use case as a fresh Router (one per Dispatcher)."""
    router = Router(name="onboarding")
    router.message.register(redeem_invite, CommandStart(deep_link=True), F.chat.type == "private")
    router.callback_query.register(confirm_move, InviteMove.filter())
    router.message.register(show_person_help, CommandStart(), HasRole(Role.PERSON))
    router.message.register(show_person_help, Command("help"), HasRole(Role.PERSON))
    router.message.register(show_coordinator_help, CommandStart(), HasRole(Role.COORDINATOR))
    router.message.register(show_coordinator_help, Command("help"), HasRole(Role.COORDINATOR))
    return router

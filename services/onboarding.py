"""Onboarding's use cases: redeeming a personal invite (with the lockout policy and its alert
to the coordinators), and what a person's /start and /help say about their report."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import aiosqlite

from core.invites import InviteOutcome, looks_like_code
from core.models import Actor, Enterprise, Person, Report, Role, Round
from services import notify
from services.deps import Deps
from services.rounds import invite_newcomer
from storage import invites, promotions, registry, reporting
from storage import rounds as round_rows
from templates import render

log = logging.getLogger(__name__)

# The outcomes that are not a wrong code: they count towards no lock.
_NOT_FAILURES = frozenset(
    {InviteOutcome.BOUND, InviteOutcome.ALREADY_BOUND, InviteOutcome.MOVE_ASKED}
)
# The lock's window, and the alert's: the clock hour the alert is told once in.
_WINDOW = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class Redemption:
    """What opening an invite came to: the outcome, the person it was made for and their
    organisation, and the round whose invitation follows at once (if one is open)."""

    outcome: InviteOutcome
    person: Person | None = None
    enterprise: Enterprise | None = None
    open_round: Round | None = None
    # A coordinator opening a person's link would become that person: never; nothing is done.
    for_coordinator: bool = False


@dataclass(frozen=True, slots=True)
class Standing:
    """Where the person's organisation's report stands: no open round (report None), or the
    report of the open round (the latest deadline among those that hold one)."""

    report: Report | None = None
    round: Round | None = None


async def redeem_invite(deps: Deps, actor: Actor, code: str, *, move: bool = False) -> Redemption:
    """Bind the account to the person the invite was made for, or say why not.

    ``move`` is the person's «Так, прив'язати»: the account leaves the person it is bound to.
    A wrong code counts against the account; too many lock it for an hour (only it: codes are
    128-bit, so a lock for everyone would add no security and let a few accounts shut every
    person out), and the coordinators are told.
    """
    if actor.role is Role.COORDINATOR:
        return Redemption(InviteOutcome.UNKNOWN, for_coordinator=True)
    now = deps.now()
    telegram_id = actor.telegram_id
    async with deps.db.transaction() as conn:
        failures = await invites.failures_since(conn, now - _WINDOW, telegram_id)
        if deps.access_policy.user_locked(failures):
            outcome, person = InviteOutcome.RATE_LIMITED, None
        elif not looks_like_code(code):
            outcome, person = InviteOutcome.UNKNOWN, None
        else:
            redemption = await invites.redeem(conn, code, telegram_id, now=now, move=move)
            outcome, person = redemption.outcome, redemption.person
        if outcome not in _NOT_FAILURES:
            await invites.record_failure(conn, telegram_id, now=now)
            await _alert_lockout(conn, deps, telegram_id, now)
        enterprise = None
        if person is not None and person.enterprise_id is not None:
            enterprise = await registry.get_enterprise(conn, person.enterprise_id)
        open_round = None
        if outcome is InviteOutcome.BOUND and person is not None:
            open_round = await invite_newcomer(conn, person, deps.calendar, now)
    if outcome is InviteOutcome.BOUND and person is not None:
        log.info("person %s bound to user %s", person.id, telegram_id)
    elif outcome not in _NOT_FAILURES:
        log.info("invite refused for user %s: %s", telegram_id, outcome.value)
    return Redemption(outcome, person, enterprise, open_round)


async def _alert_lockout(
    conn: aiosqlite.Connection, deps: Deps, telegram_id: int, now: datetime
) -> None:
    """Tell the coordinators that someone is guessing invite codes: once per lock and clock
    hour (the lock's window is an hour), whatever the number of further attempts."""
    policy = deps.access_policy
    hour_ago = now - _WINDOW
    scopes = []
    if policy.user_locked(await invites.failures_since(conn, hour_ago, telegram_id)):
        scopes.append("user")
    if policy.globally_suspicious(await invites.failures_since(conn, hour_ago)):
        scopes.append("global")
    if not scopes:
        return
    hour = now.astimezone(UTC).strftime("%Y-%m-%dT%H")
    chats = await promotions.notified_coordinators(conn, deps.coordinator_ids)
    for scope in scopes:
        text = render(
            "onboarding/lockout_alert.html",
            scope=scope,
            telegram_id=telegram_id,
            limit=policy.attempts_global_per_hour
            if scope == "global"
            else policy.attempts_per_user_per_hour,
        )
        key_scope = "global" if scope == "global" else f"user:{telegram_id}"
        for chat_id in chats:
            await notify.alert(
                conn,
                key=notify.lockout_key(key_scope, hour, chat_id),
                chat_id=chat_id,
                letter=notify.Letter(text),
                now=now,
                kind=notify.Kind.INVITE_LOCKOUT,
            )


async def standing(deps: Deps, actor: Actor) -> Standing:
    """The person's organisation's report in the open rounds, for /start, /help and the
    guidance on a message nothing expects. A read: it saves nothing."""
    if actor.enterprise is None:
        return Standing()
    found = Standing()
    async with deps.db.reading() as conn:
        for candidate in await round_rows.open_rounds(conn):
            report = await reporting.report_of(conn, candidate.id, actor.enterprise.id)
            if report is not None:
                found = Standing(report, candidate)
    return found

"""Reminders in chat: «Нагадати завтра», /remind's list of missing reports and one-tap nudges;
the reminders themselves are worded and queued by services.reminders."""

from __future__ import annotations

import logging

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message

from core.calendar import WorkCalendar
from core.clock import Clock
from core.models import (
    Actor,
    RoundState,
)
from core.reminders import (
    ReminderPolicy,
    snooze_until,
)
from handlers.access import coordinator_only, person_only
from services.reminders import chase_screen, remind_non_submitters
from storage import reminders as store
from storage import reporting
from storage import rounds as round_rows
from storage.database import Database
from templates import render
from ui.callbacks import Chase, ChaseAction, ReminderSnooze
from ui.replies import edit_or_answer

log = logging.getLogger(__name__)


async def show_missing(
    message: Message, db: Database, clock: Clock, calendar: WorkCalendar
) -> None:
    """/remind: the open round's missing reports, with one-tap nudges."""
    async with db.reading() as conn:
        rounds = await round_rows.open_rounds(conn)
        if not rounds:
            text, markup = render("reminders/no_round.html"), None
        else:
            text, markup = await chase_screen(conn, rounds[0], 0, clock.now(), calendar)
    await message.answer(text, reply_markup=markup)


async def turn_chase_page(
    query: CallbackQuery, callback_data: Chase, db: Database, clock: Clock, calendar: WorkCalendar
) -> None:
    """Another page of the list, in the same message, with fresh states."""
    async with db.reading() as conn:
        round_ = await round_rows.get_round(conn, callback_data.round_id)
        screen = None
        if round_ is not None:
            screen = await chase_screen(conn, round_, callback_data.page, clock.now(), calendar)
    if screen is None:
        await query.answer(render("access/stale.txt"), show_alert=True)
        return
    await query.answer()
    await edit_or_answer(query, *screen)


async def nudge(
    query: CallbackQuery,
    callback_data: Chase,
    actor: Actor,
    db: Database,
    clock: Clock,
    calendar: WorkCalendar,
    reminder_policy: ReminderPolicy,
) -> None:
    """«🔔 N» nudges one enterprise's persons, «Нагадати всім» everyone still owing."""
    now = clock.now()
    one = callback_data.action is ChaseAction.ONE
    async with db.transaction() as conn:
        nudged = await remind_non_submitters(
            conn,
            callback_data.round_id,
            actor_id=actor.telegram_id,
            calendar=calendar,
            now=now,
            policy=reminder_policy,
            report_id=callback_data.report_id if one else None,
        )
    if nudged is None:
        await query.answer(render("status/closed.txt"), show_alert=True)
        return
    await query.answer(
        render(
            "reminders/nudged.txt",
            queued=nudged.queued,
            already=nudged.already,
            unreachable=nudged.unreachable,
        ),
        show_alert=bool(nudged.unreachable),
    )


async def snooze(
    query: CallbackQuery,
    callback_data: ReminderSnooze,
    actor: Actor,
    db: Database,
    clock: Clock,
    calendar: WorkCalendar,
) -> None:
    """«Нагадати завтра»: this person's next reminder for the round waits for the next
    working morning (never past the deadline's); stored, so a restart keeps it."""
    now = clock.now()
    person = actor.person
    enterprise_id = actor.enterprise.id if actor.enterprise else None
    async with db.transaction() as conn:
        report = await reporting.get_report(conn, callback_data.report_id)
        round_ = await round_rows.get_round(conn, report.round_id) if report else None
        if (
            report is None
            or round_ is None
            or person is None
            or not reporting.may_fill(report, person.id, enterprise_id)
        ):
            answer, alert = render("access/stale.txt"), True
        elif round_.state is not RoundState.OPEN or not report.owed:
            answer, alert = render("reminders/snooze_needless.txt"), False
        else:
            until = snooze_until(now, round_.deadline, calendar, calendar.quiet_start)
            if until is None:
                answer, alert = render("reminders/snooze_refused.txt"), True
            else:
                await store.set_snooze(conn, round_.id, person.id, until, now=now)
                answer = render("reminders/snoozed.txt", until=until.astimezone(calendar.tz))
                alert = False
                log.info("round %s: person %s snoozed until %s", round_.id, person.id, until)
    await query.answer(answer, show_alert=alert)


def create_router() -> Router:
    """The reminders use case as a fresh Router (one per Dispatcher)."""
    router = Router(name="reminders")
    router.callback_query.register(snooze, ReminderSnooze.filter(), person_only)
    router.message.register(show_missing, Command("remind"), coordinator_only)
    router.callback_query.register(
        turn_chase_page, Chase.filter(F.action == ChaseAction.PAGE), coordinator_only
    )
    router.callback_query.register(nudge, Chase.filter(), coordinator_only)
    return router

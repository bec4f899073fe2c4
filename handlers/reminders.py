"""Reminders in chat: «Нагадати завтра», /remind's list of missing reports and one-tap nudges;
the reminders themselves are worded and queued by services.reminders."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message

from core.models import Actor
from services import chase, reminders
from services.deps import Deps
from services.reminders import SnoozeRefusal, remind_non_submitters
from templates import render
from ui.callbacks import Chase, ChaseAction, ReminderSnooze
from ui.replies import edit_or_answer

_SNOOZE_REFUSED = {
    SnoozeRefusal.STALE: ("access/stale.txt", True),
    SnoozeRefusal.NEEDLESS: ("reminders/snooze_needless.txt", False),
    SnoozeRefusal.REFUSED: ("reminders/snooze_refused.txt", True),
}


async def show_missing(message: Message, deps: Deps) -> None:
    """/remind: the open round's missing reports, with one-tap nudges."""
    screen = await chase.chase(deps)
    if screen is None:
        await message.answer(render("reminders/no_round.html"), reply_markup=None)
        return
    text, markup = screen
    await message.answer(text, reply_markup=markup)


async def turn_chase_page(query: CallbackQuery, callback_data: Chase, deps: Deps) -> None:
    """Another page of the list, in the same message, with fresh states."""
    screen = await chase.chase(deps, callback_data.round_id, callback_data.page)
    if screen is None:
        await query.answer(render("access/stale.txt"), show_alert=True)
        return
    await query.answer()
    await edit_or_answer(query, *screen)


async def nudge(query: CallbackQuery, callback_data: Chase, actor: Actor, deps: Deps) -> None:
    """«🔔 N» nudges one enterprise's persons, «Нагадати всім» everyone still owing."""
    one = callback_data.action is ChaseAction.ONE
    nudged = (
        await remind_non_submitters(
            deps,
            callback_data.round_id,
            actor_id=actor.telegram_id,
            report_id=callback_data.report_id if one else None,
        )
    ).nudged
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
    query: CallbackQuery, callback_data: ReminderSnooze, actor: Actor, deps: Deps
) -> None:
    """«Нагадати завтра»: this person's next reminder for the round waits for the next
    working morning (never past the deadline's); stored, so a restart keeps it."""
    until = await reminders.snooze(deps, actor, callback_data.report_id)
    if isinstance(until, SnoozeRefusal):
        template, alert = _SNOOZE_REFUSED[until]
        await query.answer(render(template), show_alert=alert)
        return
    local = until.astimezone(deps.calendar.tz)
    await query.answer(render("reminders/snoozed.txt", until=local), show_alert=False)


def create_coordinator_router() -> Router:
    """/remind: who still owes, and «Нагадати» to them."""
    router = Router(name="reminders.coordinator")
    router.message.register(show_missing, Command("remind"))
    router.callback_query.register(turn_chase_page, Chase.filter(F.action == ChaseAction.PAGE))
    router.callback_query.register(nudge, Chase.filter())
    return router


def create_person_router() -> Router:
    """«Нагадати завтра» under a reminder."""
    router = Router(name="reminders.person")
    router.callback_query.register(snooze, ReminderSnooze.filter())
    return router

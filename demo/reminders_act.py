"""The demo's reminder act: the simulated clock walks a round's ladder to the escalation."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from core.calendar import WorkCalendar
from core.clock import ManualClock
from core.reminders import ReminderPolicy, escalation_at, plan_reminders
from demo.people import wait_for
from emulator.client import BotMessage, SimUser

SHOWN_KINDS = ("before-3", "deadline")


async def walk_the_ladder(
    clock: ManualClock,
    opened_at: datetime,
    deadline: date,
    persons: Mapping[int, SimUser],
    coordinator: SimUser,
    *,
    calendar: WorkCalendar | None = None,
    policy: ReminderPolicy | None = None,
) -> dict[str, list[BotMessage]]:
    """Move `clock` to the round's "before-3" time, its deadline-day time, then the escalation,
    and collect what arrived at each stop.

    Expects: the bot running in this process on `clock` (demo.runtime.RunningBot) with
    `reminder_tick_seconds` set low (e.g. 0.1; the default 30 s would make each stop wait),
    one open round opened at `opened_at` whose deadline is `deadline`, and `persons` bound and
    not yet handed in (each gets a reminder at each stop; other messages are skipped).
    `calendar` and `policy` must be the bot's (defaults match the defaults of the settings).
    Returns the messages by stop ("before-3", "deadline", "escalation"); the emulator's
    transcript shows them in order for the story.
    """
    calendar = calendar or WorkCalendar()
    policy = policy or ReminderPolicy()
    day = deadline
    ladder = {r.kind: r.due_at for r in plan_reminders(opened_at, day, calendar, policy)}
    stops = [(kind, ladder[kind]) for kind in SHOWN_KINDS if kind in ladder]
    stops.append(("escalation", escalation_at(day, calendar, policy)))
    received: dict[str, list[BotMessage]] = {}
    for name, moment in stops:
        clock.set(moment)
        if name == "escalation":
            received[name] = [await wait_for(coordinator, "Строк подання звітів")]
        else:
            # Only persons who have not handed in are reminded; anything else is skipped.
            received[name] = [await wait_for(user, "ще не подано") for user in persons.values()]
    return received

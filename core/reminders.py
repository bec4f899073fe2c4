"""The reminder plan of a report round: what is sent when, when a missed one is too old, and
which of the steps found due at once is sent (the ladder's settlement)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from core.calendar import WorkCalendar, require_aware

OPEN = "open"
DEADLINE = "deadline"
BEFORE_PREFIX = "before-"
OVERDUE_PREFIX = "overdue-"
ESCALATION = "escalation"  # to the coordinators; not a step of the persons' ladder


@dataclass(frozen=True, slots=True)
class ReminderPolicy:
    """When reminders go out; times are local wall-clock times."""

    before_deadline_working_days: tuple[int, ...] = (7, 3, 1)
    before_time: time = time(10, 0)
    deadline_day_time: time = time(9, 0)
    overdue_every_working_days: int = 2
    overdue_max: int = 3
    overdue_time: time = time(10, 0)
    # How late a reminder may still go out when catching up after downtime.
    staleness: timedelta = timedelta(hours=20)
    escalation_time: time = time(9, 30)

    def __post_init__(self) -> None:
        days = self.before_deadline_working_days
        if any(n < 1 for n in days) or len(set(days)) != len(days):
            raise ValueError(f"before_deadline_working_days must be distinct and >= 1: {days}")
        if self.overdue_every_working_days < 1 or self.overdue_max < 0:
            raise ValueError("overdue_every_working_days must be >= 1 and overdue_max >= 0")
        if self.staleness < timedelta(0):
            raise ValueError("staleness must not be negative")


@dataclass(frozen=True, slots=True)
class PlannedReminder:
    """One reminder of a round; `kind` is a stable key the DB deduplicates on."""

    kind: str
    due_at: datetime

    @property
    def is_before_deadline(self) -> bool:
        return self.kind.startswith(BEFORE_PREFIX)


def plan_reminders(
    opened_at: datetime, deadline: date, calendar: WorkCalendar, policy: ReminderPolicy
) -> tuple[PlannedReminder, ...]:
    """The full, deterministic reminder plan of a round opened at `opened_at`, sorted by due time.

    Nothing but "open" is planned at or before the "open" reminder itself: a round opened late
    does not get a burst of already-missed "before" reminders.
    """
    require_aware(opened_at)
    opening = PlannedReminder(OPEN, calendar.next_allowed_moment(opened_at))
    last_day = _last_working_day(deadline, calendar)

    def at(day: date, t: time) -> datetime:
        return calendar.next_allowed_moment(calendar.at_local(day, t))

    later: list[PlannedReminder] = []
    # Counted from the last working day, so a deadline on a day off keeps "before-1" before it.
    for n in sorted(policy.before_deadline_working_days, reverse=True):
        day = calendar.add_working_days(last_day, -n)
        later.append(PlannedReminder(f"{BEFORE_PREFIX}{n}", at(day, policy.before_time)))
    later.append(PlannedReminder(DEADLINE, at(last_day, policy.deadline_day_time)))
    for k in range(1, policy.overdue_max + 1):
        day = calendar.add_working_days(deadline, k * policy.overdue_every_working_days)
        later.append(PlannedReminder(f"{OVERDUE_PREFIX}{k}", at(day, policy.overdue_time)))

    kept = [r for r in later if r.due_at > opening.due_at]
    # Stable sort: equal due times keep the plan's order, so the result is deterministic.
    return (opening, *sorted(kept, key=lambda r: r.due_at))


def ladder(
    opened_at: datetime, deadline: date, calendar: WorkCalendar, policy: ReminderPolicy
) -> tuple[PlannedReminder, ...]:
    """A round's full plan: the persons' ladder, then the coordinators' escalation."""
    steps = plan_reminders(opened_at, deadline, calendar, policy)
    return (*steps, PlannedReminder(ESCALATION, escalation_at(deadline, calendar, policy)))


@dataclass(frozen=True, slots=True)
class Settlement:
    """What becomes of a round's reminders found due at one tick.

    `dropped` holds (kind, reason) in the order decided; `send` is the one ladder step to send,
    if any; `escalate` says the escalation is due (it always goes out).
    """

    send: PlannedReminder | None = None
    dropped: tuple[tuple[str, str], ...] = ()
    escalate: bool = False


def settle(
    due: Sequence[PlannedReminder],
    planned: Sequence[PlannedReminder],
    now: datetime,
    deadline: date,
    calendar: WorkCalendar,
    policy: ReminderPolicy,
) -> Settlement:
    """Catch-up after downtime: of the ladder's steps due at once only the latest goes out, and
    only if not stale (then it is dropped too); the earlier ones are dropped as superseded. One
    up-to-date reminder beats a burst of outdated ones. `planned` (the round's plan, in order)
    breaks ties between steps due at the same moment."""
    order = {r.kind: index for index, r in enumerate(planned)}
    steps = sorted(
        (r for r in due if r.kind != ESCALATION),
        key=lambda r: (r.due_at, order.get(r.kind, -1)),
    )
    escalate = any(r.kind == ESCALATION for r in due)
    if not steps:
        return Settlement(escalate=escalate)
    *missed, latest = steps
    dropped = [(r.kind, f"superseded by {latest.kind}") for r in missed]
    if is_stale(latest, now, deadline, calendar, policy):
        return Settlement(None, (*dropped, (latest.kind, "stale")), escalate)
    return Settlement(latest, tuple(dropped), escalate)


def snooze_skips(until: datetime, reminder: PlannedReminder) -> bool:
    """A snooze that outlasts a step skips it for that person (it is never sent later); one
    that ends before the step is used up by it, so the person does not get both."""
    return until > reminder.due_at


def snooze_is_stale(
    until: datetime, now: datetime, deadline: date, calendar: WorkCalendar, policy: ReminderPolicy
) -> bool:
    """A snoozed reminder found too late after downtime, or after the deadline day, is dropped."""
    return now > until + policy.staleness or now >= calendar.end_of_day_utc(deadline)


def is_stale(
    reminder: PlannedReminder,
    now: datetime,
    deadline: date,
    calendar: WorkCalendar,
    policy: ReminderPolicy,
) -> bool:
    """True when the reminder must be dropped instead of sent late.

    A reminder is stale once `policy.staleness` has passed since it was due; "open" and
    "before-N" are also stale once the deadline day is over, since their text would be wrong.
    """
    require_aware(now)
    if now > reminder.due_at + policy.staleness:
        return True
    if reminder.kind == OPEN or reminder.is_before_deadline:
        return now >= calendar.end_of_day_utc(deadline)
    return False


def snooze_until(
    now: datetime, deadline: date, calendar: WorkCalendar, morning: time = time(9, 0)
) -> datetime | None:
    """When a "remind me tomorrow" reminder comes back: the next working day's morning.

    It never goes past the deadline day's morning; None when no such moment is still ahead
    (the deadline has passed, or it is the deadline day already past its morning).
    """
    require_aware(now)
    if now >= calendar.end_of_day_utc(deadline):
        return None
    tomorrow = calendar.next_working_day(calendar.local_date(now))
    wanted = calendar.next_allowed_moment(calendar.at_local(tomorrow, morning))
    latest = calendar.next_allowed_moment(
        calendar.at_local(_last_working_day(deadline, calendar), morning)
    )
    until = min(wanted, latest)
    return until if until > now else None


def escalation_at(deadline: date, calendar: WorkCalendar, policy: ReminderPolicy) -> datetime:
    """When the coordinator hears about reports still missing: the first working day after."""
    day = calendar.next_working_day(deadline)
    return calendar.next_allowed_moment(calendar.at_local(day, policy.escalation_time))


def _last_working_day(deadline: date, calendar: WorkCalendar) -> date:
    """The deadline itself, or the working day before it when it falls on a day off."""
    if calendar.is_working_day(deadline):
        return deadline
    return calendar.previous_working_day(deadline)

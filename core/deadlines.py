"""Report deadlines: the rule that fixes a period's deadline, lateness, and time left."""

from __future__ import annotations

import calendar as _gregorian
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from core.calendar import WorkCalendar, require_aware
from core.models import PeriodKind
from core.periods import Period


@dataclass(frozen=True, slots=True)
class DeadlineRule:
    """The deadline is `day_of_month` of the period's last month plus `month_offset` months.

    The default is the plan's "every quarter by the 25th"; a day past the month's end is clamped
    (31 in April is the 30th), and a day off moves to the previous working day if shifting is on.
    """

    day_of_month: int = 25
    month_offset: int = 0
    shift_to_previous_working_day: bool = True

    def __post_init__(self) -> None:
        if not 1 <= self.day_of_month <= 31:
            raise ValueError(f"day_of_month out of range: {self.day_of_month}")


def deadline_for(period: Period, rule: DeadlineRule, calendar: WorkCalendar) -> date:
    months = period.year * 12 + (period.last_month - 1) + rule.month_offset
    year, month = divmod(months, 12)
    month += 1
    day = min(rule.day_of_month, _gregorian.monthrange(year, month)[1])
    deadline = date(year, month, day)
    if rule.shift_to_previous_working_day and not calendar.is_working_day(deadline):
        return calendar.previous_working_day(deadline)
    return deadline


def extended_deadline(
    current: date, days: int, rule: DeadlineRule, calendar: WorkCalendar
) -> date:
    """The deadline moved by ``days``, on a working day by the same rule as the deadline itself.

    A day off moves to the previous working day when the rule shifts deadlines, as long as that
    still extends (or, for a negative ``days``, still shortens) the deadline; otherwise to the
    next (previous) working day in the direction of the move.
    """
    target = current + timedelta(days=days)
    if calendar.is_working_day(target):
        return target
    earlier, later = calendar.previous_working_day(target), calendar.next_working_day(target)
    if days >= 0:
        return earlier if rule.shift_to_previous_working_day and earlier > current else later
    return earlier


def is_late(submitted_at: datetime, deadline: date, calendar: WorkCalendar) -> bool:
    """Late when submitted after the deadline day has ended in the calendar's zone."""
    require_aware(submitted_at)
    return submitted_at >= calendar.end_of_day_utc(deadline)


def days_left(now: datetime, deadline: date, calendar: WorkCalendar) -> int:
    """Calendar days from today (local) to the deadline: 0 on the day, negative once past."""
    return (deadline - calendar.local_date(now)).days


def working_days_left(now: datetime, deadline: date, calendar: WorkCalendar) -> int:
    """Working days after today (local) up to and including the deadline; negative once past."""
    return calendar.working_days_between(calendar.local_date(now), deadline)


def auto_open_date(deadline: date, days_before: int) -> date:
    """The day a round opens by itself: `days_before` calendar days before its deadline."""
    if days_before < 0:
        raise ValueError(f"days_before must not be negative: {days_before}")
    return deadline - timedelta(days=days_before)


def auto_open_due(
    today: date, rule: DeadlineRule, calendar: WorkCalendar, days_before: int
) -> list[tuple[Period, date]]:
    """The quarters whose round opens by itself today, each with its default deadline.

    A quarter's round opens `days_before` days before its deadline, up to the deadline day;
    the previous quarter is looked at too, for deadlines that fall in the next quarter.
    """
    if days_before <= 0:
        return []
    current = Period.containing(today, PeriodKind.QUARTER)
    previous = Period.containing(current.start - timedelta(days=1), PeriodKind.QUARTER)
    due = []
    for period in (previous, current):
        deadline = deadline_for(period, rule, calendar)
        if auto_open_date(deadline, days_before) <= today <= deadline:
            due.append((period, deadline))
    return due

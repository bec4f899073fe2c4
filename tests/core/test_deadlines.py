"""Deadlines: the 25th rule, shifts off days off, lateness at local midnight, and days left."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from core.calendar import WorkCalendar
from core.deadlines import (
    DeadlineRule,
    auto_open_date,
    auto_open_due,
    days_left,
    deadline_for,
    extended_deadline,
    is_late,
    working_days_left,
)
from core.periods import Period

MARTIAL = WorkCalendar()
PEACETIME = WorkCalendar(holidays_are_days_off=True)
BY_25TH = DeadlineRule()


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def test_quarter_deadline_is_the_25th_of_its_last_month() -> None:
    assert deadline_for(Period.parse("2026Q1"), BY_25TH, MARTIAL) == date(2026, 3, 25)
    assert deadline_for(Period.parse("2026Q4"), BY_25TH, MARTIAL) == date(2026, 12, 25)


def test_saturday_deadline_moves_to_friday() -> None:
    # 25.09.2027 is a Saturday.
    assert deadline_for(Period.parse("2027Q3"), BY_25TH, MARTIAL) == date(2027, 9, 24)
    # With a one-month offset the 2026 Q1 and Q2 deadlines fall on Saturdays 25.04 and 25.07.
    next_month = DeadlineRule(month_offset=1)
    assert deadline_for(Period.parse("2026Q1"), next_month, MARTIAL) == date(2026, 4, 24)
    assert deadline_for(Period.parse("2026Q2"), next_month, MARTIAL) == date(2026, 7, 24)


def test_sunday_deadline_moves_to_friday() -> None:
    # 25.10.2026 is a Sunday.
    rule = DeadlineRule(month_offset=1)
    assert deadline_for(Period.parse("2026Q3"), rule, MARTIAL) == date(2026, 10, 23)


def test_deadline_on_a_day_off_stays_when_shifting_is_off() -> None:
    rule = DeadlineRule(month_offset=1, shift_to_previous_working_day=False)
    assert deadline_for(Period.parse("2026Q1"), rule, MARTIAL) == date(2026, 4, 25)


def test_christmas_deadline_moves_only_when_holidays_are_days_off() -> None:
    q4 = Period.parse("2026Q4")
    assert deadline_for(q4, BY_25TH, MARTIAL) == date(2026, 12, 25)
    assert deadline_for(q4, BY_25TH, PEACETIME) == date(2026, 12, 24)


def test_extra_day_off_moves_the_deadline() -> None:
    calendar = WorkCalendar(extra_days_off=frozenset({date(2026, 3, 25)}))
    assert deadline_for(Period.parse("2026Q1"), BY_25TH, calendar) == date(2026, 3, 24)


def test_day_past_the_month_end_is_clamped() -> None:
    last_day = DeadlineRule(day_of_month=31)
    assert deadline_for(Period.parse("2026Q2"), last_day, MARTIAL) == date(2026, 6, 30)
    april = DeadlineRule(day_of_month=31, month_offset=-2)
    assert deadline_for(Period.parse("2026Q2"), april, MARTIAL) == date(2026, 4, 30)
    # 28.02.2026 is a Saturday, so the clamped day also shifts.
    february = DeadlineRule(day_of_month=31, month_offset=-1)
    assert deadline_for(Period.parse("2026Q1"), february, MARTIAL) == date(2026, 2, 27)


def test_offset_rolls_over_into_the_next_year() -> None:
    rule = DeadlineRule(month_offset=1)
    assert deadline_for(Period.parse("2026Q4"), rule, MARTIAL) == date(2027, 1, 25)
    assert deadline_for(Period.parse("2026"), rule, MARTIAL) == date(2027, 1, 25)


@pytest.mark.parametrize("day", [0, 32, -1])
def test_impossible_day_of_month_is_refused(day: int) -> None:
    with pytest.raises(ValueError):
        DeadlineRule(day_of_month=day)


def test_submission_at_2359_local_on_the_deadline_day_is_on_time() -> None:
    deadline = date(2026, 3, 25)
    assert not is_late(utc(2026, 3, 25, 21, 59), deadline, MARTIAL)  # 23:59 Kyiv (UTC+2)


def test_submission_at_0001_local_after_the_deadline_day_is_late() -> None:
    deadline = date(2026, 3, 25)
    assert is_late(utc(2026, 3, 25, 22, 1), deadline, MARTIAL)  # 00:01 Kyiv on 26.03


def test_lateness_follows_summer_time() -> None:
    deadline = date(2026, 6, 25)
    assert not is_late(utc(2026, 6, 25, 20, 59), deadline, MARTIAL)  # 23:59 Kyiv (UTC+3)
    assert is_late(utc(2026, 6, 25, 21, 1), deadline, MARTIAL)


def test_lateness_refuses_a_naive_time() -> None:
    with pytest.raises(ValueError):
        is_late(datetime(2026, 3, 25, 12), date(2026, 3, 25), MARTIAL)


def test_days_left_counts_calendar_days_in_kyiv() -> None:
    deadline = date(2026, 3, 25)
    assert days_left(utc(2026, 3, 20, 8), deadline, MARTIAL) == 5
    assert days_left(utc(2026, 3, 24, 22, 30), deadline, MARTIAL) == 0  # 00:30 on 25.03 Kyiv
    assert days_left(utc(2026, 3, 27, 8), deadline, MARTIAL) == -2


def test_working_days_left_skips_the_weekend() -> None:
    deadline = date(2026, 3, 25)
    assert working_days_left(utc(2026, 3, 20, 8), deadline, MARTIAL) == 3
    assert working_days_left(utc(2026, 3, 25, 8), deadline, MARTIAL) == 0
    assert working_days_left(utc(2026, 3, 27, 8), deadline, MARTIAL) == -2


def test_round_opens_the_given_number_of_days_before_the_deadline() -> None:
    assert auto_open_date(date(2026, 3, 25), 14) == date(2026, 3, 11)
    assert auto_open_date(date(2026, 3, 25), 0) == date(2026, 3, 25)
    with pytest.raises(ValueError):
        auto_open_date(date(2026, 3, 25), -1)


def test_the_quarter_opens_by_itself_from_its_day_up_to_its_deadline() -> None:
    q1, q4 = Period.quarter(2026, 1), Period.quarter(2025, 4)
    assert auto_open_due(date(2026, 3, 10), BY_25TH, MARTIAL, 14) == []
    assert auto_open_due(date(2026, 3, 11), BY_25TH, MARTIAL, 14) == [(q1, date(2026, 3, 25))]
    assert auto_open_due(date(2026, 3, 25), BY_25TH, MARTIAL, 14) == [(q1, date(2026, 3, 25))]
    assert auto_open_due(date(2026, 3, 26), BY_25TH, MARTIAL, 14) == []
    assert auto_open_due(date(2026, 3, 11), BY_25TH, MARTIAL, 0) == []
    # A deadline in the next quarter: the previous quarter's round still opens in it.
    next_month = DeadlineRule(day_of_month=10, month_offset=1)
    assert auto_open_due(date(2026, 1, 5), next_month, MARTIAL, 14) == [(q4, date(2026, 1, 9))]


def test_an_extension_onto_a_sunday_moves_to_a_working_day_by_the_deadline_rule() -> None:
    """Quarter's edges, case 4: «+3 дн.» from Thursday 25.06.2026 gave Sunday 28.06.2026."""
    shifting, keeping = DeadlineRule(), DeadlineRule(shift_to_previous_working_day=False)
    thursday = date(2026, 6, 25)

    assert extended_deadline(thursday, 3, shifting, MARTIAL) == date(2026, 6, 26)  # Friday
    assert extended_deadline(thursday, 3, keeping, MARTIAL) == date(2026, 6, 29)  # Monday
    # Back to Friday would not extend a Friday deadline: the next working day instead.
    assert extended_deadline(date(2026, 6, 26), 1, shifting, MARTIAL) == date(2026, 6, 29)
    assert extended_deadline(thursday, 7, shifting, MARTIAL) == date(2026, 7, 2)
    assert extended_deadline(date(2026, 6, 29), -1, shifting, MARTIAL) == date(2026, 6, 26)

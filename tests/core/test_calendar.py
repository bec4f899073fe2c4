"""The working-day calendar: days off, Kyiv time across DST, and the messaging window."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from holidays import country_holidays
from holidays.constants import PUBLIC, WORKDAY
from hypothesis import given
from hypothesis import strategies as st

from core.calendar import KYIV, WorkCalendar, ukrainian_holidays

MARTIAL = WorkCalendar()
PEACETIME = WorkCalendar(holidays_are_days_off=True)
# A real holiday the library knows: Christmas 2026 falls on a Friday.
CHRISTMAS_2026 = date(2026, 12, 25)


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


# --- What the holidays library says, which the design relies on ----------------------------


def test_library_lists_no_days_off_under_martial_law_but_keeps_the_holidays_as_workdays() -> None:
    for year in (2025, 2026, 2027):
        assert not country_holidays("UA", years=year, categories=(PUBLIC,))
        workday = country_holidays("UA", years=year, categories=(WORKDAY,))
        assert date(year, 12, 25) in workday
        assert date(year, 8, 24) in workday
    assert CHRISTMAS_2026 in ukrainian_holidays(2026)


def test_holiday_set_is_cached_per_year() -> None:
    assert ukrainian_holidays(2026) is ukrainian_holidays(2026)


# --- Working days ---------------------------------------------------------------------------


def test_public_holiday_is_a_working_day_under_martial_law() -> None:
    assert MARTIAL.is_working_day(CHRISTMAS_2026)
    assert MARTIAL.is_working_day(date(2026, 8, 24))  # Independence Day, a Monday


def test_public_holiday_is_a_day_off_when_holidays_count() -> None:
    assert not PEACETIME.is_working_day(CHRISTMAS_2026)
    assert not PEACETIME.is_working_day(date(2026, 8, 24))
    assert PEACETIME.next_working_day(date(2026, 12, 24)) == date(2026, 12, 28)


def test_weekends_are_days_off_and_weekdays_are_working_days() -> None:
    assert MARTIAL.is_working_day(date(2026, 3, 6))  # Friday
    assert not MARTIAL.is_working_day(date(2026, 3, 7))  # Saturday
    assert not MARTIAL.is_working_day(date(2026, 3, 8))  # Sunday


def test_extra_days_off_and_extra_working_days_override_the_week() -> None:
    calendar = WorkCalendar(
        extra_days_off=frozenset({date(2026, 3, 9)}),  # a Monday
        extra_working_days=frozenset({date(2026, 3, 14)}),  # a Saturday
    )
    assert not calendar.is_working_day(date(2026, 3, 9))
    assert calendar.is_working_day(date(2026, 3, 14))
    assert calendar.next_working_day(date(2026, 3, 6)) == date(2026, 3, 10)
    assert calendar.next_working_day(date(2026, 3, 13)) == date(2026, 3, 14)


def test_extra_working_day_wins_over_a_holiday_and_an_extra_day_off() -> None:
    calendar = WorkCalendar(
        holidays_are_days_off=True,
        extra_days_off=frozenset({CHRISTMAS_2026}),
        extra_working_days=frozenset({CHRISTMAS_2026}),
    )
    assert calendar.is_working_day(CHRISTMAS_2026)


def test_next_and_previous_working_day_are_strict() -> None:
    friday, monday = date(2026, 3, 6), date(2026, 3, 9)
    assert MARTIAL.next_working_day(friday) == monday
    assert MARTIAL.previous_working_day(monday) == friday
    assert MARTIAL.next_working_day(date(2026, 3, 7)) == monday
    assert MARTIAL.previous_working_day(date(2026, 3, 8)) == friday


def test_add_working_days_skips_weekends_both_ways() -> None:
    wednesday = date(2026, 3, 25)
    assert MARTIAL.add_working_days(wednesday, 3) == date(2026, 3, 30)
    assert MARTIAL.add_working_days(wednesday, -7) == date(2026, 3, 16)
    assert MARTIAL.add_working_days(wednesday, 0) == wednesday
    assert MARTIAL.add_working_days(date(2026, 3, 7), 0) == date(2026, 3, 9)
    assert MARTIAL.add_working_days(date(2026, 3, 7), 1) == date(2026, 3, 9)
    assert MARTIAL.add_working_days(date(2026, 3, 7), -1) == date(2026, 3, 6)


def test_working_days_between_counts_steps_and_is_signed() -> None:
    assert MARTIAL.working_days_between(date(2026, 3, 16), date(2026, 3, 25)) == 7
    assert MARTIAL.working_days_between(date(2026, 3, 25), date(2026, 3, 16)) == -7
    assert MARTIAL.working_days_between(date(2026, 3, 6), date(2026, 3, 9)) == 1
    assert MARTIAL.working_days_between(date(2026, 3, 7), date(2026, 3, 8)) == 0
    assert MARTIAL.working_days_between(date(2026, 3, 9), date(2026, 3, 9)) == 0
    assert PEACETIME.working_days_between(date(2026, 12, 24), date(2026, 12, 28)) == 1


# --- Local time across DST ------------------------------------------------------------------


def test_local_ten_oclock_is_seven_utc_in_summer_and_eight_in_winter() -> None:
    # Kyiv switches on the last Sundays of March (29.03.2026) and October (25.10.2026).
    assert MARTIAL.at_local(date(2026, 3, 27), time(10)) == utc(2026, 3, 27, 8)
    assert MARTIAL.at_local(date(2026, 3, 30), time(10)) == utc(2026, 3, 30, 7)
    assert MARTIAL.at_local(date(2026, 10, 23), time(10)) == utc(2026, 10, 23, 7)
    assert MARTIAL.at_local(date(2026, 10, 26), time(10)) == utc(2026, 10, 26, 8)


def test_skipped_spring_hour_is_read_an_hour_later_on_the_wall_clock() -> None:
    moment = MARTIAL.at_local(date(2026, 3, 29), time(3, 30))
    assert moment == utc(2026, 3, 29, 1, 30)
    assert moment.astimezone(KYIV).time() == time(4, 30)


def test_repeated_autumn_hour_means_its_first_occurrence() -> None:
    moment = MARTIAL.at_local(date(2026, 10, 25), time(3, 30))
    assert moment == utc(2026, 10, 25, 0, 30)
    assert moment.tzinfo is UTC


def test_end_of_day_is_local_midnight_in_utc() -> None:
    assert MARTIAL.end_of_day_utc(date(2026, 3, 25)) == utc(2026, 3, 25, 22)
    assert MARTIAL.end_of_day_utc(date(2026, 6, 25)) == utc(2026, 6, 25, 21)
    # The night of the spring switch: the day ends on summer time.
    assert MARTIAL.end_of_day_utc(date(2026, 3, 28)) == utc(2026, 3, 28, 22)
    assert MARTIAL.end_of_day_utc(date(2026, 3, 29)) == utc(2026, 3, 29, 21)


def test_local_date_follows_kyiv_not_utc() -> None:
    assert MARTIAL.local_date(utc(2026, 3, 25, 22, 30)) == date(2026, 3, 26)
    assert MARTIAL.local_date(utc(2026, 3, 25, 21, 59)) == date(2026, 3, 25)


def test_naive_datetimes_are_refused() -> None:
    naive = datetime(2026, 3, 25, 10)
    with pytest.raises(ValueError):
        MARTIAL.local_date(naive)
    with pytest.raises(ValueError):
        MARTIAL.is_allowed_moment(naive)
    with pytest.raises(ValueError):
        MARTIAL.next_allowed_moment(naive)


def test_quiet_window_must_not_be_empty() -> None:
    with pytest.raises(ValueError):
        WorkCalendar(quiet_start=time(18), quiet_end=time(9))


# --- The messaging window -------------------------------------------------------------------


def test_friday_evening_message_waits_until_monday_morning() -> None:
    friday_20_local = utc(2026, 3, 6, 18)
    assert not MARTIAL.is_allowed_moment(friday_20_local)
    assert MARTIAL.next_allowed_moment(friday_20_local) == utc(2026, 3, 9, 7)


def test_early_morning_message_waits_until_nine() -> None:
    assert MARTIAL.next_allowed_moment(utc(2026, 3, 10, 6, 59)) == utc(2026, 3, 10, 7)


def test_window_includes_nine_and_excludes_eighteen() -> None:
    assert MARTIAL.is_allowed_moment(utc(2026, 3, 10, 7))
    assert MARTIAL.is_allowed_moment(utc(2026, 3, 10, 15, 59))
    assert not MARTIAL.is_allowed_moment(utc(2026, 3, 10, 16))
    assert MARTIAL.next_allowed_moment(utc(2026, 3, 10, 16)) == utc(2026, 3, 11, 7)


def test_allowed_moment_is_returned_unchanged() -> None:
    moment = utc(2026, 3, 10, 12, 34, 56)
    assert MARTIAL.next_allowed_moment(moment) == moment


def test_weekend_wait_across_the_spring_switch_lands_on_summer_time() -> None:
    friday_19_local = utc(2026, 3, 27, 17)
    assert MARTIAL.next_allowed_moment(friday_19_local) == utc(2026, 3, 30, 6)


def test_weekend_wait_across_the_autumn_switch_lands_on_winter_time() -> None:
    friday_20_local = utc(2026, 10, 23, 17)
    assert MARTIAL.next_allowed_moment(friday_20_local) == utc(2026, 10, 26, 7)


def test_no_message_on_a_holiday_when_holidays_count() -> None:
    christmas_noon = utc(2026, 12, 25, 10)
    assert MARTIAL.is_allowed_moment(christmas_noon)
    assert not PEACETIME.is_allowed_moment(christmas_noon)
    assert PEACETIME.next_allowed_moment(christmas_noon) == utc(2026, 12, 28, 7)


# --- Properties -----------------------------------------------------------------------------

moments = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(UTC)
)
days = st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31))
calendars = st.sampled_from([MARTIAL, PEACETIME])


@given(moment=moments, calendar=calendars)
def test_next_allowed_moment_is_allowed_and_not_earlier(
    moment: datetime, calendar: WorkCalendar
) -> None:
    allowed = calendar.next_allowed_moment(moment)
    assert allowed >= moment
    assert calendar.is_allowed_moment(allowed)
    assert allowed - moment < timedelta(days=6)


@given(day=days, n=st.integers(min_value=-30, max_value=30), calendar=calendars)
def test_add_working_days_lands_on_a_working_day_and_counts_back(
    day: date, n: int, calendar: WorkCalendar
) -> None:
    landed = calendar.add_working_days(day, n)
    assert calendar.is_working_day(landed)
    if calendar.is_working_day(day):
        assert calendar.working_days_between(day, landed) == n

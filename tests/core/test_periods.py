"""Period codes and boundaries, as rounds and the summary use them."""

from __future__ import annotations

from datetime import date

import pytest

from core.models import PeriodKind
from core.periods import Period


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("2026Q1", Period.quarter(2026, 1)),
        ("2026q4", Period.quarter(2026, 4)),
        (" 2026 Q2 ", Period.quarter(2026, 2)),
        ("2026H2", Period.half(2026, 2)),
        ("2026", Period.whole_year(2026)),
    ],
)
def test_period_codes_parse_case_and_space_insensitively(code: str, expected: Period) -> None:
    assert Period.parse(code) == expected


@pytest.mark.parametrize(
    "code", ["", "2026Q5", "2026Q0", "2026H3", "26Q1", "2026Q", "Q1 2026", "2026Y1", "2026-Q1"]
)
def test_invalid_period_code_raises_value_error(code: str) -> None:
    with pytest.raises(ValueError):
        Period.parse(code)


def test_out_of_range_period_number_raises_value_error() -> None:
    with pytest.raises(ValueError):
        Period.quarter(2026, 5)
    with pytest.raises(ValueError):
        Period.whole_year(2026).__class__(2026, PeriodKind.YEAR, 2)


@pytest.mark.parametrize(
    "period", [Period.quarter(2026, 3), Period.half(2026, 1), Period(2026, PeriodKind.YEAR, 1)]
)
def test_period_code_round_trips(period: Period) -> None:
    assert Period.parse(period.code) == period


def test_codes_read_as_users_write_them() -> None:
    assert Period.quarter(2026, 1).code == "2026Q1"
    assert Period.half(2026, 2).code == "2026H2"
    assert Period.whole_year(2026).code == "2026"


@pytest.mark.parametrize(
    ("day", "kind", "code"),
    [
        (date(2026, 1, 1), PeriodKind.QUARTER, "2026Q1"),
        (date(2026, 3, 31), PeriodKind.QUARTER, "2026Q1"),
        (date(2026, 4, 1), PeriodKind.QUARTER, "2026Q2"),
        (date(2026, 12, 31), PeriodKind.QUARTER, "2026Q4"),
        (date(2026, 6, 30), PeriodKind.HALF, "2026H1"),
        (date(2026, 7, 1), PeriodKind.HALF, "2026H2"),
        (date(2026, 8, 15), PeriodKind.YEAR, "2026"),
    ],
)
def test_period_containing_a_day(day: date, kind: PeriodKind, code: str) -> None:
    assert Period.containing(day, kind).code == code


def test_quarter_containing_is_the_default() -> None:
    assert Period.containing(date(2026, 5, 10)) == Period.quarter(2026, 2)


@pytest.mark.parametrize(
    ("code", "start", "end"),
    [
        ("2026Q1", date(2026, 1, 1), date(2026, 3, 31)),
        ("2026Q2", date(2026, 4, 1), date(2026, 6, 30)),
        ("2026Q3", date(2026, 7, 1), date(2026, 9, 30)),
        ("2026Q4", date(2026, 10, 1), date(2026, 12, 31)),
        ("2026H2", date(2026, 7, 1), date(2026, 12, 31)),
        ("2028", date(2028, 1, 1), date(2028, 12, 31)),
    ],
)
def test_period_starts_and_ends_on_the_calendar_boundaries(
    code: str, start: date, end: date
) -> None:
    period = Period.parse(code)
    assert (period.start, period.end) == (start, end)


def test_quarters_inside_longer_periods() -> None:
    assert [q.code for q in Period.parse("2026").quarters()] == [
        "2026Q1",
        "2026Q2",
        "2026Q3",
        "2026Q4",
    ]
    assert [q.code for q in Period.parse("2026H2").quarters()] == ["2026Q3", "2026Q4"]
    assert Period.parse("2026Q2").quarters() == (Period.quarter(2026, 2),)


def test_a_year_contains_its_quarters_but_not_the_next_years() -> None:
    year = Period.whole_year(2026)
    assert year.contains(Period.quarter(2026, 4))
    assert year.contains(Period.half(2026, 1))
    assert not year.contains(Period.quarter(2027, 1))
    assert not Period.quarter(2026, 1).contains(year)

"""Reporting periods: quarters, half-years and years, and their codes like 2026Q1."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


class PeriodKind(StrEnum):
    QUARTER = "Q"
    HALF = "H"
    YEAR = "Y"


_CODE = re.compile(r"^\s*(\d{4})\s*(?:([QqHh])\s*([1-4]))?\s*$")
_MONTHS = {PeriodKind.QUARTER: 3, PeriodKind.HALF: 6, PeriodKind.YEAR: 12}
_COUNT = {PeriodKind.QUARTER: 4, PeriodKind.HALF: 2, PeriodKind.YEAR: 1}


@dataclass(frozen=True, slots=True, order=True)
class Period:
    year: int
    kind: PeriodKind
    number: int

    def __post_init__(self) -> None:
        if not 1 <= self.number <= _COUNT[self.kind]:
            raise ValueError(f"{self.kind} number out of range: {self.number}")

    @classmethod
    def quarter(cls, year: int, number: int) -> Period:
        return cls(year, PeriodKind.QUARTER, number)

    @classmethod
    def half(cls, year: int, number: int) -> Period:
        return cls(year, PeriodKind.HALF, number)

    @classmethod
    def whole_year(cls, year: int) -> Period:
        return cls(year, PeriodKind.YEAR, 1)

    @classmethod
    def parse(cls, code: str) -> Period:
        """Parse "2026", "2026Q1" or "2026H2" (case-insensitive); raise ValueError otherwise."""
        match = _CODE.match(code)
        if not match:
            raise ValueError(f"not a period code: {code!r}")
        year = int(match.group(1))
        if match.group(2) is None:
            return cls.whole_year(year)
        kind = PeriodKind(match.group(2).upper())
        return cls(year, kind, int(match.group(3)))

    @classmethod
    def containing(cls, day: date, kind: PeriodKind = PeriodKind.QUARTER) -> Period:
        """The period of the given kind that contains the day."""
        return cls(day.year, kind, (day.month - 1) // _MONTHS[kind] + 1)

    @property
    def code(self) -> str:
        if self.kind is PeriodKind.YEAR:
            return str(self.year)
        return f"{self.year}{self.kind.value}{self.number}"

    @property
    def first_month(self) -> int:
        return (self.number - 1) * _MONTHS[self.kind] + 1

    @property
    def last_month(self) -> int:
        return self.number * _MONTHS[self.kind]

    @property
    def start(self) -> date:
        return date(self.year, self.first_month, 1)

    @property
    def end(self) -> date:
        """The last day of the period: the report's "as of" date."""
        if self.last_month == 12:
            return date(self.year, 12, 31)
        return date(self.year, self.last_month + 1, 1) - timedelta(days=1)

    def contains(self, other: Period) -> bool:
        return self.start <= other.start and other.end <= self.end

    def quarters(self) -> tuple[Period, ...]:
        """The quarters inside this period, in order."""
        first = (self.first_month - 1) // 3 + 1
        last = self.last_month // 3
        return tuple(Period.quarter(self.year, n) for n in range(first, last + 1))

"""Plan rules: which years a plan covers, and how its measures are paged for reading."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from core.models import Measure

T = TypeVar("T")

_YEAR_RANGE = re.compile(r"(20\d{2})\s*(?:[-–—]|до|по)\s*(20\d{2})")
_YEAR = re.compile(r"\b(20\d{2})\b")
_ORDER = re.compile(r"№\s*([\w/-]+)\s+від\s+(\d{1,2})\.(\d{1,2})\.(\d{4})")


def plan_years(title: str, default_year: int) -> tuple[int, int]:
    """Years named in a title such as "на 2026–2027 роки"; the default year otherwise."""
    match = _YEAR_RANGE.search(title)
    if match:
        first, last = sorted((int(match.group(1)), int(match.group(2))))
        return first, last
    years = [int(y) for y in _YEAR.findall(title)]
    if years:
        return min(years), max(years)
    return default_year, default_year


def parse_order(text: str) -> tuple[str, date] | None:
    """An approving order written as "№ 98 від 12.08.2026"; None when it is not one."""
    match = _ORDER.search(text)
    if not match:
        return None
    try:
        when = date(int(match.group(4)), int(match.group(3)), int(match.group(2)))
    except ValueError:
        return None
    return match.group(1), when


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading of the plan's table: a section, or a subsection of a three-level plan."""

    number: str
    title: str


def headed_groups(
    items: Iterable[T], measure_of: Callable[[T], Measure]
) -> list[tuple[Heading, list[T]]]:
    """Items under the plan's headings in plan order: each section, then each subsection in it.

    A section whose measures all sit in subsections still heads them, with no items of its own.
    """
    groups: dict[Heading, list[T]] = {}
    for item in items:
        measure = measure_of(item)
        section = Heading(measure.section_number, measure.section_title)
        groups.setdefault(section, [])
        if measure.subsection_number:
            heading = Heading(measure.subsection_number, measure.subsection_title)
            groups.setdefault(heading, []).append(item)
        else:
            groups[section].append(item)
    return list(groups.items())


def section_pages(measures: list[Measure]) -> list[list[Measure]]:
    """Measures grouped by section, in plan order: one page of /plan per section."""
    pages: list[list[Measure]] = []
    for measure in measures:
        if pages and pages[-1][0].section_number == measure.section_number:
            pages[-1].append(measure)
        else:
            pages.append([measure])
    return pages

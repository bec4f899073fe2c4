"""The indicators asked in every report: from an editable CSV/XLSX sheet, or the default list."""

from __future__ import annotations

import re
from functools import cache

from core.models import IndicatorDef
from reports.tabular import DocumentError, DocumentProblem, Row, read_table
from templates import TEMPLATES_DIR, render

DEFAULT_SHEET = TEMPLATES_DIR / "indicators.csv"
# DocumentProblem has no reason for "a table with bad rows"; the detail names each bad row.
INVALID_SHEET = DocumentProblem.INVALID_ROWS
_CODE = re.compile(r"[a-z0-9_]+")
_MAX_LISTED_PROBLEMS = 5
_HEADER_WORDS = {
    "code": ("code", "код"),
    "label": ("label", "назва", "найменування", "показник"),
    "unit": ("unit", "одиниц", "од."),
}


def read_indicators(filename: str, data: bytes) -> tuple[IndicatorDef, ...]:
    """Indicators from a sheet of code | label | unit (a header row naming them is optional)."""
    return parse_indicators(read_table(filename, data))


def looks_like_indicators(rows: list[Row]) -> bool:
    """A sheet whose first row names a code and a label column."""
    return bool(rows) and _header_columns(rows[0]) is not None


def parse_indicators(rows: list[Row]) -> tuple[IndicatorDef, ...]:
    columns = _header_columns(rows[0])
    first_row = 1 if columns is not None else 0
    code_at, label_at, unit_at = columns or (0, 1, 2)
    indicators: list[IndicatorDef] = []
    problems: list[str] = []
    seen: set[str] = set()
    for number, row in enumerate(rows[first_row:], start=first_row + 1):
        code, label, unit = (_cell(row, at) for at in (code_at, label_at, unit_at))
        if not _CODE.fullmatch(code):
            problems.append(render("plan/indicator_bad_code.txt", row=number, code=code))
        elif code in seen:
            problems.append(render("plan/indicator_duplicate_code.txt", row=number, code=code))
        if not label:
            problems.append(render("plan/indicator_empty_label.txt", row=number))
        seen.add(code)
        indicators.append(IndicatorDef(code, label, unit, position=len(indicators) + 1))
    if problems:
        raise DocumentError(INVALID_SHEET, "\n".join(problems[:_MAX_LISTED_PROBLEMS]))
    if not indicators:
        raise DocumentError(DocumentProblem.EMPTY_TABLE)
    return tuple(indicators)


@cache
def default_indicators() -> tuple[IndicatorDef, ...]:
    """The list shipped with the bot, for councils that have not uploaded their own."""
    return read_indicators(DEFAULT_SHEET.name, DEFAULT_SHEET.read_bytes())


def _header_columns(row: Row) -> tuple[int, int, int] | None:
    found: dict[str, int] = {}
    for index, text in enumerate(row):
        word = text.strip().lower()
        for column, starts in _HEADER_WORDS.items():
            if column not in found and word.startswith(starts):
                found[column] = index
                break
    if "code" not in found or "label" not in found:
        return None
    return found["code"], found["label"], found.get("unit", -1)


def _cell(row: Row, index: int) -> str:
    if 0 <= index < len(row):
        return " ".join(row[index].split())
    return ""

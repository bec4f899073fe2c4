"""Reading the council's approved plan of measures (a DOCX, XLSX or CSV table) into a PlanDraft,
and an organisation's own report in the same table into its rows.

The table is found by `reports.plan_table`, its rows read by `reports.plan_rows`, and numbered
by `reports.plan_numbering`; this module ties them together and finds the plan's title.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from core.models import PlanDraft
from core.numbering import format_number
from reports.plan_numbering import Numbering
from reports.plan_rows import RowKind, RowReader, raw_number
from reports.plan_table import (
    Cell,
    Layout,
    Role,
    SourceTable,
    find_plan_table,
    read_docx,
    row_line,
    tabular_grid,
)
from reports.tabular import (
    DocumentError,
    DocumentProblem,
    check_container,
    check_upload,
    read_csv,
    read_xlsx,
)

_ALLOWED = ("docx", "xlsx", "csv")
_TITLE_PARAGRAPHS = 4


def read_plan(filename: str, data: bytes, *, default_title: str) -> PlanDraft:
    """Read the first plan table of an upload; DocumentError says why a file cannot be used."""
    table = _plan_table(filename, data)
    title = _plan_title(table.before) or default_title
    reader = RowReader(table.layout)
    rows = reader.rows(table.rows)
    return Numbering(table.layout, title, reader.notes).draft(rows)


@dataclass(frozen=True, slots=True)
class ReportRow:
    """One measure's row of an organisation's own report: its number as the document gives it
    ("" if none), the measure's text, and the narrative in the progress column."""

    number: str
    text: str
    progress: str


def read_report_rows(filename: str, data: bytes) -> list[ReportRow]:
    """The measure rows of a report table (the plan's columns plus «Стан виконання» or alike).

    Section rows are left out; a table without a progress column is refused as NO_HEADER.
    """
    table = _plan_table(filename, data)
    if table.layout.get(Role.PROGRESS) is None:
        raise DocumentError(DocumentProblem.NO_HEADER)
    rows = RowReader(table.layout).rows(table.rows)
    return [
        ReportRow(
            number=format_number(number) if (number := raw_number(row)) is not None else "",
            text=row.text,
            progress=row.progress,
        )
        for row in rows
        if row.kind is RowKind.MEASURE
    ]


@dataclass(frozen=True, slots=True)
class _PlanTable:
    layout: Layout
    rows: list[list[Cell]]  # the data rows under the header, continued tables included
    before: list[str]  # the text above the header: paragraphs and title rows


def _plan_table(filename: str, data: bytes) -> _PlanTable:
    ext = check_upload(filename, len(data), _ALLOWED)
    check_container(data, ext)
    if ext == "docx":
        tables = read_docx(data)
        if not tables:
            raise DocumentError(DocumentProblem.NOT_A_TABLE)
    else:
        rows = read_csv(data) if ext == "csv" else read_xlsx(data)
        if not rows:
            raise DocumentError(DocumentProblem.EMPTY_TABLE)
        tables = [SourceTable(tabular_grid(rows), ())]
    found = find_plan_table(tables)
    if found is None:
        raise DocumentError(DocumentProblem.NO_HEADER)
    index, layout, first_data_row = found
    main = tables[index]
    rows_after_header = list(main.rows[first_data_row:])
    width = len(main.rows[0])
    # Word splits long tables at page breaks into several tables of the same shape.
    for later in tables[index + 1 :]:
        if len(later.rows[0]) != width:
            break
        rows_after_header.extend(later.rows)
    before_header = [row_line(row) for row in main.rows[: layout.header_start]]
    return _PlanTable(layout, rows_after_header, [*main.before, *before_header])


# A plan's heading: «ПЛАН заходів…», «ЗАХОДИ щодо…», «Антикорупційна програма…», or the
# heading of a report on the plan, «ЗВІТ про виконання Плану заходів…».
_TITLE_START = re.compile(r"^(?:план|заходи|(?:антикорупційна )?програма|звіт)\b", re.IGNORECASE)
_REPORT_START = re.compile(r"^звіт\b", re.IGNORECASE)
_PLAN_NAMED = re.compile(r"\bплан\w*\s+(?P<rest>заходів.*)$", re.IGNORECASE)
_REPORTED_PERIOD = re.compile(
    r"\s+за\s+(?:[IVXІХ1-4]+\s+(?:квартал|півріччя)|\d{4}\s+р).*$", re.IGNORECASE
)


def _plan_title(lines: Sequence[str]) -> str:
    """The heading above the table (after any «ЗАТВЕРДЖЕНО» block) up to a blank line, as one
    line; for a report's heading, the plan it reports on."""
    for index, line in enumerate(lines):
        if _TITLE_START.match(line):
            parts = []
            for following in lines[index : index + _TITLE_PARAGRAPHS]:
                if not following:
                    break
                parts.append(following)
            title = " ".join(" ".join(parts).split())
            return _reported_plan(title) if _REPORT_START.match(title) else title
    return ""


def _reported_plan(heading: str) -> str:
    """ "ЗВІТ про виконання Плану заходів … на 2026–2027 роки за I квартал 2026 року" →
    "План заходів … на 2026–2027 роки"; a heading naming no plan stays as it is."""
    named = _PLAN_NAMED.search(heading)
    if named is None:
        return heading
    return "План " + _REPORTED_PERIOD.sub("", named["rest"]).strip()

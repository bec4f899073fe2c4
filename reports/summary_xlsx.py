"""The consolidated report as an Excel workbook: status matrix, indicators and raw answers."""

from __future__ import annotations

import io
from copy import copy
from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from core.models import MeasureStatus
from core.summary import Summary
from reports.summary_digest import period_label, status_label, word

KYIV = ZoneInfo("Europe/Kyiv")
MAX_CELL_TEXT = 32_767  # Excel's limit per cell

# Matrix colours (fill) by status; None is "did not report".
_COLOURS: dict[MeasureStatus | None, str] = {
    MeasureStatus.DONE: "C6EFCE",
    MeasureStatus.IN_PROGRESS: "FFEB9C",
    MeasureStatus.NOT_DONE: "FFC7CE",
    MeasureStatus.NOT_APPLICABLE: "E7E6E6",
    None: "F4B084",
}
_STATUS_ORDER: tuple[MeasureStatus | None, ...] = (*MeasureStatus, None)

_BOLD = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_VERTICAL = Alignment(horizontal="center", vertical="bottom", text_rotation=90, wrap_text=True)
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_THIN = Side(style="thin", color="A6A6A6")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


class _Look:
    """A cell look applied by copying its style indices.

    openpyxl re-hashes every style object on each assignment, which made a 400 × 60 workbook
    take seconds; a look is resolved once per workbook and then copied. Use one per workbook.
    """

    def __init__(self, **styles: object) -> None:
        self._styles = styles
        self._array: object = None

    def apply(self, cell: Cell) -> Cell:
        if self._array is None:
            for name, value in self._styles.items():
                setattr(cell, name, value)
            self._array = copy(cell._style)
        else:
            cell._style = copy(self._array)
        return cell


def _text(ws: Worksheet, row: int, column: int, value: str) -> Cell:
    """Put text that must stay text: "=1+1" or "@cmd" from a user is never a formula."""
    cell = ws.cell(row=row, column=column)
    cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)[:MAX_CELL_TEXT]
    cell.data_type = "s"
    return cell


def _header(ws: Worksheet, titles: list[str], *, vertical_from: int | None = None) -> None:
    for column, title in enumerate(titles, start=1):
        cell = _text(ws, 1, column, title)
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
        cell.border = _BOX
        rotated = vertical_from is not None and column >= vertical_from
        cell.alignment = _VERTICAL if rotated else _CENTER


def _finish(ws: Worksheet, *, rows: int, columns: int, freeze: str) -> None:
    ws.freeze_panes = freeze
    last = f"{get_column_letter(max(columns, 1))}{max(rows, 1)}"
    ws.auto_filter.ref = f"A1:{last}"


def _matrix(ws: Worksheet, summary: Summary) -> None:
    codes = {status: status_label(status, "code") for status in _STATUS_ORDER}
    enterprises = summary.enterprises
    first = 3  # columns A and B hold the measure
    _header(
        ws,
        [word("col_number"), word("col_measure")] + [e.display_name for e in enterprises],
        vertical_from=first,
    )
    ws.row_dimensions[1].height = 150
    wrap, boxed = _Look(alignment=_WRAP), _Look(alignment=_CENTER, border=_BOX)
    row = 1
    for item in summary.measures:
        row += 1
        wrap.apply(_text(ws, row, 1, item.measure.number))
        wrap.apply(_text(ws, row, 2, item.measure.text))
        for offset, state in enumerate(item.states):
            if state.applies:
                boxed.apply(_text(ws, row, first + offset, codes[state.status]))
            else:
                boxed.apply(ws.cell(row=row, column=first + offset))
    last_row = row
    last_column = first + len(enterprises) - 1
    if enterprises and last_row > 1:
        area = f"{get_column_letter(first)}2:{get_column_letter(last_column)}{last_row}"
        for status, colour in _COLOURS.items():
            fill = PatternFill("solid", fgColor=colour, bgColor=colour)
            formula = '"{}"'.format(codes[status].replace('"', '""'))
            ws.conditional_formatting.add(
                area, CellIsRule(operator="equal", formula=[formula], fill=fill)
            )
    _finish(ws, rows=last_row, columns=max(last_column, 2), freeze=f"{get_column_letter(first)}2")

    # The legend sits under the table, outside the filter range.
    row = last_row + 2
    _text(ws, row, 2, word("legend")).font = _BOLD
    for status in _STATUS_ORDER:
        row += 1
        code = _text(ws, row, 1, codes[status])
        code.fill = PatternFill("solid", fgColor=_COLOURS[status])
        code.alignment = _CENTER
        _text(ws, row, 2, status_label(status))
    row += 1
    _text(ws, row, 1, word("legend_blank_code")).alignment = _CENTER
    _text(ws, row, 2, word("legend_blank"))

    ws.column_dimensions["A"].width = 9
    ws.column_dimensions["B"].width = 60
    for offset in range(len(enterprises)):
        ws.column_dimensions[get_column_letter(first + offset)].width = 5.5


def _indicators(ws: Worksheet, summary: Summary) -> None:
    enterprises = summary.enterprises
    total = word("col_total_summed" if summary.indicators_summed_over_quarters else "col_total")
    first = 4
    _header(
        ws,
        [word("col_indicator"), word("col_unit"), total] + [e.display_name for e in enterprises],
        vertical_from=first,
    )
    ws.row_dimensions[1].height = 150
    row = 1
    for item in summary.indicators:
        row += 1
        _text(ws, row, 1, item.indicator.label).alignment = _WRAP
        _text(ws, row, 2, item.indicator.unit).alignment = _WRAP
        total_cell = ws.cell(row=row, column=3, value=item.total)
        total_cell.font = _BOLD
        for offset, value in enumerate(item.values):
            ws.cell(row=row, column=first + offset, value=value.value)
    last_column = first + len(enterprises) - 1
    _finish(ws, rows=row, columns=last_column, freeze=f"{get_column_letter(first)}2")
    ws.column_dimensions["A"].width = 45
    ws.column_dimensions["B"].width = 12
    ws.column_dimensions["C"].width = 14
    for offset in range(len(enterprises)):
        ws.column_dimensions[get_column_letter(first + offset)].width = 8


def _answers(ws: Worksheet, summary: Summary, zone: tzinfo) -> None:
    titles = [
        "col_enterprise",
        "col_edrpou",
        "col_period",
        "col_measure_number",
        "col_measure",
        "col_status",
        "col_narrative",
        "col_submitted",
        "col_version",
    ]
    _header(ws, [word(t) for t in titles])
    labels = {status: status_label(status) for status in _STATUS_ORDER}
    periods = {period: period_label(period) for period in {r.period for r in summary.answers}}
    wrap = _Look(alignment=_WRAP)
    top = _Look(alignment=Alignment(vertical="top"))
    when = _Look(alignment=Alignment(vertical="top"), number_format="DD.MM.YYYY HH:MM")
    row = 1
    for record in summary.answers:
        row += 1
        wrap.apply(_text(ws, row, 1, record.enterprise.name))
        top.apply(_text(ws, row, 2, record.enterprise.edrpou))  # text: keeps a leading zero
        top.apply(_text(ws, row, 3, periods[record.period]))
        top.apply(_text(ws, row, 4, record.measure.number))
        wrap.apply(_text(ws, row, 5, record.measure.text))
        top.apply(_text(ws, row, 6, labels[record.status]))
        wrap.apply(_text(ws, row, 7, record.narrative))
        if record.submitted_at is not None:
            when.apply(ws.cell(row=row, column=8, value=_local(record.submitted_at, zone)))
        top.apply(ws.cell(row=row, column=9, value=record.version))
    _finish(ws, rows=row, columns=len(titles), freeze="A2")
    for column, width in zip("ABCDEFGHI", (35, 11, 18, 9, 45, 17, 70, 17, 8), strict=True):
        ws.column_dimensions[column].width = width


def _local(moment: datetime, zone: tzinfo) -> datetime:
    """Excel has no time zones: show the configured zone's wall-clock time."""
    if moment.tzinfo is None:  # stored times are UTC; a naive one is taken as UTC
        moment = moment.replace(tzinfo=ZoneInfo("UTC"))
    return moment.astimezone(zone).replace(tzinfo=None)


def render_summary_xlsx(summary: Summary, *, zone: tzinfo = KYIV) -> bytes:
    """Three sheets: the measure × enterprise matrix, indicators with totals, every answer."""
    workbook = Workbook()
    matrix = workbook.active
    matrix.title = word("sheet_matrix")
    _matrix(matrix, summary)
    _indicators(workbook.create_sheet(word("sheet_indicators")), summary)
    _answers(workbook.create_sheet(word("sheet_answers")), summary, zone)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()

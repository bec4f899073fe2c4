"""The consolidated report as an Excel workbook: status matrix, indicators and raw answers."""

from __future__ import annotations

import io
from copy import copy
from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell, WriteOnlyCell
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
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


# The acknowledgement sheet (reports/acknowledgements_xlsx.py) is small and built in a normal
# worksheet with these three.


def _text(ws: Worksheet, row: int, column: int, value: str) -> Cell:
    """Put text that must stay text: "=1+1" or "@cmd" from a user is never a formula."""
    cell = ws.cell(row=row, column=column)
    cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)[:MAX_CELL_TEXT]
    cell.data_type = "s"
    return cell


def _header(ws: Worksheet, titles: list[str]) -> None:
    for column, title in enumerate(titles, start=1):
        cell = _text(ws, 1, column, title)
        cell.font, cell.fill, cell.border, cell.alignment = _BOLD, _HEADER_FILL, _BOX, _CENTER


def _finish(ws: Worksheet, *, rows: int, columns: int, freeze: str) -> None:
    ws.freeze_panes = freeze
    last = f"{get_column_letter(max(columns, 1))}{max(rows, 1)}"
    ws.auto_filter.ref = f"A1:{last}"


# The workbook is written in openpyxl's write-only mode: rows are appended in order and go to
# the file as they come, so a sheet's widths, heights and frozen panes are set before its first
# row, and its filter and conditional formats (written at its end) may come after.


def _stream_text(ws: WriteOnlyWorksheet, value: str) -> WriteOnlyCell:
    """Text that must stay text: "=1+1" or "@cmd" from a user is never a formula."""
    cell = WriteOnlyCell(ws, ILLEGAL_CHARACTERS_RE.sub("", value)[:MAX_CELL_TEXT])
    cell.data_type = "s"
    return cell


def _stream_header(
    ws: WriteOnlyWorksheet, titles: list[str], *, vertical_from: int | None = None
) -> None:
    flat = _Look(font=_BOLD, fill=_HEADER_FILL, border=_BOX, alignment=_CENTER)
    rotated = _Look(font=_BOLD, fill=_HEADER_FILL, border=_BOX, alignment=_VERTICAL)
    ws.append(
        [
            (rotated if vertical_from is not None and column >= vertical_from else flat).apply(
                _stream_text(ws, title)
            )
            for column, title in enumerate(titles, start=1)
        ]
    )


def _start(
    ws: WriteOnlyWorksheet, *, freeze: str, widths: dict[str, float], header_height: float = 0
) -> None:
    ws.freeze_panes = freeze
    for column, width in widths.items():
        ws.column_dimensions[column].width = width
    if header_height:
        ws.row_dimensions[1].height = header_height


def _filter(ws: WriteOnlyWorksheet, *, rows: int, columns: int) -> None:
    last = f"{get_column_letter(max(columns, 1))}{max(rows, 1)}"
    ws.auto_filter.ref = f"A1:{last}"


def _matrix(ws: WriteOnlyWorksheet, summary: Summary) -> None:
    codes = {status: status_label(status, "code") for status in _STATUS_ORDER}
    enterprises = summary.enterprises
    first = 3  # columns A and B hold the measure
    widths = {"A": 9.0, "B": 60.0}
    widths |= {get_column_letter(first + i): 5.5 for i in range(len(enterprises))}
    _start(ws, freeze=f"{get_column_letter(first)}2", widths=widths, header_height=150)
    _stream_header(
        ws,
        [word("col_number"), word("col_measure")] + [e.display_name for e in enterprises],
        vertical_from=first,
    )
    wrap, boxed = _Look(alignment=_WRAP), _Look(alignment=_CENTER, border=_BOX)
    row = 1
    for item in summary.measures:
        row += 1
        cells: list[WriteOnlyCell] = [
            wrap.apply(_stream_text(ws, item.measure.number)),
            wrap.apply(_stream_text(ws, item.measure.text)),
        ]
        for state in item.states:
            if state.applies:
                cells.append(boxed.apply(_stream_text(ws, codes[state.status])))
            else:
                cells.append(boxed.apply(WriteOnlyCell(ws)))
        ws.append(cells)
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
    _filter(ws, rows=last_row, columns=max(last_column, 2))

    # The legend sits under the table, outside the filter range.
    ws.append([])
    legend = _stream_text(ws, word("legend"))
    legend.font = _BOLD
    ws.append([None, legend])
    for status in _STATUS_ORDER:
        code = _stream_text(ws, codes[status])
        code.fill = PatternFill("solid", fgColor=_COLOURS[status])
        code.alignment = _CENTER
        ws.append([code, _stream_text(ws, status_label(status))])
    blank = _stream_text(ws, word("legend_blank_code"))
    blank.alignment = _CENTER
    ws.append([blank, _stream_text(ws, word("legend_blank"))])


def _indicators(ws: WriteOnlyWorksheet, summary: Summary) -> None:
    enterprises = summary.enterprises
    total = word("col_total_summed" if summary.indicators_summed_over_quarters else "col_total")
    first = 4
    widths = {"A": 45.0, "B": 12.0, "C": 14.0}
    widths |= {get_column_letter(first + i): 8.0 for i in range(len(enterprises))}
    _start(ws, freeze=f"{get_column_letter(first)}2", widths=widths, header_height=150)
    _stream_header(
        ws,
        [word("col_indicator"), word("col_unit"), total] + [e.display_name for e in enterprises],
        vertical_from=first,
    )
    wrap, bold = _Look(alignment=_WRAP), _Look(font=_BOLD)
    row = 1
    for item in summary.indicators:
        row += 1
        ws.append(
            [
                wrap.apply(_stream_text(ws, item.indicator.label)),
                wrap.apply(_stream_text(ws, item.indicator.unit)),
                bold.apply(WriteOnlyCell(ws, item.total)),
                *(value.value for value in item.values),
            ]
        )
    last_column = first + len(enterprises) - 1
    _filter(ws, rows=row, columns=last_column)


def _answers(ws: WriteOnlyWorksheet, summary: Summary, zone: tzinfo) -> None:
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
    widths = dict(
        zip("ABCDEFGHI", (35.0, 11.0, 18.0, 9.0, 45.0, 17.0, 70.0, 17.0, 8.0), strict=True)
    )
    _start(ws, freeze="A2", widths=widths)
    _stream_header(ws, [word(t) for t in titles])
    labels = {status: status_label(status) for status in _STATUS_ORDER}
    periods = {period: period_label(period) for period in {r.period for r in summary.answers}}
    wrap = _Look(alignment=_WRAP)
    top = _Look(alignment=Alignment(vertical="top"))
    when = _Look(alignment=Alignment(vertical="top"), number_format="DD.MM.YYYY HH:MM")
    row = 1
    for record in summary.answers:
        row += 1
        submitted = (
            None
            if record.submitted_at is None
            else when.apply(WriteOnlyCell(ws, _local(record.submitted_at, zone)))
        )
        ws.append(
            [
                wrap.apply(_stream_text(ws, record.enterprise.name)),
                top.apply(_stream_text(ws, record.enterprise.edrpou)),  # keeps a leading 0
                top.apply(_stream_text(ws, periods[record.period])),
                top.apply(_stream_text(ws, record.measure.number)),
                wrap.apply(_stream_text(ws, record.measure.text)),
                top.apply(_stream_text(ws, labels[record.status])),
                wrap.apply(_stream_text(ws, record.narrative)),
                submitted,
                top.apply(WriteOnlyCell(ws, record.version)),
            ]
        )
    _filter(ws, rows=row, columns=len(titles))


def _local(moment: datetime, zone: tzinfo) -> datetime:
    """Excel has no time zones: show the configured zone's wall-clock time."""
    if moment.tzinfo is None:  # stored times are UTC; a naive one is taken as UTC
        moment = moment.replace(tzinfo=ZoneInfo("UTC"))
    return moment.astimezone(zone).replace(tzinfo=None)


def render_summary_xlsx(summary: Summary, *, zone: tzinfo = KYIV) -> bytes:
    """Three sheets: the measure × enterprise matrix, indicators with totals, every answer."""
    workbook = Workbook(write_only=True)
    _matrix(workbook.create_sheet(word("sheet_matrix")), summary)
    _indicators(workbook.create_sheet(word("sheet_indicators")), summary)
    _answers(workbook.create_sheet(word("sheet_answers")), summary, zone)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()

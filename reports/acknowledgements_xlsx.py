"""The acknowledgement sheet of one circular as XLSX: who got it, and when they read it."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo

from openpyxl import Workbook

from reports.summary_xlsx import KYIV, _finish, _header, _local, _text
from templates import render

_WIDTHS = {"A": 45, "B": 11, "C": 35, "D": 17, "E": 17}
_MOMENT_FORMAT = "dd.mm.yyyy hh:mm"


@dataclass(frozen=True, slots=True)
class AcknowledgementRow:
    enterprise: str
    edrpou: str
    person: str
    delivered_at: datetime | None
    acknowledged_at: datetime | None


def render_acknowledgements_xlsx(
    rows: Sequence[AcknowledgementRow], *, zone: tzinfo = KYIV
) -> bytes:
    """One sheet, frozen header and autofilter; times in the local zone, empty when none."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = render("circulars/sheet.txt", name="title")
    titles = render("circulars/sheet.txt", name="headers").split("|")
    _header(sheet, titles)
    for number, row in enumerate(rows, start=2):
        # ЄДРПОУ stays text: a leading zero is part of the code.
        for column, value in enumerate((row.enterprise, row.edrpou, row.person), start=1):
            _text(sheet, number, column, value)
        for column, moment in ((4, row.delivered_at), (5, row.acknowledged_at)):
            if moment is not None:
                cell = sheet.cell(row=number, column=column, value=_local(moment, zone))
                cell.number_format = _MOMENT_FORMAT
    _finish(sheet, rows=len(rows) + 1, columns=len(titles), freeze="A2")
    for letter, width in _WIDTHS.items():
        sheet.column_dimensions[letter].width = width
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()

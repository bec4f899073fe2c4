"""Builders of fictional plan documents (DOCX with merges, XLSX, CSV) for tests and the demo."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field

import docx
import openpyxl
from docx.enum.text import WD_BREAK

Corner = tuple[int, int]


@dataclass(frozen=True)
class Table:
    """Rows of cell texts ("\\n" starts a new paragraph); a merge names its inclusive corners.

    Inside a merge only the top-left text is written; the other positions should be "".
    """

    rows: Sequence[Sequence[str]]
    merges: Sequence[tuple[Corner, Corner]] = ()
    bold_rows: frozenset[int] = field(default_factory=frozenset)


PAGE_BREAK = "\f"


def docx_bytes(*blocks: str | Table) -> bytes:
    """A Word document of paragraphs (str; PAGE_BREAK for a page break) and tables in order."""
    document = docx.Document()
    for block in blocks:
        if isinstance(block, Table):
            _add_table(document, block)
        elif block == PAGE_BREAK:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        else:
            document.add_paragraph(block)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _add_table(document: docx.document.Document, spec: Table) -> None:
    width = max(len(row) for row in spec.rows)
    table = document.add_table(rows=len(spec.rows), cols=width)
    table.style = "Table Grid"
    for (top, left), (bottom, right) in spec.merges:
        table.cell(top, left).merge(table.cell(bottom, right))
    for r, row in enumerate(spec.rows):
        for c, text in enumerate(row):
            if not text:
                continue
            cell = table.cell(r, c)
            lines = text.split("\n")
            first = cell.paragraphs[0]
            first.add_run(lines[0]).bold = r in spec.bold_rows
            for line in lines[1:]:
                cell.add_paragraph().add_run(line).bold = r in spec.bold_rows


def xlsx_bytes(rows: Sequence[Sequence[str]], merges: Sequence[str] = ()) -> bytes:
    """A workbook whose first sheet holds the rows; merges are ranges such as "A3:E3"."""
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append([value or None for value in row])
    for cells in merges:
        sheet.merge_cells(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: Sequence[Sequence[str]], *, delimiter: str = ",", encoding: str) -> bytes:
    text = io.StringIO()
    csv.writer(text, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return text.getvalue().encode(encoding)


# Office wraps a password-protected document in an OLE2 compound file naming its streams.
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def encrypted_office_bytes() -> bytes:
    return OLE2_MAGIC + bytes(504) + "EncryptionInfo".encode("utf-16-le") + bytes(1024)


def legacy_doc_bytes() -> bytes:
    return OLE2_MAGIC + bytes(504) + "WordDocument".encode("utf-16-le") + bytes(1024)


# The approval block and signature real plans carry around the table.
APPROVAL = (
    "ЗАТВЕРДЖЕНО",
    "Розпорядження міського голови",
    "від 12.08.2026 № 98",
    "",
)
TITLE = (
    "ПЛАН",
    "заходів щодо запобігання корупції у виконавчих органах міської ради",
    "на 2026–2027 роки",
    "",
)
SIGNATURE = ("", "Начальник відділу з питань запобігання корупції          Олена ТКАЧЕНКО")
PLAN_TITLE = (
    "ПЛАН заходів щодо запобігання корупції у виконавчих органах міської ради на 2026–2027 роки"
)

"""An organisation's own report (the Word or Excel table it e-mails) read for import: its
measure rows, and the words above the table that name the organisation."""

from __future__ import annotations

import io
from dataclasses import dataclass

from core.report_import import ImportedRow
from reports.plan_reader import read_report_rows
from reports.tabular import extension, read_csv, read_xlsx

# The title («ЗВІТ про виконання плану … Ліцею № 7 … за I квартал») sits in the first lines.
HEADING_LINES = 12


@dataclass(frozen=True, slots=True)
class ReportDocument:
    rows: tuple[ImportedRow, ...]
    heading: str  # the first lines of text, for guessing the organisation


def read_report(filename: str, data: bytes) -> ReportDocument:
    """Read a report table; DocumentError (from the plan reader's checks) says why not."""
    rows = read_report_rows(filename, data)  # checks size, format, container first
    return ReportDocument(
        rows=tuple(ImportedRow(r.number, r.text, r.progress) for r in rows),
        heading=_heading(filename, data),
    )


def _heading(filename: str, data: bytes) -> str:
    ext = extension(filename)
    if ext == "docx":
        import docx  # imported lazily: heavy

        lines = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs if p.text.strip()]
    else:
        rows = read_csv(data) if ext == "csv" else read_xlsx(data)
        lines = [" ".join(cell for cell in row if cell) for row in rows]
    return "\n".join(lines[:HEADING_LINES])

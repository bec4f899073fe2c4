"""A plan table as a grid of cells: read from DOCX (merged cells kept as one) or from CSV/XLSX
rows, and its header recognised: which column holds the number, the measure, the term…"""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import Enum, auto
from typing import Any

from reports.tabular import DocumentError, DocumentProblem

# A header sits near the top; looking further only invites false matches in measure texts.
_HEADER_SEARCH_ROWS = 25
_MAX_HEADER_CHARS = 80


# --- Cells and tables -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Cell:
    """One grid position; positions covered by one merged cell share the cell (and its key)."""

    text: str
    key: int
    bold: bool = False


Grid = list[list[Cell]]
_keys = itertools.count(1)


def new_cell(text: str = "", bold: bool = False) -> Cell:
    return Cell(normalise_text(text), next(_keys), bold)


@dataclass(frozen=True, slots=True)
class SourceTable:
    rows: Grid
    # Text paragraphs above the table in the document, for the plan's title.
    before: tuple[str, ...]


_SPACES = re.compile(r"[ \t\f\u00a0\u2000-\u200a\u202f\u3000]+")
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))


def normalise_text(text: str) -> str:
    """Lines trimmed, runs of spaces collapsed, empty lines dropped."""
    lines = (_SPACES.sub(" ", line).strip() for line in text.translate(_INVISIBLE).splitlines())
    return "\n".join(line for line in lines if line)


def row_line(row: Sequence[Cell]) -> str:
    return " ".join(cell.text for cell in distinct_cells(row))


def distinct_cells(row: Iterable[Cell]) -> list[Cell]:
    """Non-empty cells of a row, each merged cell once, in order."""
    seen: set[int] = set()
    cells = []
    for cell in row:
        if cell.text and cell.key not in seen:
            seen.add(cell.key)
            cells.append(cell)
    return cells


def tabular_grid(rows: list[list[str]]) -> Grid:
    """CSV/XLSX rows as a grid; equal neighbours in a row count as one merged cell."""
    width = max(len(row) for row in rows)
    grid: Grid = []
    for row in rows:
        cells: list[Cell] = []
        for text in [*row, *[""] * (width - len(row))]:
            previous = cells[-1] if cells else None
            normalised = normalise_text(text)
            if previous is not None and normalised and previous.text == normalised:
                cells.append(previous)
            else:
                cells.append(new_cell(text))
        grid.append(cells)
    return grid


# --- DOCX -----------------------------------------------------------------------------------


def read_docx(data: bytes) -> list[SourceTable]:
    import docx  # imported lazily: heavy, and not needed for CSV
    from docx.oxml.ns import qn

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many unrelated types on broken files
        raise DocumentError(DocumentProblem.CORRUPTED, type(exc).__name__) from exc
    paragraph_tag, table_tag = qn("w:p"), qn("w:tbl")
    tables: list[SourceTable] = []
    paragraphs: list[str] = []
    for element in _body_blocks(document.element.body, qn):
        if element.tag == paragraph_tag:
            paragraphs.append(normalise_text(_paragraph_text(element, qn)))
        elif element.tag == table_tag:
            grid = _docx_grid(element, qn)
            if grid:
                tables.append(SourceTable(grid, tuple(paragraphs)))
    return tables


def _body_blocks(parent: Any, qn: Any) -> Iterator[Any]:
    """Paragraphs and tables of the body in order, looking inside content controls."""
    for child in parent.iterchildren():
        if child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _body_blocks(content, qn)
        else:
            yield child


def _docx_grid(tbl: Any, qn: Any) -> Grid:
    """Cells by layout-grid position; a vertically merged cell fills every row it spans."""
    grid: Grid = []
    above: list[Cell] = []
    for tr in tbl.findall(qn("w:tr")):
        row = [new_cell() for _ in range(tr.grid_before)]
        for tc in tr.findall(qn("w:tc")):
            if tc.vMerge == "continue":
                column = len(row)
                cell = above[column] if column < len(above) else new_cell()
            else:
                texts = [_paragraph_text(p, qn) for p in tc.iter(qn("w:p"))]
                cell = new_cell("\n".join(texts), _is_bold(tc, qn))
            row.extend([cell] * tc.grid_span)
        grid.append(row)
        above = row
    if not grid:
        return grid
    width = max(len(row) for row in grid)
    return [row + [new_cell() for _ in range(width - len(row))] for row in grid]


def _paragraph_text(paragraph: Any, qn: Any) -> str:
    # Own walk rather than Paragraph.text: it also sees runs inside tracked insertions.
    text_tag, tab_tag, hyphen_tag = qn("w:t"), qn("w:tab"), qn("w:noBreakHyphen")
    parts = []
    for element in paragraph.iter(text_tag, tab_tag, qn("w:br"), qn("w:cr"), hyphen_tag):
        if element.tag == text_tag:
            parts.append(element.text or "")
        elif element.tag == tab_tag:
            parts.append(" ")
        elif element.tag == hyphen_tag:
            parts.append("-")
        else:
            parts.append("\n")
    return "".join(parts)


def _is_bold(tc: Any, qn: Any) -> bool:
    """Whether every run with text is bold: section titles usually are, measures are not."""
    runs = [run for run in tc.iter(qn("w:r")) if "".join(run.itertext()).strip()]
    if not runs:
        return False
    for run in runs:
        bold = run.find(f"{qn('w:rPr')}/{qn('w:b')}")
        if bold is None or bold.get(qn("w:val")) in ("0", "false", "off"):
            return False
    return True


# --- The header -----------------------------------------------------------------------------


class Role(Enum):
    NUMBER = auto()
    DIRECTION = auto()
    MEASURE = auto()
    TERM = auto()
    RESPONSIBLE = auto()
    INDICATOR = auto()
    KINDS = auto()
    PROGRESS = auto()  # what was done: in an organisation's report, not in a plan


# Header texts vary ("Строк (термін) виконання", "Відповідальні особи/виконавці"), so each role
# is recognised by how its header begins, in this order.
_ROLE_PATTERNS = (
    (Role.NUMBER, re.compile(r"(?:№|n|no)\s*(?:[зп]\s*/\s*п)?\.?|[зп]\s*/\s*п\.?")),
    (Role.KINDS, re.compile(r"(?:тип|застосову|категорі|вид\w* (?:заклад|підприєм|організац))")),
    (Role.TERM, re.compile(r"(?:строк|термін)")),
    (Role.RESPONSIBLE, re.compile(r"(?:відповідальн|виконавц|виконавець|співвиконав)")),
    (
        Role.PROGRESS,
        re.compile(
            r"(?:стан виконання|відмітка про виконання|про проведений захід"
            r"|інформація про (?:стан )?виконання|результати? виконання|виконання заходу)"
        ),
    ),
    (Role.INDICATOR, re.compile(r"(?:очікуван|індикатор|показник|результат)")),
    (
        Role.MEASURE,
        re.compile(
            r"(?:(?:найменування|назва|перелік|зміст|опис|запланован\w*) )*(?:захід|заход)"
        ),
    ),
    (Role.DIRECTION, re.compile(r"(?:(?:назва|найменування) )?(?:напрям|розділ|сфер)")),
)
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‘": "'", "`": "'", "′": "'"})


def _header_key(text: str) -> str:
    flat = " ".join(text.translate(_APOSTROPHES).lower().split())
    return flat.strip(" :*.")


def role_of(text: str) -> Role | None:
    key = _header_key(text)
    if not key or len(key) > _MAX_HEADER_CHARS:
        return None
    for role, pattern in _ROLE_PATTERNS:
        if role is Role.NUMBER:
            if pattern.fullmatch(key):
                return role
        elif pattern.match(key):
            return role
    return None


@dataclass(frozen=True, slots=True)
class Layout:
    """Which column holds what, and where the header starts (title rows may precede it)."""

    columns: dict[Role, int]
    header_start: int

    def get(self, role: Role) -> int | None:
        return self.columns.get(role)

    @property
    def measure(self) -> int:
        return self.columns[Role.MEASURE]


def find_plan_table(tables: Sequence[SourceTable]) -> tuple[int, Layout, int] | None:
    """The first table with a recognisable header: its index, layout and first data row."""
    for index, table in enumerate(tables):
        for start in range(min(len(table.rows), _HEADER_SEARCH_ROWS)):
            found = _header_at(table.rows, start)
            if found is not None:
                layout, end = found
                return index, layout, end
    return None


def _header_at(rows: Grid, start: int) -> tuple[Layout, int] | None:
    roles = [role_of(cell.text) for cell in rows[start]]
    if not any(roles):
        return None
    below = start + 1
    # A two-row header: sub-headings under a merged cell ("Виконання" over "Строк" and
    # "Відповідальні") refine the row above. A section row right under the header
    # ("Розділ 1. ...") looks like one too, but leaves no measure column.
    if below < len(rows) and _is_header_like(rows[below], rows[start]):
        lower_roles = [role_of(cell.text) for cell in rows[below]]
        combined = [lower or upper for upper, lower in zip(roles, lower_roles, strict=True)]
        layout = _layout_of(combined, start)
        if layout is not None:
            return layout, below + 1
    layout = _layout_of(roles, start)
    return None if layout is None else (layout, start + 1)


def _layout_of(roles: Sequence[Role | None], start: int) -> Layout | None:
    columns: dict[Role, int] = {}
    for column, role in enumerate(roles):
        if role is not None:
            columns.setdefault(role, column)
    if Role.MEASURE not in columns:
        return None
    if Role.TERM not in columns and Role.RESPONSIBLE not in columns:
        return None
    return Layout(columns, start)


def _is_header_like(row: Sequence[Cell], above: Sequence[Cell]) -> bool:
    own = [cell for cell, upper in zip(row, above, strict=True) if cell.text and cell is not upper]
    return bool(own) and all(role_of(cell.text) is not None for cell in own)

"""Reading the council's approved plan of measures (a DOCX, XLSX or CSV table) into a PlanDraft."""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import Enum, auto
from typing import Any

from core.kinds import normalise_word, parse_kinds
from core.models import EnterpriseKind, MeasureDraft, PlanDraft, SectionDraft
from core.numbering import (
    Number,
    format_number,
    is_section_marker,
    parse_heading_number,
    parse_number,
    split_leading_number,
    split_section_heading,
)
from reports.tabular import (
    DocumentError,
    DocumentProblem,
    check_container,
    check_upload,
    read_csv,
    read_xlsx,
)
from templates import render

_ALLOWED = ("docx", "xlsx", "csv")
# A header sits near the top; looking further only invites false matches in measure texts.
_HEADER_SEARCH_ROWS = 25
_MAX_HEADER_CHARS = 80
_TITLE_PARAGRAPHS = 4


def read_plan(filename: str, data: bytes, *, default_title: str) -> PlanDraft:
    """Read the first plan table of an upload; DocumentError says why a file cannot be used."""
    table = _plan_table(filename, data)
    title = _plan_title(table.before) or default_title
    return _Assembler(table.layout, title).build(table.rows)


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
    if table.layout.get(_Role.PROGRESS) is None:
        raise DocumentError(DocumentProblem.NO_HEADER)
    assembler = _Assembler(table.layout, "")
    rows = assembler.measure_rows(table.rows)
    return [
        ReportRow(
            number=format_number(number) if (number := _raw_number(row)) is not None else "",
            text=row.text,
            progress=row.progress,
        )
        for row in rows
    ]


@dataclass(frozen=True, slots=True)
class _PlanTable:
    layout: _Layout
    rows: list[list[_Cell]]  # the data rows under the header, continued tables included
    before: list[str]  # the text above the header: paragraphs and title rows


def _plan_table(filename: str, data: bytes) -> _PlanTable:
    ext = check_upload(filename, len(data), _ALLOWED)
    check_container(data, ext)
    if ext == "docx":
        tables = _read_docx(data)
        if not tables:
            raise DocumentError(DocumentProblem.NOT_A_TABLE)
    else:
        rows = read_csv(data) if ext == "csv" else read_xlsx(data)
        if not rows:
            raise DocumentError(DocumentProblem.EMPTY_TABLE)
        tables = [_Table(_tabular_grid(rows), ())]
    found = _find_plan_table(tables)
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
    before_header = [_row_line(row) for row in main.rows[: layout.header_start]]
    return _PlanTable(layout, rows_after_header, [*main.before, *before_header])


# --- Cells and tables -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Cell:
    """One grid position; positions covered by one merged cell share the cell (and its key)."""

    text: str
    key: int
    bold: bool = False


_Grid = list[list[_Cell]]
_keys = itertools.count(1)


def _new_cell(text: str = "", bold: bool = False) -> _Cell:
    return _Cell(_normalise_text(text), next(_keys), bold)


@dataclass(frozen=True, slots=True)
class _Table:
    rows: _Grid
    # Text paragraphs above the table in the document, for the plan's title.
    before: tuple[str, ...]


_SPACES = re.compile(r"[ \t\f\u00a0\u2000-\u200a\u202f\u3000]+")
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))


def _normalise_text(text: str) -> str:
    """Lines trimmed, runs of spaces collapsed, empty lines dropped."""
    lines = (_SPACES.sub(" ", line).strip() for line in text.translate(_INVISIBLE).splitlines())
    return "\n".join(line for line in lines if line)


def _row_line(row: Sequence[_Cell]) -> str:
    return " ".join(cell.text for cell in _distinct(row))


def _distinct(row: Iterable[_Cell]) -> list[_Cell]:
    """Non-empty cells of a row, each merged cell once, in order."""
    seen: set[int] = set()
    cells = []
    for cell in row:
        if cell.text and cell.key not in seen:
            seen.add(cell.key)
            cells.append(cell)
    return cells


def _tabular_grid(rows: list[list[str]]) -> _Grid:
    """CSV/XLSX rows as a grid; equal neighbours in a row count as one merged cell."""
    width = max(len(row) for row in rows)
    grid: _Grid = []
    for row in rows:
        cells: list[_Cell] = []
        for text in [*row, *[""] * (width - len(row))]:
            previous = cells[-1] if cells else None
            normalised = _normalise_text(text)
            if previous is not None and normalised and previous.text == normalised:
                cells.append(previous)
            else:
                cells.append(_new_cell(text))
        grid.append(cells)
    return grid


# --- DOCX -----------------------------------------------------------------------------------


def _read_docx(data: bytes) -> list[_Table]:
    import docx  # imported lazily: heavy, and not needed for CSV
    from docx.oxml.ns import qn

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many unrelated types on broken files
        raise DocumentError(DocumentProblem.CORRUPTED, type(exc).__name__) from exc
    paragraph_tag, table_tag = qn("w:p"), qn("w:tbl")
    tables: list[_Table] = []
    paragraphs: list[str] = []
    for element in _body_blocks(document.element.body, qn):
        if element.tag == paragraph_tag:
            paragraphs.append(_normalise_text(_paragraph_text(element, qn)))
        elif element.tag == table_tag:
            grid = _docx_grid(element, qn)
            if grid:
                tables.append(_Table(grid, tuple(paragraphs)))
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


def _docx_grid(tbl: Any, qn: Any) -> _Grid:
    """Cells by layout-grid position; a vertically merged cell fills every row it spans."""
    grid: _Grid = []
    above: list[_Cell] = []
    for tr in tbl.findall(qn("w:tr")):
        row = [_new_cell() for _ in range(tr.grid_before)]
        for tc in tr.findall(qn("w:tc")):
            if tc.vMerge == "continue":
                column = len(row)
                cell = above[column] if column < len(above) else _new_cell()
            else:
                texts = [_paragraph_text(p, qn) for p in tc.iter(qn("w:p"))]
                cell = _new_cell("\n".join(texts), _is_bold(tc, qn))
            row.extend([cell] * tc.grid_span)
        grid.append(row)
        above = row
    if not grid:
        return grid
    width = max(len(row) for row in grid)
    return [row + [_new_cell() for _ in range(width - len(row))] for row in grid]


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


class _Role(Enum):
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
    (_Role.NUMBER, re.compile(r"(?:№|n|no)\s*(?:[зп]\s*/\s*п)?\.?|[зп]\s*/\s*п\.?")),
    (_Role.KINDS, re.compile(r"(?:тип|застосову|категорі|вид\w* (?:заклад|підприєм|організац))")),
    (_Role.TERM, re.compile(r"(?:строк|термін)")),
    (_Role.RESPONSIBLE, re.compile(r"(?:відповідальн|виконавц|виконавець|співвиконав)")),
    (
        _Role.PROGRESS,
        re.compile(
            r"(?:стан виконання|відмітка про виконання|про проведений захід"
            r"|інформація про (?:стан )?виконання|результати? виконання|виконання заходу)"
        ),
    ),
    (_Role.INDICATOR, re.compile(r"(?:очікуван|індикатор|показник|результат)")),
    (
        _Role.MEASURE,
        re.compile(
            r"(?:(?:найменування|назва|перелік|зміст|опис|запланован\w*) )*(?:захід|заход)"
        ),
    ),
    (_Role.DIRECTION, re.compile(r"(?:(?:назва|найменування) )?(?:напрям|розділ|сфер)")),
)
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‘": "'", "`": "'", "′": "'"})


def _header_key(text: str) -> str:
    flat = " ".join(text.translate(_APOSTROPHES).lower().split())
    return flat.strip(" :*.")


def _role_of(text: str) -> _Role | None:
    key = _header_key(text)
    if not key or len(key) > _MAX_HEADER_CHARS:
        return None
    for role, pattern in _ROLE_PATTERNS:
        if role is _Role.NUMBER:
            if pattern.fullmatch(key):
                return role
        elif pattern.match(key):
            return role
    return None


@dataclass(frozen=True, slots=True)
class _Layout:
    """Which column holds what, and where the header starts (title rows may precede it)."""

    columns: dict[_Role, int]
    header_start: int

    def get(self, role: _Role) -> int | None:
        return self.columns.get(role)

    @property
    def measure(self) -> int:
        return self.columns[_Role.MEASURE]


def _find_plan_table(tables: Sequence[_Table]) -> tuple[int, _Layout, int] | None:
    """The first table with a recognisable header: its index, layout and first data row."""
    for index, table in enumerate(tables):
        for start in range(min(len(table.rows), _HEADER_SEARCH_ROWS)):
            found = _header_at(table.rows, start)
            if found is not None:
                layout, end = found
                return index, layout, end
    return None


def _header_at(rows: _Grid, start: int) -> tuple[_Layout, int] | None:
    roles = [_role_of(cell.text) for cell in rows[start]]
    if not any(roles):
        return None
    below = start + 1
    # A two-row header: sub-headings under a merged cell ("Виконання" over "Строк" and
    # "Відповідальні") refine the row above. A section row right under the header
    # ("Розділ 1. ...") looks like one too, but leaves no measure column.
    if below < len(rows) and _is_header_like(rows[below], rows[start]):
        lower_roles = [_role_of(cell.text) for cell in rows[below]]
        combined = [lower or upper for upper, lower in zip(roles, lower_roles, strict=True)]
        layout = _layout_of(combined, start)
        if layout is not None:
            return layout, below + 1
    layout = _layout_of(roles, start)
    return None if layout is None else (layout, start + 1)


def _layout_of(roles: Sequence[_Role | None], start: int) -> _Layout | None:
    columns: dict[_Role, int] = {}
    for column, role in enumerate(roles):
        if role is not None:
            columns.setdefault(role, column)
    if _Role.MEASURE not in columns:
        return None
    if _Role.TERM not in columns and _Role.RESPONSIBLE not in columns:
        return None
    return _Layout(columns, start)


def _is_header_like(row: Sequence[_Cell], above: Sequence[_Cell]) -> bool:
    own = [cell for cell, upper in zip(row, above, strict=True) if cell.text and cell is not upper]
    return bool(own) and all(_role_of(cell.text) is not None for cell in own)


# --- Rows -----------------------------------------------------------------------------------


class _Kind(Enum):
    SECTION = auto()
    MEASURE = auto()
    # One lone text in the measure column: a section title or a measure lacking the rest.
    MAYBE_SECTION = auto()


@dataclass(slots=True)
class _Row:
    kind: _Kind
    text: str
    key: int = 0
    cell_number: Number | None = None
    text_number: Number | None = None
    term: str = ""
    responsible: str = ""
    indicator: str = ""
    kinds: str = ""
    direction: str = ""
    progress: str = ""
    bold: bool = False


_COLUMN_NUMBER = re.compile(r"\d{1,2}\.?")


def _is_column_number_row(cells: Sequence[_Cell]) -> bool:
    """The "1 2 3 4 5" row repeated under the header after each page break."""
    if len(cells) < 2 or not all(_COLUMN_NUMBER.fullmatch(cell.text) for cell in cells):
        return False
    values = [int(cell.text.rstrip(".")) for cell in cells]
    return values[0] == 1 and all(b == a + 1 for a, b in itertools.pairwise(values))


def _is_repeated_header(row: Sequence[_Cell], layout: _Layout) -> bool:
    matches = sum(
        1 for role, column in layout.columns.items() if _role_of(row[column].text) is role
    )
    return _role_of(row[layout.measure].text) is _Role.MEASURE and matches >= 2


def _section_heading_text(text: str) -> str:
    return text.replace("\n", " ")


# --- Assembly -------------------------------------------------------------------------------


class _Source(Enum):
    ROW = auto()
    DIRECTION = auto()
    PREFIX = auto()
    NONE = auto()


@dataclass(slots=True)
class _Section:
    number: Number | None
    title: str
    source: _Source
    rows: list[_Row] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Numbered:
    row: _Row
    number: Number  # inside its section


class _Assembler:
    """Turns data rows into sections of measures with stable "S.M" numbers, noting problems."""

    def __init__(self, layout: _Layout, title: str) -> None:
        self.layout = layout
        self.title = title
        # Warnings about the table as a whole, before those about single measures.
        self.notes: list[str] = []
        # (section, new number) -> the number the measure had in the file
        self.duplicates: dict[tuple[Number, Number], Number] = {}

    def measure_rows(self, grid: Iterable[Sequence[_Cell]]) -> list[_Row]:
        """The rows that are measures, in order, without numbering them."""
        rows = self._decide_sections(self._rows(grid))
        return [row for row in rows if row.kind is _Kind.MEASURE]

    def build(self, grid: Iterable[Sequence[_Cell]]) -> PlanDraft:
        rows = self._decide_sections(self._rows(grid))
        sections = self._numbered_sections(self._group(rows))
        warnings = self._column_warnings() + self.notes
        drafts = tuple(
            SectionDraft(
                number=format_number(number),
                title=section.title,
                measures=tuple(self._measure(number, item, warnings) for item in measures),
            )
            for number, section, measures in sections
        )
        if not drafts:
            raise DocumentError(DocumentProblem.EMPTY_TABLE)
        return PlanDraft(self.title, drafts, tuple(warnings))

    # Rows ---------------------------------------------------------------------------------

    def _rows(self, grid: Iterable[Sequence[_Cell]]) -> Iterator[_Row]:
        previous: _Row | None = None
        for cells in grid:
            row = self._row(cells)
            if row is None:
                continue
            if previous is not None and _continues(previous, row):
                # The measure cell is merged down over this row (Word keeps one cell, Excel
                # repeats the text): one measure, keeping whatever this row adds.
                _absorb(previous, row)
                continue
            previous = row if row.kind is not _Kind.SECTION else None
            yield row

    def _row(self, cells: Sequence[_Cell]) -> _Row | None:
        layout = self.layout
        distinct = _distinct(cells)
        if not distinct or _is_column_number_row(distinct):
            return None
        if _is_repeated_header(cells, layout):
            return None
        measure = cells[layout.measure]
        if len(distinct) == 1:
            return self._lone_cell_row(cells, distinct[0])
        number_column = layout.get(_Role.NUMBER)
        number_cell = cells[number_column] if number_column is not None else None
        if self._spans_row(cells, measure):
            # "2." in the number column, the title merged over all the other columns.
            row = _Row(_Kind.SECTION, _section_heading_text(measure.text), bold=measure.bold)
            if number_cell is not None and number_cell is not measure:
                row.cell_number = parse_heading_number(number_cell.text)
            return row
        if not measure.text:
            self._skip(distinct)
            return None
        text_number, text = split_leading_number(measure.text)
        return _Row(
            _Kind.MEASURE,
            text,
            key=measure.key,
            cell_number=parse_number(number_cell.text) if number_cell is not None else None,
            text_number=text_number,
            term=self._text(cells, _Role.TERM),
            responsible=self._text(cells, _Role.RESPONSIBLE),
            indicator=self._text(cells, _Role.INDICATOR),
            kinds=self._text(cells, _Role.KINDS),
            direction=self._text(cells, _Role.DIRECTION),
            progress=self._text(cells, _Role.PROGRESS),
            bold=measure.bold,
        )

    def _lone_cell_row(self, cells: Sequence[_Cell], cell: _Cell) -> _Row | None:
        columns = {column for column, other in enumerate(cells) if other is cell}
        layout = self.layout
        if layout.measure in columns:
            if len(columns) > 1:
                return _Row(_Kind.SECTION, _section_heading_text(cell.text), bold=cell.bold)
            text_number, text = split_leading_number(cell.text)
            return _Row(
                _Kind.MAYBE_SECTION,
                text,
                key=cell.key,
                text_number=text_number,
                bold=cell.bold,
            )
        direction = layout.get(_Role.DIRECTION)
        number = layout.get(_Role.NUMBER)
        if direction in columns or (number in columns and parse_number(cell.text) is None):
            return _Row(_Kind.SECTION, _section_heading_text(cell.text), bold=cell.bold)
        self._skip([cell])
        return None

    def _spans_row(self, cells: Sequence[_Cell], measure: _Cell) -> bool:
        others = [self.layout.get(_Role.TERM), self.layout.get(_Role.RESPONSIBLE)]
        return any(column is not None and cells[column] is measure for column in others)

    def _text(self, cells: Sequence[_Cell], role: _Role) -> str:
        column = self.layout.get(role)
        return "" if column is None else cells[column].text

    def _skip(self, cells: Sequence[_Cell]) -> None:
        content = " | ".join(cell.text.replace("\n", " ") for cell in cells)
        if len(content) > 80:
            content = content[:79].rstrip() + "…"
        self.notes.append(render("plan/skipped_row.txt", content=content))

    def _decide_sections(self, rows: Iterable[_Row]) -> list[_Row]:
        """A lone text is a section title if it says so, is bold, or numbers the measures below."""
        decided = list(rows)
        has_number_column = self.layout.get(_Role.NUMBER) is not None
        for index, row in enumerate(decided):
            if row.kind is not _Kind.MAYBE_SECTION:
                continue
            following = next(
                (later for later in decided[index + 1 :] if later.kind is not _Kind.SECTION),
                None,
            )
            next_number = _raw_number(following) if following is not None else None
            heads_next = (
                row.text_number is not None
                and next_number is not None
                and len(next_number) > len(row.text_number)
                and next_number[: len(row.text_number)] == row.text_number
            )
            # Where a № column holds the measures' numbers, a number inside the lone text
            # belongs to a section title ("2. Навчання" over measures "1", "2").
            numbered_title = row.text_number is not None and has_number_column
            if row.bold or heads_next or numbered_title or is_section_marker(row.text):
                heading = row.text
                if row.text_number is not None:
                    heading = f"{format_number(row.text_number)}. {row.text}"
                decided[index] = _Row(_Kind.SECTION, _section_heading_text(heading))
            else:
                row.kind = _Kind.MEASURE
        return decided

    # Sections -----------------------------------------------------------------------------

    def _group(self, rows: Iterable[_Row]) -> list[_Section]:
        sections: list[_Section] = []
        current: _Section | None = None
        direction = ""
        for row in rows:
            if row.kind is _Kind.SECTION:
                number, title = split_section_heading(row.text)
                current = _Section(row.cell_number or number, title, _Source.ROW)
                sections.append(current)
                direction = row.text
                continue
            if row.direction and _section_heading_text(row.direction) != direction:
                direction = _section_heading_text(row.direction)
                number, title = split_section_heading(direction)
                current = _Section(number, title, _Source.DIRECTION)
                sections.append(current)
            elif current is None or current.source in (_Source.NONE, _Source.PREFIX):
                raw = _raw_number(row)
                if raw is not None and len(raw) > 1:
                    if current is None or current.number != raw[:1]:
                        number = raw[:1]
                        title = render("plan/section_title.txt", number=format_number(number))
                        current = _Section(number, title, _Source.PREFIX)
                        sections.append(current)
                elif current is None:
                    current = _Section(None, self.title, _Source.NONE)
                    sections.append(current)
            current.rows.append(row)
        return [section for section in sections if section.rows]

    def _numbered_sections(
        self, sections: list[_Section]
    ) -> list[tuple[Number, _Section, list[_Numbered]]]:
        for section in sections:
            if section.number is None:
                section.number = _common_prefix(section.rows)
        result: list[tuple[Number, _Section, list[_Numbered]]] = []
        by_number: dict[Number, tuple[_Section, list[_Numbered]]] = {}
        explicit = {section.number for section in sections if section.number is not None}
        last = 0
        local = self._numbers_are_local(sections)
        for section in sections:
            number = section.number
            if number is None:
                number = _first_free((last + 1,), explicit | by_number.keys())
            elif number in by_number:
                earlier, _ = by_number[number]
                if earlier.title != section.title:
                    renumbered = _first_free(number, explicit | by_number.keys())
                    self.notes.append(
                        render(
                            "plan/duplicate_section.txt",
                            number=format_number(number),
                            new_number=format_number(renumbered),
                        )
                    )
                    number = renumbered
            last = number[0]
            if number in by_number:
                # The same section again (a table continued with its heading): one section.
                earlier, measures = by_number[number]
                earlier.rows.extend(section.rows)
            else:
                measures = []
                by_number[number] = (section, measures)
                result.append((number, section, measures))
        for number, section, measures in result:
            measures.extend(self._numbered_measures(number, section.rows, local))
        return result

    def _numbered_measures(
        self, section: Number, rows: list[_Row], local: bool
    ) -> list[_Numbered]:
        wanted = [_own_number(section, row, local) for row in rows]
        explicit = {number for number in wanted if number is not None}
        taken: set[Number] = set()
        numbered = []
        previous: Number | None = None
        for row, number in zip(rows, wanted, strict=True):
            if number is None:
                start = (1,) if previous is None else _bump(previous)
                number = _first_free(start, taken | explicit)
            elif number in taken:
                renumbered = _first_free(_bump(number), taken | explicit)
                self.duplicates[(section, renumbered)] = number
                number = renumbered
            taken.add(number)
            previous = number
            numbered.append(_Numbered(row, number))
        return numbered

    def _numbers_are_local(self, sections: list[_Section]) -> bool:
        """Whether single numbers in the № column restart in each section (else they run on)."""
        firsts = []
        values = []
        for section in sections:
            numbers = [
                row.cell_number[0]
                for row in section.rows
                if row.cell_number is not None and len(row.cell_number) == 1
            ]
            if numbers:
                firsts.append(numbers[0])
                values.extend(numbers)
        if len(firsts) < 2:
            return True
        runs_on = all(b > a for a, b in itertools.pairwise(values))
        return not (runs_on and any(first != 1 for first in firsts[1:]))

    # Measures -----------------------------------------------------------------------------

    def _measure(self, section: Number, item: _Numbered, warnings: list[str]) -> MeasureDraft:
        number = format_number(section + item.number)
        original = self.duplicates.get((section, item.number))
        if original is not None:
            warnings.append(
                render(
                    "plan/duplicate_number.txt",
                    number=format_number(section + original),
                    new_number=number,
                )
            )
        row = item.row
        if self.layout.get(_Role.TERM) is not None and not row.term:
            warnings.append(render("plan/empty_term.txt", number=number))
        if self.layout.get(_Role.RESPONSIBLE) is not None and not row.responsible:
            warnings.append(render("plan/empty_responsible.txt", number=number))
        kinds, unknown = _parse_kinds(row.kinds)
        for value in unknown:
            warnings.append(render("plan/unknown_kind.txt", number=number, value=value))
        return MeasureDraft(
            number=number,
            text=row.text,
            term=row.term,
            responsible=row.responsible,
            indicator=row.indicator,
            kinds=kinds,
        )

    def _column_warnings(self) -> list[str]:
        warnings = []
        if self.layout.get(_Role.TERM) is None:
            warnings.append(render("plan/missing_term_column.txt"))
        if self.layout.get(_Role.RESPONSIBLE) is None:
            warnings.append(render("plan/missing_responsible_column.txt"))
        return warnings


def _continues(previous: _Row, row: _Row) -> bool:
    if row.kind is _Kind.SECTION:
        return False
    if row.key == previous.key:
        return True
    same = (previous.text, previous.text_number, previous.cell_number, previous.direction)
    return same == (row.text, row.text_number, row.cell_number, row.direction)


def _absorb(previous: _Row, row: _Row) -> None:
    previous.term = _joined(previous.term, row.term)
    previous.responsible = _joined(previous.responsible, row.responsible)
    previous.indicator = _joined(previous.indicator, row.indicator)
    previous.kinds = _joined(previous.kinds, row.kinds, ", ")
    previous.progress = _joined(previous.progress, row.progress)


def _joined(first: str, second: str, separator: str = "\n") -> str:
    if not second or second == first:
        return first
    return f"{first}{separator}{second}" if first else second


def _raw_number(row: _Row) -> Number | None:
    if row.cell_number is not None and len(row.cell_number) > 1:
        return row.cell_number
    return row.text_number or row.cell_number


def _own_number(section: Number, row: _Row, local: bool) -> Number | None:
    """The measure's number inside its section, from the № column or the text; None if unknown."""
    if row.cell_number is not None and len(row.cell_number) > 1:
        raw: Number = row.cell_number
    elif row.text_number is not None:
        raw = row.text_number
    elif row.cell_number is not None and local:
        raw = row.cell_number
    else:
        return None
    if len(raw) > len(section) and raw[: len(section)] == section:
        return raw[len(section) :]
    if len(raw) == 1:
        return raw
    return raw[1:]


def _common_prefix(rows: Iterable[_Row]) -> Number | None:
    prefixes = {raw[:1] for row in rows if (raw := _raw_number(row)) is not None and len(raw) > 1}
    return prefixes.pop() if len(prefixes) == 1 else None


def _bump(number: Number) -> Number:
    return (*number[:-1], number[-1] + 1)


def _first_free(start: Number, taken: Collection[Number]) -> Number:
    number = start
    while number in taken:
        number = _bump(number)
    return number


# --- Title and kinds ------------------------------------------------------------------------

_TITLE_START = re.compile(r"^план\b", re.IGNORECASE)


def _plan_title(lines: Sequence[str]) -> str:
    """ "ПЛАН" and the lines that follow it up to a blank line, as one line."""
    for index, line in enumerate(lines):
        if _TITLE_START.match(line):
            parts = []
            for following in lines[index : index + _TITLE_PARAGRAPHS]:
                if not following:
                    break
                parts.append(following)
            return " ".join(" ".join(parts).split())
    return ""


# A kinds cell saying "all" is the same as an empty one: the measure applies everywhere.
_ALL_KINDS = {"усі", "всі", "усім", "всім", "усі заклади", "всі заклади", "для всіх", "для усіх"}


def _parse_kinds(text: str) -> tuple[tuple[EnterpriseKind, ...], list[str]]:
    if normalise_word(text).strip(" .") in _ALL_KINDS:
        return (), []
    return parse_kinds(text)

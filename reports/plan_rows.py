"""The data rows of a plan table read as measures and section titles: merged and split rows
joined, repeated headers and the text under the table left out, each such step noted."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import Enum, auto

from core.numbering import (
    Number,
    format_number,
    is_section_marker,
    parse_heading_number,
    parse_number,
    split_leading_number,
)
from reports.plan_table import Cell, Layout, Role, distinct_cells, role_of
from templates import render


class RowKind(Enum):
    SECTION = auto()
    MEASURE = auto()
    # One lone text in the measure column: a section title or a measure lacking the rest.
    MAYBE_SECTION = auto()


@dataclass(slots=True)
class PlanRow:
    kind: RowKind
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
    lone: bool = False  # the only text of its table row
    fragments: list[str] = field(default_factory=list)  # rows joined to it (a split measure)


_COLUMN_NUMBER = re.compile(r"\d{1,2}\.?")


def _is_column_number_row(cells: Sequence[Cell]) -> bool:
    """The "1 2 3 4 5" row repeated under the header after each page break."""
    if len(cells) < 2 or not all(_COLUMN_NUMBER.fullmatch(cell.text) for cell in cells):
        return False
    values = [int(cell.text.rstrip(".")) for cell in cells]
    return values[0] == 1 and all(b == a + 1 for a, b in itertools.pairwise(values))


def _is_repeated_header(row: Sequence[Cell], layout: Layout) -> bool:
    matches = sum(
        1 for role, column in layout.columns.items() if role_of(row[column].text) is role
    )
    return role_of(row[layout.measure].text) is Role.MEASURE and matches >= 2


def section_heading_text(text: str) -> str:
    return text.replace("\n", " ")


class RowReader:
    """Reads a table's data rows; `notes` collects what it left out, for the preview."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self.notes: list[str] = []

    def rows(self, grid: Iterable[Sequence[Cell]]) -> list[PlanRow]:
        """Measures and section titles in order; continued and split rows joined."""
        rows = self._drop_trailing_text(self._decide_sections(self._rows(grid)))
        return self._join_fragments(rows)

    def _rows(self, grid: Iterable[Sequence[Cell]]) -> Iterator[PlanRow]:
        previous: PlanRow | None = None
        for cells in grid:
            row = self._row(cells)
            if row is None:
                continue
            if previous is not None and _continues(previous, row):
                # The measure cell is merged down over this row (Word keeps one cell, Excel
                # repeats the text): one measure, keeping whatever this row adds.
                _absorb(previous, row)
                continue
            previous = row if row.kind is not RowKind.SECTION else None
            yield row

    def _row(self, cells: Sequence[Cell]) -> PlanRow | None:
        layout = self.layout
        distinct = distinct_cells(cells)
        if not distinct or _is_column_number_row(distinct):
            return None
        if _is_repeated_header(cells, layout):
            return None
        measure = cells[layout.measure]
        if len(distinct) == 1:
            return self._lone_cell_row(cells, distinct[0])
        number_column = layout.get(Role.NUMBER)
        number_cell = cells[number_column] if number_column is not None else None
        if self._spans_row(cells, measure):
            # "2." in the number column, the title merged over all the other columns.
            row = PlanRow(RowKind.SECTION, section_heading_text(measure.text), bold=measure.bold)
            if number_cell is not None and number_cell is not measure:
                row.cell_number = parse_heading_number(number_cell.text)
            return row
        if not measure.text:
            self._skip(distinct)
            return None
        text_number, text = split_leading_number(measure.text)
        return PlanRow(
            RowKind.MEASURE,
            text,
            key=measure.key,
            cell_number=parse_number(number_cell.text) if number_cell is not None else None,
            text_number=text_number,
            term=self._text(cells, Role.TERM),
            responsible=self._text(cells, Role.RESPONSIBLE),
            indicator=self._text(cells, Role.INDICATOR),
            kinds=self._text(cells, Role.KINDS),
            direction=self._text(cells, Role.DIRECTION),
            progress=self._text(cells, Role.PROGRESS),
            bold=measure.bold,
        )

    def _lone_cell_row(self, cells: Sequence[Cell], cell: Cell) -> PlanRow | None:
        columns = {column for column, other in enumerate(cells) if other is cell}
        layout = self.layout
        if layout.measure in columns:
            if len(columns) > 1:
                return PlanRow(
                    RowKind.SECTION, section_heading_text(cell.text), bold=cell.bold, lone=True
                )
            text_number, text = split_leading_number(cell.text)
            return PlanRow(
                RowKind.MAYBE_SECTION,
                text,
                key=cell.key,
                text_number=text_number,
                bold=cell.bold,
                lone=True,
            )
        direction = layout.get(Role.DIRECTION)
        number = layout.get(Role.NUMBER)
        if direction in columns or (number in columns and parse_number(cell.text) is None):
            return PlanRow(
                RowKind.SECTION, section_heading_text(cell.text), bold=cell.bold, lone=True
            )
        self._skip([cell])
        return None

    def _spans_row(self, cells: Sequence[Cell], measure: Cell) -> bool:
        others = [self.layout.get(Role.TERM), self.layout.get(Role.RESPONSIBLE)]
        return any(column is not None and cells[column] is measure for column in others)

    def _text(self, cells: Sequence[Cell], role: Role) -> str:
        column = self.layout.get(role)
        return "" if column is None else cells[column].text

    def _skip(self, cells: Sequence[Cell]) -> None:
        content = cut(" | ".join(cell.text for cell in cells))
        self.notes.append(render("plan/skipped_row.txt", content=content))

    def _skip_text(self, text: str) -> None:
        self.notes.append(render("plan/text_after_table.txt", content=cut(text)))

    def _decide_sections(self, rows: Iterable[PlanRow]) -> list[PlanRow]:
        """A lone text is a section title if it says so, is bold, or numbers the measures below."""
        decided = list(rows)
        has_number_column = self.layout.get(Role.NUMBER) is not None
        for index, row in enumerate(decided):
            if row.kind is not RowKind.MAYBE_SECTION:
                continue
            following = next(
                (later for later in decided[index + 1 :] if later.kind is not RowKind.SECTION),
                None,
            )
            next_number = raw_number(following) if following is not None else None
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
                decided[index] = PlanRow(RowKind.SECTION, section_heading_text(heading), lone=True)
            else:
                row.kind = RowKind.MEASURE
        return decided

    def _drop_trailing_text(self, rows: list[PlanRow]) -> list[PlanRow]:
        """Lone texts after the last measure that head nothing or read as a signature or a
        note are under the table, not measures: left out, and listed as left out."""
        end = len(rows)
        while end > 0 and _after_table(rows[end - 1]):
            end -= 1
        for row in rows[end:]:
            self._skip_text(row.text)
        return rows[:end]

    def _join_fragments(self, rows: list[PlanRow]) -> list[PlanRow]:
        """Rows a PDF-to-Word conversion split off a measure: in a plan whose measures carry
        numbers, an unnumbered row that continues the previous measure's sentence (it starts
        in lower case, the previous text does not end a sentence, or it has nothing but text)
        is part of that measure, unless it opens with a task verb («Провести…»). Where most
        measures carry no number, only a row starting in lower case is: there an unnumbered
        row is the plan's way of writing a measure."""
        measures = [row for row in rows if row.kind is RowKind.MEASURE]
        numbered = sum(1 for row in measures if raw_number(row) is not None)
        strict = numbered * 2 < len(measures)
        kept: list[PlanRow] = []
        for row in rows:
            previous = kept[-1] if kept else None
            if (
                row.kind is RowKind.MEASURE
                and raw_number(row) is None
                and previous is not None
                and previous.kind is RowKind.MEASURE
                and (
                    row.text[:1].islower()
                    or not (strict or _INFINITIVE.match(row.text))
                    and _continues_sentence(previous, row)
                )
            ):
                previous.fragments.append(row.text)
                previous.text = f"{previous.text} {row.text}"
                for name in ("term", "responsible", "indicator", "kinds", "progress"):
                    setattr(
                        previous, name, _joined(getattr(previous, name), getattr(row, name), " ")
                    )
                continue
            kept.append(row)
        return kept


_SENTENCE_END = (".", ";", "!", "?", ":")
# A measure is written as a task: «Провести…», «Забезпечити…», «Оприлюднювати…». A capitalised
# infinitive starts a measure of its own, not the rest of the one above.
_INFINITIVE = re.compile(r"[А-ЯІЇЄҐ][а-яіїєґ'’]+(?:ти|тися|тись)\b")
# What stands under a plan's table: a signature («Начальник відділу ____ Олена ТКАЧЕНКО»), or a
# note («Примітка: …»).
_SIGNATURE = re.compile(
    r"_{3,}"
    r"|^(?:начальни|керівни|директор|завідувач|міськ\w* голов|секретар|заступни|голова\b"
    r"|примітк|виконав|підготува|погоджено)",
    re.IGNORECASE,
)
_SURNAME_IN_CAPITALS = re.compile(r"\b[А-ЯІЇЄҐ][А-ЯІЇЄҐ'’-]+$")  # «Олена ТКАЧЕНКО»


def _after_table(row: PlanRow) -> bool:
    if not row.lone or raw_number(row) is not None:
        return False
    if row.kind is RowKind.SECTION:
        return True  # a heading with nothing under it
    return bool(_SIGNATURE.search(row.text) or _SURNAME_IN_CAPITALS.search(row.text))


def _continues_sentence(previous: PlanRow, row: PlanRow) -> bool:
    """Whether an unnumbered row reads as the rest of the previous measure: it starts in lower
    case, or it holds nothing but text, or the previous text is an open sentence and every
    other cell of the row goes on in lower case too («Юридичний» / «відділ»)."""
    others = [row.term, row.responsible, row.indicator, row.kinds, row.direction]
    if row.text[:1].islower() or not any(others):
        return True
    open_sentence = not previous.text.rstrip().endswith(_SENTENCE_END)
    return open_sentence and all(cell[:1].islower() for cell in others if cell)


def cut(text: str, width: int = 80) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _continues(previous: PlanRow, row: PlanRow) -> bool:
    if row.kind is RowKind.SECTION:
        return False
    if row.key == previous.key:
        return True
    same = (previous.text, previous.text_number, previous.cell_number, previous.direction)
    return same == (row.text, row.text_number, row.cell_number, row.direction)


def _absorb(previous: PlanRow, row: PlanRow) -> None:
    previous.term = _joined(previous.term, row.term)
    previous.responsible = _joined(previous.responsible, row.responsible)
    previous.indicator = _joined(previous.indicator, row.indicator)
    previous.kinds = _joined(previous.kinds, row.kinds, ", ")
    previous.progress = _joined(previous.progress, row.progress)


def _joined(first: str, second: str, separator: str = "\n") -> str:
    if not second or second == first:
        return first
    return f"{first}{separator}{second}" if first else second


def raw_number(row: PlanRow) -> Number | None:
    if row.cell_number is not None and len(row.cell_number) > 1:
        return row.cell_number
    return row.text_number or row.cell_number

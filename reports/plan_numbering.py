"""Numbering a plan's measures as the document does: its own numbers wherever it has them,
unique across the plan, with sections and subsections; «S.M» made up only where it has none."""

from __future__ import annotations

import itertools
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from enum import Enum, auto

from core.kinds import normalise_word, parse_kinds
from core.models import EnterpriseKind, MeasureDraft, PlanDraft, SectionDraft
from core.numbering import Number, format_number, split_section_heading
from reports.plan_rows import PlanRow, RowKind, cut, raw_number, section_heading_text
from reports.plan_table import Layout, Role
from reports.tabular import DocumentError, DocumentProblem
from templates import render


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
    rows: list[PlanRow] = field(default_factory=list)
    parent: _Section | None = None  # the section a subsection ("1.1" under "1") belongs to


@dataclass(frozen=True, slots=True)
class _Numbered:
    row: PlanRow
    number: Number  # the measure's number in the plan
    subsection: _Section | None = None


class Numbering:
    """Turns read rows into sections of numbered measures, noting what it made up."""

    def __init__(self, layout: Layout, title: str, notes: list[str]) -> None:
        self.layout = layout
        self.title = title
        # Warnings about the table as a whole, before those about single measures.
        self.notes = notes
        # A measure's final number -> the number it had in the file, where that was taken.
        self.duplicates: dict[Number, Number] = {}
        self.generated: list[str] = []

    def draft(self, rows: list[PlanRow]) -> PlanDraft:
        sections = self._numbered(self._group(rows))
        warnings = self._column_warnings() + self.notes
        drafts = tuple(
            SectionDraft(
                number=format_number(section.number or ()),
                title=section.title,
                measures=tuple(self._measure(item, warnings) for item in measures),
            )
            for section, measures in sections
        )
        if not drafts:
            raise DocumentError(DocumentProblem.EMPTY_TABLE)
        return PlanDraft(self.title, drafts, tuple(warnings), tuple(self.generated))

    def _group(self, rows: Iterable[PlanRow]) -> list[_Section]:
        sections: list[_Section] = []
        current: _Section | None = None
        top: _Section | None = None
        direction = ""
        for row in rows:
            if row.kind is RowKind.SECTION:
                number, title = split_section_heading(row.text)
                number = row.cell_number or number
                if (
                    number is not None
                    and top is not None
                    and top.number is not None
                    and len(number) > len(top.number)
                    and number[: len(top.number)] == top.number
                ):
                    # "1.1. Кадрова робота" under "1. Організаційні заходи": a subsection.
                    current = _Section(number, title, _Source.ROW, parent=top)
                else:
                    current = top = _Section(number, title, _Source.ROW)
                sections.append(current)
                direction = row.text
                continue
            if row.direction and section_heading_text(row.direction) != direction:
                direction = section_heading_text(row.direction)
                number, title = split_section_heading(direction)
                current = top = _Section(number, title, _Source.DIRECTION)
                sections.append(current)
            elif current is None or current.source in (_Source.NONE, _Source.PREFIX):
                raw = raw_number(row)
                if raw is not None and len(raw) > 1:
                    if current is None or current.number != raw[:1]:
                        number = raw[:1]
                        title = render("plan/section_title.txt", number=format_number(number))
                        current = top = _Section(number, title, _Source.PREFIX)
                        sections.append(current)
                elif current is None:
                    current = top = _Section(None, self.title, _Source.NONE)
                    sections.append(current)
            current.rows.append(row)
        with_rows = {id(section.parent) for section in sections if section.rows}
        return [s for s in sections if s.rows or id(s) in with_rows]

    def _numbered(self, sections: list[_Section]) -> list[tuple[_Section, list[_Numbered]]]:
        """Sections and their measures, each measure with its final number: the document's
        own wherever it has one, unique across the plan; «S.M» made up only where it has none."""
        directions = self._number_column_numbers_sections(sections)
        for section in sections:
            if section.number is None and section.parent is None:
                own = {row.cell_number for row in section.rows if row.cell_number is not None}
                if directions and len(own) == 1:
                    section.number = own.pop()
                else:
                    section.number = _common_prefix(section.rows)
        tops, owner = self._numbered_tops(sections)
        document = {
            id(row): number
            for section in sections
            for row in section.rows
            if (number := _document_number(row, directions)) is not None
        }
        local = self._numbers_are_local(sections, document)
        if local:
            self.notes.append(render("plan/local_numbers.txt"))
        taken: set[Number] = set()
        wanted: dict[int, Number] = {}
        for section in sections:
            for row in section.rows:
                number = document.get(id(row))
                if number is None:
                    continue
                if local and len(number) == 1:
                    number = _prefix(section) + number
                if number in taken:
                    continue  # a repeated number: renumbered below, with a warning
                taken.add(number)
                wanted[id(row)] = number
        result: list[tuple[_Section, list[_Numbered]]] = []
        for top in tops:
            measures: list[_Numbered] = []
            # In the document's order: a section continued under its heading again, and the
            # subsections of either, all belong to the first.
            for section in (s for s in sections if owner[id(s.parent or s)] is top):
                count = 0
                for row in section.rows:
                    count += 1
                    number = wanted.get(id(row))
                    if number is None:
                        number = _first_free(_prefix(section) + (count,), taken)
                        taken.add(number)
                        original = document.get(id(row))
                        if original is not None:
                            self.duplicates[number] = original
                        self.generated.append(format_number(number))
                    measures.append(_Numbered(row, number, section if section.parent else None))
            result.append((top, measures))
        return result

    def _numbered_tops(
        self, sections: list[_Section]
    ) -> tuple[list[_Section], dict[int, _Section]]:
        """Top-level sections with a unique number each, and the top each top-level section
        belongs to: one continued under its heading again belongs to the first; a different
        one with a taken number is renumbered, with a warning."""
        top_level = [section for section in sections if section.parent is None]
        explicit = {section.number for section in top_level if section.number is not None}
        by_number: dict[Number, _Section] = {}
        owner: dict[int, _Section] = {}
        last = 0
        for section in top_level:
            number = section.number
            if number is None:
                number = _first_free((last + 1,), explicit | by_number.keys())
            elif number in by_number and by_number[number].title != section.title:
                renumbered = _first_free(number, explicit | by_number.keys())
                self.notes.append(
                    render(
                        "plan/duplicate_section.txt",
                        number=format_number(number),
                        new_number=format_number(renumbered),
                    )
                )
                number = renumbered
            section.number = number
            last = number[0]
            owner[id(section)] = by_number.setdefault(number, section)
        return list(by_number.values()), owner

    def _number_column_numbers_sections(self, sections: list[_Section]) -> bool:
        """Whether the № column holds each direction's number, merged down its rows, rather
        than the measures' numbers: every direction of several rows repeats one number, and
        the directions' numbers differ."""
        if self.layout.get(Role.NUMBER) is None:
            return False
        per_section = []
        for section in sections:
            values = {row.cell_number for row in section.rows}
            if None in values or not section.rows:
                return False
            if len(section.rows) > 1:
                if len(values) != 1:
                    return False
                per_section.append(values.pop())
        firsts = [next(iter({row.cell_number for row in s.rows})) for s in sections if s.rows]
        return bool(per_section) and len(set(firsts)) == len(firsts)

    def _numbers_are_local(self, sections: list[_Section], document: dict[int, Number]) -> bool:
        """Whether single numbers count inside each section (1, 2 · 1, 2, or «ІІ» over «1»), so
        the section's number is part of the measure's; numbers running on through the
        sections (1–5 · 6–9), or a plan without sections, keep them as they are."""
        firsts, values = [], []
        for section in sections:
            if section.source is _Source.NONE:
                continue
            own = [document[id(r)][0] for r in section.rows if len(document.get(id(r), ())) == 1]
            if own:
                firsts.append(own[0])
                values.extend(own)
        if not firsts:
            return False
        if len(firsts) < 2:
            return True
        runs_on = all(b > a for a, b in itertools.pairwise(values))
        return not (runs_on and any(first != 1 for first in firsts[1:]))

    # Measures -----------------------------------------------------------------------------

    def _measure(self, item: _Numbered, warnings: list[str]) -> MeasureDraft:
        number = format_number(item.number)
        original = self.duplicates.get(item.number)
        if original is not None:
            warnings.append(
                render(
                    "plan/duplicate_number.txt",
                    number=format_number(original),
                    new_number=number,
                )
            )
        row = item.row
        for fragment in row.fragments:
            warnings.append(render("plan/joined_row.txt", number=number, content=cut(fragment)))
        if self.layout.get(Role.TERM) is not None and not row.term:
            warnings.append(render("plan/empty_term.txt", number=number))
        if self.layout.get(Role.RESPONSIBLE) is not None and not row.responsible:
            warnings.append(render("plan/empty_responsible.txt", number=number))
        kinds, unknown = _parse_kinds(row.kinds)
        for value in unknown:
            warnings.append(render("plan/unknown_kind.txt", number=number, value=value))
        sub = item.subsection
        return MeasureDraft(
            number=number,
            text=row.text,
            term=row.term,
            responsible=row.responsible,
            indicator=row.indicator,
            kinds=kinds,
            subsection_number=format_number(sub.number or ()) if sub else "",
            subsection_title=sub.title if sub else "",
        )

    def _column_warnings(self) -> list[str]:
        warnings = []
        if self.layout.get(Role.TERM) is None:
            warnings.append(render("plan/missing_term_column.txt"))
        if self.layout.get(Role.RESPONSIBLE) is None:
            warnings.append(render("plan/missing_responsible_column.txt"))
        return warnings


def _document_number(row: PlanRow, directions: bool) -> Number | None:
    """The number the document gives the measure; a № cell holding the direction's number
    is not the measure's."""
    if directions:
        return row.text_number
    return raw_number(row)


def _prefix(section: _Section) -> Number:
    return section.number or ()


def _common_prefix(rows: Iterable[PlanRow]) -> Number | None:
    prefixes = {raw[:1] for row in rows if (raw := raw_number(row)) is not None and len(raw) > 1}
    return prefixes.pop() if len(prefixes) == 1 else None


def _bump(number: Number) -> Number:
    return (*number[:-1], number[-1] + 1)


def _first_free(start: Number, taken: Collection[Number]) -> Number:
    number = start
    while number in taken:
        number = _bump(number)
    return number


# A kinds cell saying "all" is the same as an empty one: the measure applies everywhere.
_ALL_KINDS = {"усі", "всі", "усім", "всім", "усі заклади", "всі заклади", "для всіх", "для усіх"}


def _parse_kinds(text: str) -> tuple[tuple[EnterpriseKind, ...], list[str]]:
    if normalise_word(text).strip(" .") in _ALL_KINDS:
        return (), []
    return parse_kinds(text)

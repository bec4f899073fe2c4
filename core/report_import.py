"""An organisation's own report document read in as answers: its rows matched to the plan's
measures, its caption read, and which organisation it is from guessed from its words.

Rows are matched by number first; a number whose text is clearly another measure's (the
organisation numbers its own way) falls back to text, as does a row with no number. Texts are
compared with rapidfuzz's token_set_ratio over crudely stemmed words, since a report may shorten
a measure («Навчання працівників з етичної поведінки») or inflect it («Проведення службових
розслідувань»). Each measure takes one row at most, the most alike first.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils

from core.models import Enterprise, Measure, MeasureStatus
from core.periods import Period
from core.report_status import guess_status

# A number match stands unless the texts are clearly different (unrelated measures score
# 35–58, the same measure reworded 79–100); a text match needs this much on its own.
NUMBER_AGREES = 50
TEXT_MATCH = 70
STEM = 5  # letters kept of each word: «розслідувань», «розслідування» are one word
# The organisation named in a document: partial_ratio of its name within the text.
NAME_SURE = 90
NAME_CANDIDATE = 70
CANDIDATES = 3


@dataclass(frozen=True, slots=True)
class ImportedRow:
    """A measure's row as the document gives it: number ("" if none), text, narrative."""

    number: str
    text: str
    progress: str


@dataclass(frozen=True, slots=True)
class RowMatch:
    row: ImportedRow
    measure: Measure
    status: MeasureStatus
    by_number: bool


@dataclass(frozen=True, slots=True)
class ImportMatch:
    """What a document says about the plan: matched answers, rows that fit no measure,
    measures the document does not answer (absent, or a row with an empty narrative)."""

    matched: tuple[RowMatch, ...]  # in plan order
    unmatched: tuple[ImportedRow, ...]
    missing: tuple[Measure, ...]

    def count(self, status: MeasureStatus | str) -> int:
        """How many answers have the status (templates name it by its value: "done")."""
        return sum(1 for m in self.matched if m.status == status)

    @property
    def for_review(self) -> tuple[RowMatch, ...]:
        """The guessed statuses worth a look first: all but «виконано» (the default), then
        the rest, each in plan order."""
        return tuple(sorted(self.matched, key=lambda m: m.status is MeasureStatus.DONE))

    @property
    def by_number(self) -> int:
        return sum(1 for m in self.matched if m.by_number)


def _stemmed(text: str) -> str:
    return " ".join(word[:STEM] for word in utils.default_process(text).split())


def _similarity(a: str, b: str) -> float:
    return float(fuzz.token_set_ratio(_stemmed(a), _stemmed(b)))


def _bare(number: str) -> str:
    return number.strip().rstrip(".")


def match_rows(rows: Sequence[ImportedRow], measures: Sequence[Measure]) -> ImportMatch:
    """Match the document's rows to the measures (those that apply to the organisation)."""
    taken: dict[int, tuple[int, bool]] = {}  # measure index -> (row index, by number)
    by_number = {_bare(m.number): i for i, m in enumerate(measures)}
    left: list[int] = []
    for r, row in enumerate(rows):
        index = by_number.get(_bare(row.number)) if row.number else None
        agrees = index is not None and (
            not row.text.strip() or _similarity(row.text, measures[index].text) >= NUMBER_AGREES
        )
        if index is not None and agrees and index not in taken:
            taken[index] = (r, True)
        else:
            left.append(r)
    free = [i for i in range(len(measures)) if i not in taken]
    if left and free:
        scores = process.cdist(
            [_stemmed(rows[r].text) for r in left],
            [_stemmed(measures[i].text) for i in free],
            scorer=fuzz.token_set_ratio,
            score_cutoff=TEXT_MATCH,
            workers=1,
        )
        pairs = sorted(
            (-float(scores[a][b]), a, b)
            for a in range(len(left))
            for b in range(len(free))
            if scores[a][b] >= TEXT_MATCH
        )
        used: set[int] = set()
        for _, a, b in pairs:
            if a in used or free[b] in taken:
                continue
            used.add(a)
            taken[free[b]] = (left[a], False)
    matched: list[RowMatch] = []
    missing: list[Measure] = []
    for i, measure in enumerate(measures):
        found = taken.get(i)
        status = guess_status(rows[found[0]].progress) if found else None
        if found is None or status is None:
            missing.append(measure)
            continue
        matched.append(RowMatch(rows[found[0]], measure, status, by_number=found[1]))
    used_rows = {r for r, _ in taken.values()}
    unmatched = tuple(row for r, row in enumerate(rows) if r not in used_rows)
    return ImportMatch(tuple(matched), unmatched, tuple(missing))


# --- The caption and the organisation --------------------------------------------------------

_CODE = re.compile(r"(?<!\d)\d{8}(?!\d)")
_PERIOD = re.compile(r"(?<![\w])\d{4}(?:[Qq][1-4]|[Hh][12])(?!\w)")
_NUMBER = re.compile(r"\d+")


@dataclass(frozen=True, slots=True)
class Caption:
    """What the coordinator wrote under the document: an ЄДРПОУ, a period code, other words."""

    edrpou: str | None = None
    period: Period | None = None
    words: str = ""


def parse_caption(text: str | None) -> Caption:
    """«44102318 2026Q1», «Ліцей № 7», or nothing: each part is optional (a quarter or a
    half-year code only: a bare year is as likely a date in the words)."""
    text = text or ""
    code = _CODE.search(text)
    rest = _CODE.sub(" ", text)
    period_code = _PERIOD.search(rest)
    if period_code:
        rest = _PERIOD.sub(" ", rest)
    return Caption(
        edrpou=code.group() if code else None,
        period=Period.parse(period_code.group()) if period_code else None,
        words=" ".join(rest.split()),
    )


def _name_score(enterprise: Enterprise, text: str) -> float:
    """How surely the text names the organisation; every number in its name («Ліцей № 7»)
    must stand in the text as a whole number, so «№ 7» never passes for «№ 17»."""
    numbers = set(_NUMBER.findall(text))
    best = 0.0
    for name in (enterprise.name, enterprise.short_name):
        if not name.strip() or not set(_NUMBER.findall(name)) <= numbers:
            continue
        best = max(best, float(fuzz.partial_ratio(name, text, processor=utils.default_process)))
    return best


def guess_enterprises(text: str, enterprises: Sequence[Enterprise]) -> list[Enterprise]:
    """The organisations the text may name, likeliest first: one when it is sure (its name
    stands in the text and no other's nearly does), else up to CANDIDATES, or none."""
    if not text.strip():
        return []
    scored = sorted(
        ((score, e) for e in enterprises if (score := _name_score(e, text)) >= NAME_CANDIDATE),
        key=lambda pair: -pair[0],
    )
    if not scored:
        return []
    best = scored[0][0]
    if best >= NAME_SURE and (len(scored) == 1 or scored[1][0] < best - 5):
        return [scored[0][1]]
    return [e for _, e in scored[:CANDIDATES]]

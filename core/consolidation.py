"""One measure's answers condensed into facts: shares, common actions, shortfalls, totals.

Pure and bounded: whatever the number of organisations, a measure yields a fixed number of
facts, each taken from the answers (the wording is the templates' business). Near-duplicate
sentences are grouped with rapidfuzz, a C++ library of string metrics with no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process, utils

from core.models import Enterprise, MeasureStatus
from core.summary import IndicatorSummary, MeasureSummary, StatusCounts

# Two sentences are "the same action" from this token_sort_ratio score up, numbers aside.
SIMILARITY = 72
MAX_GROUPS = 4
MAX_SHORTFALLS = 3
SENTENCE_LIMIT = 180
REASON_LIMIT = 90

# A number as written: "5", "12,5", a date "4.03.2026", a time "10:00", "1/2".
_NUMBER = re.compile(r"(?<![\w.,/:-])\d+(?:[.,/:-]\d+)*(?!\w)")
_SENTENCE_END = re.compile(r"(?<=[.!?…;])\s+(?=[^\s\da-zа-яіїєґ])|\n+")
_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True, slots=True)
class ActionGroup:
    """A sentence that several organisations wrote in near-identical words.

    ``sentence`` is the first organisation's sentence (shortened at a word if long) with the
    numbers that differ across the group elided (see merged_sentence); every other
    organisation wrote a sentence at least SIMILARITY alike, numbers aside.
    """

    sentence: str
    enterprises: tuple[Enterprise, ...]
    in_progress: bool = False  # its authors answered «виконується»


@dataclass(frozen=True, slots=True)
class Shortfall:
    """An organisation that did not do the measure, and the start of what it wrote."""

    enterprise: Enterprise
    reason: str


@dataclass(frozen=True, slots=True)
class MeasureFacts:
    """Everything a consolidated text of one measure may state."""

    summary: MeasureSummary
    groups: tuple[ActionGroup, ...]  # the largest first
    shortfalls: tuple[Shortfall, ...]  # at most MAX_SHORTFALLS
    shortfalls_total: int
    indicators: tuple[IndicatorSummary, ...]  # those attached to this measure

    @property
    def counts(self) -> StatusCounts:
        return self.summary.counts

    @property
    def done_share(self) -> int | None:
        """Percent done among those the measure applies to and did not call it inapplicable."""
        return share(self.counts.done, self.counts.total - self.counts.not_applicable)


def share(part: int, whole: int) -> int | None:
    """A whole percent rounded half up, as people round; None of nothing."""
    if whole <= 0:
        return None
    return (200 * part + whole) // (2 * whole)


def basis(summary: MeasureSummary, indicators: Sequence[IndicatorSummary]) -> str:
    """What an edited text was written against: the counts and the attached totals.

    A later answer that changes any of them makes the edit possibly out of date.
    """
    c = summary.counts
    parts = [f"{c.done}/{c.in_progress}/{c.not_done}/{c.not_applicable}/{c.not_reported}"]
    parts += [
        f"{i.indicator.code}={i.total if i.reported else '-'}"
        for i in sorted(indicators, key=lambda i: i.indicator.code)
    ]
    return ";".join(parts)


def attached(summary: MeasureSummary, indicators: Sequence[IndicatorSummary]) -> tuple[
    IndicatorSummary, ...
]:  # fmt: skip
    """The indicators that belong to this measure, by its number."""
    number = summary.measure.number
    return tuple(i for i in indicators if i.indicator.measure_number == number)


def measure_facts(summary: MeasureSummary, indicators: Sequence[IndicatorSummary]) -> MeasureFacts:
    """The facts of one measure; ``indicators`` are all the summary's, filtered here."""
    failing = [n for n in summary.narratives if n.status is MeasureStatus.NOT_DONE]
    silent_failures = [
        s.enterprise
        for s in summary.states
        if s.status is MeasureStatus.NOT_DONE
        and all(n.enterprise.id != s.enterprise.id for n in failing)
    ]
    shortfalls = [
        Shortfall(n.enterprise, shorten(n.parts[-1].text, REASON_LIMIT)) for n in failing
    ]
    shortfalls += [Shortfall(e, "") for e in silent_failures]
    return MeasureFacts(
        summary=summary,
        groups=group_actions(summary),
        shortfalls=tuple(shortfalls[:MAX_SHORTFALLS]),
        shortfalls_total=len(shortfalls),
        indicators=attached(summary, indicators),
    )


def group_actions(summary: MeasureSummary) -> tuple[ActionGroup, ...]:
    """The sentences of «виконано»/«виконується» answers, grouped by near-duplicates.

    Only sentences alike in status and in sense are grouped: «виконано» with «виконано», and
    an affirmation never with a negation or a plan («не проведено», «заплановано»), which
    score as near-duplicates otherwise. In a roll-up only the latest quarter's text counts, as
    the status does. Groups are ordered by how many organisations wrote them, then by plan
    order of their first author; at most MAX_GROUPS. An organisation counts once per group.
    """
    # (status, negated) -> normalised sentence -> the (enterprise, sentence) pairs that read so.
    pools: dict[tuple[MeasureStatus, bool], dict[str, list[tuple[Enterprise, str]]]] = {}
    for narrative in summary.narratives:
        status = narrative.status
        if status not in (MeasureStatus.DONE, MeasureStatus.IN_PROGRESS):
            continue
        for sentence in sentences(narrative.parts[-1].text):
            key = _normalised(sentence)
            if key:
                pool = pools.setdefault((status, _negated(key)), {})
                pool.setdefault(key, []).append((narrative.enterprise, sentence))
    groups = [
        group
        for (status, _), authors in pools.items()
        for group in _clusters(authors, in_progress=status is MeasureStatus.IN_PROGRESS)
    ]
    # Stable: equal sizes keep "done" before "in progress", then the leaders' order.
    groups.sort(key=lambda g: -len(g.enterprises))
    return tuple(groups[:MAX_GROUPS])


def _clusters(
    authors: dict[str, list[tuple[Enterprise, str]]], *, in_progress: bool
) -> list[ActionGroup]:
    keys = list(authors)
    scores = process.cdist(
        keys, keys, scorer=fuzz.token_sort_ratio, score_cutoff=SIMILARITY, workers=1
    )
    neighbours = [np.flatnonzero(row >= SIMILARITY).tolist() for row in scores]

    def reach(index: int) -> int:
        return len({e.id for j in neighbours[index] for e, _ in authors[keys[j]]})

    taken: set[int] = set()
    groups: list[ActionGroup] = []
    for leader in sorted(range(len(keys)), key=lambda i: (-reach(i), i)):
        if leader in taken:
            continue
        members = [j for j in neighbours[leader] if j not in taken]
        taken.update(members)
        first, sentence = authors[keys[leader]][0]
        written = {first.id: sentence}  # one sentence per organisation, its first in the group
        enterprises = [first]
        for j in members:
            for enterprise, own in authors[keys[j]]:
                if enterprise.id not in written:
                    written[enterprise.id] = own
                    enterprises.append(enterprise)
        merged = merged_sentence([written[e.id] for e in enterprises])
        groups.append(
            ActionGroup(shorten(merged, SENTENCE_LIMIT), tuple(enterprises), in_progress)
        )
    return groups


# A sentence that says something was not done, or is only planned. «не» in mid-sentence is
# left alone: «порушень не виявлено» is a finding of work done.
_NEGATION = re.compile(
    r"^(не|ні|немає)\b|\bще не\b|\bне було\b|\bне (проведено|виконано|оновлено|подано)\b"
    r"|\bзаплан\w*|\bпланує\w*|\bбуде\b|\bбудуть\b|\bвідсутн\w*"
)


def _negated(normalised: str) -> bool:
    return _NEGATION.search(normalised) is not None


def merged_sentence(written: Sequence[str]) -> str:
    """The first sentence with its numbers made true of all the group.

    A number stays where every sentence has the same one in the same place; any other becomes
    «…». Numbers are never added up: «15 березня» and «20 березня» are no «35 березня», and the
    measure's totals come from its indicators, which are counts by definition.
    """
    first = written[0]
    found = [list(_NUMBER.finditer(text)) for text in written]
    if any(len(numbers) != len(found[0]) for numbers in found):
        return _NUMBER.sub("…", first)
    pieces: list[str] = []
    end = 0
    for place, match in enumerate(found[0]):
        values = {numbers[place].group() for numbers in found}
        pieces.append(first[end : match.start()] + (match.group() if len(values) == 1 else "…"))
        end = match.end()
    return "".join(pieces) + first[end:]


def sentences(text: str) -> list[str]:
    """The sentences of a narrative, trimmed; a bullet or dash at the start is dropped."""
    found = []
    for piece in _SENTENCE_END.split(text):
        piece = piece.strip().lstrip("-–—•*· ").strip()
        if piece:
            found.append(piece)
    return found


def _normalised(sentence: str) -> str:
    """Lower case, punctuation gone, every number the same: "5 нарад" reads as "12 нарад"."""
    return str(utils.default_process(_DIGITS.sub("0", sentence)))


def shorten(text: str, limit: int) -> str:
    """``text`` cut at a word to at most ``limit`` characters, with «…» if cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:–—-") + "…"

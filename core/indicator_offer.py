"""Which numbers a plan asks: the indicators offered when a plan is saved, each proposed for a
measure, and the coordinator's choice among them.

A plan file names no numeric indicators. The bot offers its default list (and whatever the
plan's previous version asked besides); nothing is switched on but what that previous version
already asked, so saving a plan never adds numbers nobody chose.

Each offered indicator is proposed for the measure whose text and «Очікуваний результат» share
its distinctive words. Words are crudely stemmed (their first letters) and two stems are one
word when rapidfuzz's ratio says they differ by a letter («надано» / «надавати»). A word weighs
more the fewer measures have it (a smoothed inverse document frequency), and words every
anti-corruption text has («корупції», «працівників») weigh nothing. The measure covering the
largest share of the label's weight, at least PROPOSE_SHARE and strictly more than any other,
is proposed; otherwise the indicator belongs to no measure and is asked at the end of the
questionnaire. An indicator the previous version attached to a measure that the new plan still
has stays there.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

from rapidfuzz import fuzz, utils

from core.models import IndicatorDef, MeasureDraft, PlanDraft

STEM = 5  # letters kept of each word: «консультацій», «консультації» are one word
MIN_WORD = 4  # shorter words («з», «про», «які») say nothing
SAME_STEM = 80  # fuzz.ratio of two stems from which they are one word (one letter apart)
PROPOSE_SHARE = 0.4  # the share of a label's weight a measure must cover
MAX_OFFERED = 20  # indicators shown at once: a preview line and a button each
# Stems of the words every measure and indicator of such a plan may have.
GENERIC = frozenset({"питан", "запоб", "коруп", "антик", "праці", "осіб", "особа", "щодо"})


@dataclass(frozen=True, slots=True)
class Offered:
    """An indicator offered with a plan: `measure_number` is the measure proposed ("" none)."""

    indicator: IndicatorDef
    chosen: bool = False


@dataclass(frozen=True, slots=True)
class PendingPlan:
    """A plan file read but not yet saved: the plan and the indicators offered with it."""

    id: int
    filename: str
    draft: PlanDraft
    offered: tuple[Offered, ...]

    @property
    def chosen(self) -> int:
        return sum(1 for item in self.offered if item.chosen)


def _words(text: str) -> list[str]:
    stems = (word[:STEM] for word in utils.default_process(text).split() if len(word) >= MIN_WORD)
    return [stem for stem in stems if stem not in GENERIC]


def _has(stems: Sequence[str], stem: str) -> bool:
    return any(fuzz.ratio(stem, other) >= SAME_STEM for other in stems)


def propose_measure(label: str, measures: Sequence[MeasureDraft]) -> str:
    """The number of the measure an indicator of this label belongs to; "" when none is clear."""
    texts = [_words(f"{m.text} {m.indicator}") for m in measures]
    words = list(dict.fromkeys(_words(label)))
    if not words or not measures:
        return ""
    present = {word: [_has(text, word) for text in texts] for word in words}
    weight = {
        word: math.log((1 + len(texts)) / (1 + sum(found))) + 1 for word, found in present.items()
    }
    total = sum(weight.values())
    shares = [
        sum(weight[word] for word in words if present[word][index]) / total
        for index in range(len(texts))
    ]
    ranked = sorted(range(len(shares)), key=lambda index: -shares[index])
    best = ranked[0]
    runner_up = shares[ranked[1]] if len(ranked) > 1 else 0.0
    if shares[best] < PROPOSE_SHARE or shares[best] <= runner_up:
        return ""
    return measures[best].number


def offer(
    candidates: Sequence[IndicatorDef],
    draft: PlanDraft,
    previous: Sequence[IndicatorDef] = (),
) -> tuple[Offered, ...]:
    """What the preview of `draft` offers: `candidates` and then the previous version's other
    indicators (MAX_OFFERED at most); on are those the previous version asked."""
    measures = [m for section in draft.sections for m in section.measures]
    numbers = {m.number for m in measures}
    before = {i.code: i for i in previous}
    codes = list(dict.fromkeys([*(i.code for i in candidates), *before]))[:MAX_OFFERED]
    known = {i.code: i for i in (*previous, *candidates)}  # a default's own wording wins
    offered: list[Offered] = []
    for code in codes:
        indicator = known[code]
        kept = before[code].measure_number if code in before else ""
        number = kept if kept in numbers else propose_measure(indicator.label, measures)
        offered.append(
            Offered(
                replace(indicator, measure_number=number, position=len(offered) + 1),
                chosen=code in before,
            )
        )
    return tuple(offered)


def toggled(offered: Sequence[Offered], index: int) -> tuple[Offered, ...] | None:
    """The offer with the indicator at `index` switched on or off; None if there is none."""
    if not 0 <= index < len(offered):
        return None
    item = offered[index]
    return (*offered[:index], replace(item, chosen=not item.chosen), *offered[index + 1 :])


def chosen_indicators(offered: Sequence[Offered]) -> tuple[IndicatorDef, ...]:
    """The indicators switched on, numbered in order, each with its proposed measure."""
    chosen = [item.indicator for item in offered if item.chosen]
    return tuple(replace(i, position=n) for n, i in enumerate(chosen, start=1))


def choose(offered: Sequence[Offered], codes: Sequence[str]) -> tuple[Offered, ...] | str:
    """The offer with exactly `codes` on (the command line's choice); a code not offered, as is."""
    wanted = set(codes)
    unknown = [code for code in codes if code not in {o.indicator.code for o in offered}]
    if unknown:
        return unknown[0]
    return tuple(replace(item, chosen=item.indicator.code in wanted) for item in offered)

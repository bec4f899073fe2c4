"""Each measure's consolidated «Стан виконання»: the draft from its facts, or the edit.

The draft is bounded: groups of common actions are added while the text fits TEXT_LIMIT, so
its length does not grow with the number of organisations.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.consolidation import MeasureFacts, basis, measure_facts
from core.models import Enterprise
from core.summary import MeasureSummary, Summary, TextEdit
from templates import render

TEXT_LIMIT = 1200
NAMES_SHOWN = 2
NAME_LIMIT = 60


@dataclass(frozen=True, slots=True)
class GroupLine:
    sentence: str
    count: int
    names: tuple[str, ...]  # the first NAMES_SHOWN
    hidden: int  # how many more
    in_progress: bool


@dataclass(frozen=True, slots=True)
class MeasureText:
    """What the report prints for one measure, and where it came from."""

    facts: MeasureFacts
    draft: str
    edit: TextEdit | None

    @property
    def text(self) -> str:
        return self.edit.text if self.edit is not None else self.draft

    @property
    def basis(self) -> str:
        return basis(self.facts.summary, self.facts.indicators)

    @property
    def stale(self) -> bool:
        """An edit written against other counts or totals than the answers give now."""
        return self.edit is not None and self.edit.basis != self.basis


def display_name(enterprise: Enterprise) -> str:
    name = enterprise.display_name
    return name if len(name) <= NAME_LIMIT else name[: NAME_LIMIT - 1].rstrip() + "…"


def draft_text(facts: MeasureFacts) -> str:
    """The drafted text, at most TEXT_LIMIT characters, the largest groups kept first."""
    groups = [
        GroupLine(
            sentence=g.sentence.rstrip(".;"),
            count=len(g.enterprises),
            names=tuple(display_name(e) for e in g.enterprises[:NAMES_SHOWN]),
            hidden=max(0, len(g.enterprises) - NAMES_SHOWN),
            in_progress=g.in_progress,
        )
        for g in facts.groups
    ]
    shortfalls = [(display_name(s.enterprise), s.reason) for s in facts.shortfalls]
    while True:
        text = render(
            "summary/measure_text.txt",
            facts=facts,
            groups=groups,
            shortfalls=shortfalls,
            hidden_shortfalls=facts.shortfalls_total - len(shortfalls),
        )
        if len(text) <= TEXT_LIMIT:
            return text
        if groups:
            groups.pop()
        elif shortfalls:
            shortfalls.pop()
        else:  # only the fixed lines are left; they are far shorter, so this is a guard
            return text[: TEXT_LIMIT - 1] + "…"


def measure_text(summary: Summary, item: MeasureSummary) -> MeasureText:
    facts = measure_facts(item, summary.indicators)
    return MeasureText(facts=facts, draft=draft_text(facts), edit=summary.edit_of(item.measure))


def measure_texts(summary: Summary) -> dict[int, MeasureText]:
    """Every measure's text, by measure id."""
    return {m.measure.id: measure_text(summary, m) for m in summary.measures}

"""The measure × organisation matrix of a summary: each measure's states, narratives and
evidence, the plan's sections, and each indicator's values and total."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from core.models import (
    Answer,
    Attachment,
    Enterprise,
    IndicatorDef,
    Measure,
    MeasureStatus,
    ReportData,
)
from core.periods import Period
from core.status_counts import StatusCounts


@dataclass(frozen=True, slots=True)
class EnterpriseState:
    """One cell of the measure × enterprise matrix."""

    enterprise: Enterprise
    applies: bool
    status: MeasureStatus | None  # None: did not report (or the measure does not apply)


@dataclass(frozen=True, slots=True)
class PeriodNarrative:
    """What an enterprise wrote about a measure in the report for one period (a quarter)."""

    period: Period
    text: str


@dataclass(frozen=True, slots=True)
class EnterpriseNarrative:
    """An enterprise's narratives for one measure, oldest period first.

    A quarterly summary has one part; a roll-up has one part per quarter that has text. The
    renderers join the parts and prefix each with its quarter label (a template), because
    wording is not the core's business.
    """

    enterprise: Enterprise
    status: MeasureStatus | None
    parts: tuple[PeriodNarrative, ...]


@dataclass(frozen=True, slots=True)
class MeasureAttachment:
    enterprise: Enterprise
    period: Period
    attachment: Attachment


@dataclass(frozen=True, slots=True)
class MeasureSummary:
    measure: Measure
    counts: StatusCounts
    states: tuple[EnterpriseState, ...]  # one per enterprise, registry order
    narratives: tuple[EnterpriseNarrative, ...]  # registry order, only those with text
    attachments: tuple[MeasureAttachment, ...]

    @property
    def not_reported(self) -> int:
        return self.counts.not_reported

    @property
    def fully_done(self) -> bool:
        """True when the measure is done everywhere it could be done.

        Precisely: nobody it applies to failed to report (``not_reported == 0``), every status
        is DONE or NOT_APPLICABLE (no IN_PROGRESS, no NOT_DONE), and at least one enterprise
        answered DONE. A measure that applies to nobody, or that everybody marked "не
        застосовується", is therefore not fully done: there is nothing to sign off.
        """
        counts = self.counts
        return (
            counts.not_reported == 0
            and counts.in_progress == 0
            and counts.not_done == 0
            and counts.done > 0
        )


@dataclass(frozen=True, slots=True)
class SectionSummary:
    number: str
    title: str
    measures: tuple[MeasureSummary, ...]

    @property
    def fully_done(self) -> int:
        """How many of the section's measures are fully done (see MeasureSummary.fully_done)."""
        return sum(1 for m in self.measures if m.fully_done)

    @property
    def counts(self) -> StatusCounts:
        return sum((m.counts for m in self.measures), StatusCounts())


@dataclass(frozen=True, slots=True)
class EnterpriseValue:
    enterprise: Enterprise
    value: int | None  # None: not reported, not counted in the total


@dataclass(frozen=True, slots=True)
class IndicatorSummary:
    indicator: IndicatorDef
    total: int
    values: tuple[EnterpriseValue, ...]  # one per enterprise, registry order

    @property
    def reported(self) -> int:
        """How many enterprises gave a value."""
        return sum(1 for v in self.values if v.value is not None)


def summarise_measure(
    measure: Measure,
    enterprises: Sequence[Enterprise],
    by_enterprise: dict[int, list[ReportData]],
    answers_by_report: dict[int, dict[int, Answer]],
) -> MeasureSummary:
    states: list[EnterpriseState] = []
    narratives: list[EnterpriseNarrative] = []
    attachments: list[MeasureAttachment] = []
    for enterprise in enterprises:
        if not measure.applies_to(enterprise.kind):
            states.append(EnterpriseState(enterprise, applies=False, status=None))
            continue
        history = by_enterprise[enterprise.id]
        status: MeasureStatus | None = None
        for data in reversed(history):
            answer = answers_by_report[data.report.id].get(measure.id)
            if answer is not None and answer.status is not None:
                status = answer.status
                break
        states.append(EnterpriseState(enterprise, applies=True, status=status))
        parts: list[PeriodNarrative] = []
        for data in history:
            answer = answers_by_report[data.report.id].get(measure.id)
            if answer is not None and answer.narrative.strip():
                parts.append(PeriodNarrative(data.round.period, answer.narrative.strip()))
            attachments.extend(
                MeasureAttachment(enterprise, data.round.period, attachment)
                for attachment in data.attachments
                if attachment.measure_id == measure.id
            )
        if parts:
            narratives.append(EnterpriseNarrative(enterprise, status, tuple(parts)))
    counts = StatusCounts.tally(s.status for s in states if s.applies)
    return MeasureSummary(
        measure=measure,
        counts=counts,
        states=tuple(states),
        narratives=tuple(narratives),
        attachments=tuple(attachments),
    )


def group_sections(measures: Sequence[MeasureSummary]) -> tuple[SectionSummary, ...]:
    """Group by section in order of first appearance, which is plan order."""
    groups: dict[tuple[str, str], list[MeasureSummary]] = {}
    for summary in measures:
        key = (summary.measure.section_number, summary.measure.section_title)
        groups.setdefault(key, []).append(summary)
    return tuple(
        SectionSummary(number=number, title=title, measures=tuple(items))
        for (number, title), items in groups.items()
    )


def summarise_indicator(
    indicator: IndicatorDef,
    enterprises: Sequence[Enterprise],
    by_enterprise: dict[int, list[ReportData]],
) -> IndicatorSummary:
    values: list[EnterpriseValue] = []
    for enterprise in enterprises:
        given = [
            data.indicator_values[indicator.code]
            for data in by_enterprise[enterprise.id]
            if indicator.code in data.indicator_values
        ]
        values.append(EnterpriseValue(enterprise, sum(given) if given else None))
    total = sum(v.value for v in values if v.value is not None)
    return IndicatorSummary(indicator=indicator, total=total, values=tuple(values))

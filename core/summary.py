"""The consolidated summary of a period: statuses, narratives and totals that every renderer uses.

Pure: the caller passes the reports, the registry and the clock reading; nothing is read here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from core.models import (
    Answer,
    Enterprise,
    IndicatorDef,
    Measure,
    MeasureStatus,
    PeriodKind,
    Plan,
    ReportData,
)
from core.periods import Period
from core.status_counts import StatusCounts
from core.submissions import Submission, submission_of, whole_period_submission
from core.summary_matrix import (
    EnterpriseNarrative,
    EnterpriseState,
    EnterpriseValue,
    IndicatorSummary,
    MeasureAttachment,
    MeasureSummary,
    PeriodNarrative,
    SectionSummary,
    group_sections,
    summarise_indicator,
    summarise_measure,
)

__all__ = [
    "PROPOSAL_SLOT",
    "AnswerRecord",
    "EnterpriseNarrative",
    "EnterpriseState",
    "EnterpriseValue",
    "IndicatorSummary",
    "MeasureAttachment",
    "MeasureSummary",
    "OwnReport",
    "PeriodNarrative",
    "SectionSummary",
    "StatusCounts",
    "Submission",
    "Summary",
    "TextEdit",
    "build_summary",
    "measure_slot",
    "on_plan",
    "renumbering",
]


@dataclass(frozen=True, slots=True)
class AnswerRecord:
    """One answer as submitted, for the raw-answers sheet."""

    enterprise: Enterprise
    period: Period
    measure: Measure
    status: MeasureStatus | None
    narrative: str
    submitted_at: datetime | None
    version: int
    late: bool


@dataclass(frozen=True, slots=True)
class TextEdit:
    """The coordinator's own text for one slot of a period's report, replacing the draft."""

    slot: str  # measure_slot(number) or PROPOSAL_SLOT
    text: str
    basis: str  # core.consolidation.basis at the time of the edit ("" for the proposal)
    edited_at: datetime
    edited_by: int | None


PROPOSAL_SLOT = "proposal"


def measure_slot(number: str) -> str:
    return f"measure:{number}"


@dataclass(frozen=True, slots=True)
class Summary:
    period: Period
    plan: Plan
    generated_at: datetime
    enterprises: tuple[Enterprise, ...]
    sections: tuple[SectionSummary, ...]
    indicators: tuple[IndicatorSummary, ...]
    submissions: tuple[Submission, ...]  # one per reporting period (quarter), oldest first
    submission: Submission  # the whole period, see build_summary
    answers: tuple[AnswerRecord, ...]
    indicators_summed_over_quarters: bool
    edits: Mapping[str, TextEdit] = field(default_factory=dict)

    @property
    def loose_indicators(self) -> tuple[IndicatorSummary, ...]:
        """Indicators attached to no measure of this plan: the report's totals block."""
        numbers = {m.measure.number for m in self.measures}
        return tuple(i for i in self.indicators if i.indicator.measure_number not in numbers)

    @property
    def closes_plan(self) -> bool:
        """The period ends with the plan's last year: the letter proposes taking it off control."""
        return self.period.end == date(self.plan.year_to, 12, 31)

    def edit_of(self, measure: Measure) -> TextEdit | None:
        return self.edits.get(measure_slot(measure.number))

    @property
    def is_rollup(self) -> bool:
        """A half-year or annual summary built from several quarterly rounds."""
        return self.period.kind is not PeriodKind.QUARTER

    @property
    def measures(self) -> tuple[MeasureSummary, ...]:
        return tuple(m for s in self.sections for m in s.measures)

    @property
    def counts(self) -> StatusCounts:
        return sum((s.counts for s in self.sections), StatusCounts())

    @property
    def fully_done(self) -> int:
        return sum(s.fully_done for s in self.sections)


@dataclass(frozen=True, slots=True)
class OwnReport:
    """What the organisation submitted for one period, as the document needs it."""

    plan: Plan
    period: Period
    enterprise: Enterprise
    person_name: str
    measures: Sequence[Measure]  # those that apply to the organisation, plan order
    answers: dict[int, Answer]  # by measure id
    indicators: Sequence[IndicatorDef]
    values: dict[str, int | None]  # by indicator code; absent or None: not given
    made_at: datetime  # when the document is made: its date


def build_summary(
    *,
    period: Period,
    plan: Plan,
    measures: Sequence[Measure],
    enterprises: Sequence[Enterprise],
    reports: Sequence[ReportData],
    indicators: Sequence[IndicatorDef],
    generated_at: datetime,
    edits: Mapping[str, TextEdit] | None = None,
) -> Summary:
    """Consolidate the reports of ``period`` into one summary.

    - ``enterprises`` are the active ones in registry order; reports of others are ignored, as
      are reports of rounds whose period lies outside ``period``.
    - A report counts when SUBMITTED or ACCEPTED; anything else is "did not report". If an
      enterprise has several counting reports for the same period, the one of the latest opened
      round (then the higher version) is used.
    - A measure is counted only against enterprises it applies to.
    - An enterprise's status for a measure comes from its latest counting report (by round period
      end) that gives a status for it. No such report means "did not report" for that measure.
    - Narratives keep one part per period, oldest first; indicator values are summed over the
      periods (a missing value is not counted, and an enterprise with no value at all is None).
    - ``submissions`` has one entry per reporting period found in the rounds (or just ``period``
      when there are none). ``submission`` is the whole period: on time = reported for every
      period and never late; late = reported for every period, late at least once; missing =
      missed at least one period.
    """
    enterprise_list = tuple(enterprises)
    known_enterprises = {e.id for e in enterprise_list}
    ordered_measures = sorted(measures, key=lambda m: m.position)  # stable: equal keeps order
    measure_ids = {m.id for m in ordered_measures}
    order = {m.id: index for index, m in enumerate(ordered_measures)}

    relevant = [
        r
        for r in reports
        if r.report.enterprise_id in known_enterprises and period.contains(r.round.period)
    ]
    periods = sorted({r.round.period for r in relevant}, key=_period_key)
    if not periods:
        periods = [period]

    chosen = _latest_per_period(r for r in relevant if r.report.handed_in)
    # Per enterprise: its counting reports, oldest period first.
    by_enterprise: dict[int, list[ReportData]] = {e.id: [] for e in enterprise_list}
    for data in sorted(chosen, key=lambda d: _period_key(d.round.period)):
        by_enterprise[data.report.enterprise_id].append(data)
    answers_by_report: dict[int, dict[int, Answer]] = {
        d.report.id: {a.measure_id: a for a in d.answers} for d in chosen
    }

    measure_summaries = [
        summarise_measure(measure, enterprise_list, by_enterprise, answers_by_report)
        for measure in ordered_measures
    ]
    sections = group_sections(measure_summaries)

    indicator_summaries = tuple(
        summarise_indicator(indicator, enterprise_list, by_enterprise)
        for indicator in sorted(indicators, key=lambda i: i.position)
    )

    submissions = tuple(submission_of(p, enterprise_list, chosen) for p in periods)
    submission = whole_period_submission(period, enterprise_list, submissions)

    measures_by_id = {m.id: m for m in ordered_measures}
    enterprises_by_id = {e.id: e for e in enterprise_list}
    answers = tuple(
        AnswerRecord(
            enterprise=enterprises_by_id[data.report.enterprise_id],
            period=data.round.period,
            measure=measures_by_id[answer.measure_id],
            status=answer.status,
            narrative=answer.narrative,
            submitted_at=data.report.submitted_at,
            version=data.report.version,
            late=data.report.late,
        )
        for enterprise in enterprise_list
        for data in by_enterprise[enterprise.id]
        for answer in sorted(data.answers, key=lambda a: order.get(a.measure_id, len(order)))
        if answer.measure_id in measure_ids
        and measures_by_id[answer.measure_id].applies_to(enterprise.kind)
    )

    return Summary(
        period=period,
        plan=plan,
        generated_at=generated_at,
        enterprises=enterprise_list,
        sections=sections,
        indicators=indicator_summaries,
        submissions=submissions,
        submission=submission,
        answers=answers,
        indicators_summed_over_quarters=len(periods) > 1,
        edits=dict(edits or {}),
    )


def _period_key(p: Period) -> tuple[date, date]:
    return (p.end, p.start)


def _latest_per_period(reports: Iterable[ReportData]) -> list[ReportData]:
    """Keep one counting report per enterprise and period: the latest round, then version."""
    best: dict[tuple[int, Period], ReportData] = {}
    for data in reports:
        key = (data.report.enterprise_id, data.round.period)
        current = best.get(key)
        if current is None or _freshness(data) > _freshness(current):
            best[key] = data
    return list(best.values())


def _freshness(data: ReportData) -> tuple[datetime, int, int]:
    return (data.round.opened_at, data.round.id, data.report.version)


def renumbering(old: Sequence[Measure], new: Sequence[Measure]) -> dict[int, int]:
    """An older plan version's measure ids mapped to the newer plan's, by measure number."""
    by_number = {m.number: m.id for m in new}
    return {m.id: by_number[m.number] for m in old if m.number in by_number}


def on_plan(data: ReportData, renumber: Mapping[int, int]) -> ReportData:
    """A report run on an older plan, its answers and evidence moved to the newer plan's
    measures (see `renumbering`); those the newer plan dropped are left out."""
    return replace(
        data,
        answers=tuple(
            replace(a, measure_id=renumber[a.measure_id])
            for a in data.answers
            if a.measure_id in renumber
        ),
        attachments=tuple(
            replace(a, measure_id=renumber[a.measure_id])
            for a in data.attachments
            if a.measure_id in renumber
        ),
    )

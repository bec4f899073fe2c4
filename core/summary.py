"""The consolidated summary of a period: statuses, narratives and totals that every renderer uses.

Pure: the caller passes the reports, the registry and the clock reading; nothing is read here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from core.models import (
    Answer,
    Attachment,
    Enterprise,
    IndicatorDef,
    Measure,
    MeasureStatus,
    PeriodKind,
    Plan,
    ReportData,
)
from core.periods import Period


@dataclass(frozen=True, slots=True)
class StatusCounts:
    """How many applicable enterprises are in each state for one measure (or a sum of measures)."""

    done: int = 0
    in_progress: int = 0
    not_done: int = 0
    not_applicable: int = 0
    not_reported: int = 0

    def of(self, status: MeasureStatus | None) -> int:
        """The count for a status; None means "did not report"."""
        match status:
            case MeasureStatus.DONE:
                return self.done
            case MeasureStatus.IN_PROGRESS:
                return self.in_progress
            case MeasureStatus.NOT_DONE:
                return self.not_done
            case MeasureStatus.NOT_APPLICABLE:
                return self.not_applicable
            case None:
                return self.not_reported

    @property
    def reported(self) -> int:
        return self.done + self.in_progress + self.not_done + self.not_applicable

    @property
    def total(self) -> int:
        """Every enterprise the measure applies to, reported or not."""
        return self.reported + self.not_reported

    def __add__(self, other: StatusCounts) -> StatusCounts:
        return StatusCounts(
            done=self.done + other.done,
            in_progress=self.in_progress + other.in_progress,
            not_done=self.not_done + other.not_done,
            not_applicable=self.not_applicable + other.not_applicable,
            not_reported=self.not_reported + other.not_reported,
        )

    @classmethod
    def tally(cls, statuses: Iterable[MeasureStatus | None]) -> StatusCounts:
        values = {status: 0 for status in (*MeasureStatus, None)}
        for status in statuses:
            values[status] += 1
        return cls(
            done=values[MeasureStatus.DONE],
            in_progress=values[MeasureStatus.IN_PROGRESS],
            not_done=values[MeasureStatus.NOT_DONE],
            not_applicable=values[MeasureStatus.NOT_APPLICABLE],
            not_reported=values[None],
        )


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


@dataclass(frozen=True, slots=True)
class Submission:
    """Who reported for a period. Every enterprise is in exactly one of the three lists."""

    period: Period
    on_time: tuple[Enterprise, ...]
    late: tuple[Enterprise, ...]
    missing: tuple[Enterprise, ...]

    @property
    def submitted(self) -> int:
        return len(self.on_time) + len(self.late)

    @property
    def total(self) -> int:
        return self.submitted + len(self.missing)


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
        _summarise_measure(measure, enterprise_list, by_enterprise, answers_by_report)
        for measure in ordered_measures
    ]
    sections = _group_sections(measure_summaries)

    indicator_summaries = tuple(
        _summarise_indicator(indicator, enterprise_list, by_enterprise)
        for indicator in sorted(indicators, key=lambda i: i.position)
    )

    submissions = tuple(_submission(p, enterprise_list, chosen) for p in periods)
    submission = _whole_period_submission(period, enterprise_list, submissions)

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


def _summarise_measure(
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


def _group_sections(measures: Sequence[MeasureSummary]) -> tuple[SectionSummary, ...]:
    """Group by section in order of first appearance, which is plan order."""
    groups: dict[tuple[str, str], list[MeasureSummary]] = {}
    for summary in measures:
        key = (summary.measure.section_number, summary.measure.section_title)
        groups.setdefault(key, []).append(summary)
    return tuple(
        SectionSummary(number=number, title=title, measures=tuple(items))
        for (number, title), items in groups.items()
    )


def _summarise_indicator(
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


def _submission(
    period: Period, enterprises: Sequence[Enterprise], chosen: Sequence[ReportData]
) -> Submission:
    reports = {d.report.enterprise_id: d for d in chosen if d.round.period == period}
    on_time = tuple(e for e in enterprises if e.id in reports and not reports[e.id].report.late)
    late = tuple(e for e in enterprises if e.id in reports and reports[e.id].report.late)
    missing = tuple(e for e in enterprises if e.id not in reports)
    return Submission(period=period, on_time=on_time, late=late, missing=missing)


def _whole_period_submission(
    period: Period, enterprises: Sequence[Enterprise], submissions: Sequence[Submission]
) -> Submission:
    if len(submissions) == 1:
        return Submission(
            period=period,
            on_time=submissions[0].on_time,
            late=submissions[0].late,
            missing=submissions[0].missing,
        )
    missed = {e.id for s in submissions for e in s.missing}
    was_late = {e.id for s in submissions for e in s.late}
    blemished = missed | was_late
    return Submission(
        period=period,
        on_time=tuple(e for e in enterprises if e.id not in blemished),
        late=tuple(e for e in enterprises if e.id in was_late - missed),
        missing=tuple(e for e in enterprises if e.id in missed),
    )

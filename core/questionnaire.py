"""The questionnaire's rules: which measures apply, the order of steps, and what counts as done."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import IntEnum, StrEnum

from core.calendar import WorkCalendar
from core.deadlines import is_late
from core.models import (
    Answer,
    Attachment,
    Enterprise,
    EnterpriseKind,
    IndicatorDef,
    Measure,
    MeasureStatus,
    Person,
    Report,
    ReportState,
    Round,
    RoundState,
    is_meaningful,
)
from core.periods import Period

MAX_NARRATIVE = 3000
MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
_WHOLE_NUMBER = re.compile(r"^\d{1,9}$")
_DIGITS = re.compile(r"^\d+$")
# A hyphen, the minus sign or a dash before a number, as people type a negative one.
_NEGATIVE = re.compile(r"^[-−–]\d+(?:[.,]\d+)?$")


class StepKind(StrEnum):
    """What a questionnaire screen asks for. The values are stored in `questionnaire_positions`
    and compared in templates: they never change."""

    MEASURE = "m"  # a measure's status (and its narrative, if typed there)
    NARRATIVE = "n"  # what was done for a measure
    INDICATOR = "i"  # the i-th indicator's number
    OVERVIEW = "o"  # the list of measures, with «Подати звіт»

    @property
    def on_measure(self) -> bool:
        """Whether the screen shows one measure (its status or its narrative)."""
        return self in (StepKind.MEASURE, StepKind.NARRATIVE)


@dataclass(frozen=True, slots=True)
class Step:
    """A place in the questionnaire: a measure's status (m), its narrative (n), the i-th
    indicator (i), or the overview (o). Stored in the DB as text, e.g. "m:17"."""

    kind: StepKind
    ref: int = 0

    def __str__(self) -> str:
        if self.kind is StepKind.OVERVIEW:
            return self.kind.value
        return f"{self.kind.value}:{self.ref}"

    @classmethod
    def parse(cls, text: str) -> Step:
        kind, _, ref = text.partition(":")
        if kind == StepKind.OVERVIEW:
            return OVERVIEW
        if kind not in set(StepKind) or not ref.isdigit():
            raise ValueError(f"not a questionnaire step: {text!r}")
        return cls(StepKind(kind), int(ref))


OVERVIEW = Step(StepKind.OVERVIEW)


def applicable(measures: Sequence[Measure], kind: EnterpriseKind) -> list[Measure]:
    return [m for m in measures if m.applies_to(kind)]


def unanswered(measures: Sequence[Measure], answers: Mapping[int, Answer]) -> list[Measure]:
    return [m for m in measures if not (m.id in answers and answers[m.id].complete)]


def first_step(measures: Sequence[Measure], answers: Mapping[int, Answer]) -> Step:
    """Where a person starting (or coming back) should land: the first open measure."""
    missing = unanswered(measures, answers)
    return Step(StepKind.MEASURE, missing[0].id) if missing else OVERVIEW


def measure_indicators(measure: Measure, indicators: Sequence[IndicatorDef]) -> list[int]:
    """The indexes of the indicators attached to `measure`: asked on its screen, after it."""
    return [i for i, item in enumerate(indicators) if item.measure_number == measure.number]


def loose_indicators(measures: Sequence[Measure], indicators: Sequence[IndicatorDef]) -> list[int]:
    """The indexes of the indicators attached to no measure of the report: asked at the end."""
    numbers = {m.number for m in measures}
    return [i for i, item in enumerate(indicators) if item.measure_number not in numbers]


def path(
    measures: Sequence[Measure],
    indicators: Sequence[IndicatorDef],
    answers: Mapping[int, Answer] | None = None,
) -> list[Step]:
    """Every screen in order: each measure followed by its own indicators (none when it does
    not apply), then the indicators attached to no measure. The overview comes after."""
    steps: list[Step] = []
    for measure in measures:
        steps.append(Step(StepKind.MEASURE, measure.id))
        answer = (answers or {}).get(measure.id)
        if answer is None or answer.status is not MeasureStatus.NOT_APPLICABLE:
            steps.extend(
                Step(StepKind.INDICATOR, i) for i in measure_indicators(measure, indicators)
            )
    steps.extend(Step(StepKind.INDICATOR, i) for i in loose_indicators(measures, indicators))
    return steps


def _on_path(step: Step) -> Step:
    # A measure's narrative is a part of its screen.
    return Step(StepKind.MEASURE, step.ref) if step.kind.on_measure else step


def step_after(
    step: Step,
    measures: Sequence[Measure],
    indicators: Sequence[IndicatorDef],
    answers: Mapping[int, Answer] | None = None,
) -> Step:
    """The next screen in order (see `path`), the overview after the last."""
    steps = path(measures, indicators, answers)
    here = _on_path(step)
    if here not in steps:
        return OVERVIEW
    index = steps.index(here) + 1
    return steps[index] if index < len(steps) else OVERVIEW


def step_before(
    step: Step,
    measures: Sequence[Measure],
    indicators: Sequence[IndicatorDef],
    answers: Mapping[int, Answer] | None = None,
) -> Step:
    steps = path(measures, indicators, answers)
    if step.kind is StepKind.OVERVIEW:
        return steps[-1] if steps else step
    here = _on_path(step)
    if here in steps and steps.index(here) > 0:
        return steps[steps.index(here) - 1]
    return step


def first_indicator(
    measures: Sequence[Measure],
    indicators: Sequence[IndicatorDef],
    answers: Mapping[int, Answer] | None = None,
) -> Step:
    """The first indicator's screen in order, or the overview when the plan has none."""
    found = [s for s in path(measures, indicators, answers) if s.kind is StepKind.INDICATOR]
    return found[0] if found else OVERVIEW


def step_after_status(
    measure_id: int, status: MeasureStatus, answer: Answer, context: ReportContext
) -> Step:
    """Where a status choice leads: on if the measure does not apply, else to its narrative
    (unless one is written already, then the measure stays on screen to be checked)."""
    if status is MeasureStatus.NOT_APPLICABLE:
        return context.after(Step(StepKind.MEASURE, measure_id))
    if not answer.narrative:
        return Step(StepKind.NARRATIVE, measure_id)
    return Step(StepKind.MEASURE, measure_id)


class Move(StrEnum):
    """A button that only moves through the questionnaire, saving nothing."""

    NEXT = "next"
    BACK = "back"
    OVERVIEW = "overview"
    INDICATORS = "indicators"
    KEEP = "keep"  # keep the measure's narrative as it is and go on
    CHANGE = "change"  # back to the measure's status buttons
    JUMP = "jump"  # to a measure, from the overview


# A button may change only what its screen shows: the buttons bound to one measure are those
# of its status or narrative screen, and may be pressed only there, on that measure.
BOUND_TO_MEASURE = frozenset({Move.KEEP, Move.CHANGE})


def moved(live: Step, move: Move, ref: int, context: ReportContext) -> Step | None:
    """The step a move leads to from the live one; None for a measure not in the report."""
    if move is Move.NEXT:
        return context.after(live)
    if move is Move.BACK:
        return step_before(live, context.measures, context.indicators, context.answers)
    if move is Move.OVERVIEW:
        return OVERVIEW
    if move is Move.INDICATORS:
        return first_indicator(context.measures, context.indicators, context.answers)
    if move is Move.KEEP:
        return context.after(Step(StepKind.MEASURE, ref))
    if context.measure(ref) is not None:  # JUMP and CHANGE
        return Step(StepKind.MEASURE, ref)
    return None


def shows(live: Step, kinds: frozenset[StepKind], ref: int) -> bool:
    """Whether the live screen is one of `kinds` about `ref` (a measure id or an indicator's
    index): a button bound to what its screen shows counts only there."""
    return live.kind in kinds and live.ref == ref


MEASURE_SCREENS = frozenset({StepKind.MEASURE, StepKind.NARRATIVE})
INDICATOR_SCREENS = frozenset({StepKind.INDICATOR})


class NarrativeProblem(StrEnum):
    """Why a typed text is not taken as a measure's narrative, each with its own message."""

    TOO_LONG = "too_long"
    EMPTY = "empty"
    TOO_THIN = "too_thin"


def narrative_problem(text: str) -> NarrativeProblem | None:
    """None if `text` (stripped) may be saved as what was done, else what is wrong."""
    if narrative_excess(text):
        return NarrativeProblem.TOO_LONG
    if not text:
        return NarrativeProblem.EMPTY
    if not is_meaningful(text):
        return NarrativeProblem.TOO_THIN
    return None


def narrative_excess(text: str) -> int:
    """How many characters over the limit a narrative is (0 when it fits)."""
    return max(0, len(text) - MAX_NARRATIVE)


class NumberProblem(StrEnum):
    """Why a typed value is not an indicator's number, each with its own message."""

    NEGATIVE = "negative"
    TOO_LARGE = "too_large"
    NOT_WHOLE = "not_whole"


def _cleaned(text: str) -> str:
    return text.strip().replace(" ", "").replace("\u00a0", "")


def whole_number_problem(text: str) -> NumberProblem | None:
    """None if ``text`` is a whole number ≥ 0 of at most nine digits, else what is wrong."""
    cleaned = _cleaned(text)
    if _WHOLE_NUMBER.match(cleaned):
        return None
    if _DIGITS.match(cleaned):
        return NumberProblem.TOO_LARGE
    if _NEGATIVE.match(cleaned):
        return NumberProblem.NEGATIVE
    return NumberProblem.NOT_WHOLE


def parse_whole_number(text: str) -> int | None:
    """A whole number ≥ 0 as people type it ("12", " 1 200 "); None if it is not one."""
    return int(_cleaned(text)) if whole_number_problem(text) is None else None


def status_counts(answers: Mapping[int, Answer], measure_ids: Sequence[int]) -> dict[str, int]:
    counts = {status.value: 0 for status in MeasureStatus}
    for measure_id in measure_ids:
        answer = answers.get(measure_id)
        if answer is not None and answer.status is not None:
            counts[answer.status.value] += 1
    return counts


def is_editable(report: Report, round_: Round) -> bool:
    """A person may change answers while the round is open and the report is not handed in,
    or is handed in and they chose to change it (the submitted version counts meanwhile)."""
    if round_.state is not RoundState.OPEN:
        return False
    if report.state is ReportState.SUBMITTED:
        return report.editing
    return report.owed


def can_reopen(report: Report, round_: Round, now: datetime, calendar: WorkCalendar) -> bool:
    """A submitted report may be reopened until the deadline, unless already accepted."""
    return (
        round_.state is RoundState.OPEN
        and report.state is ReportState.SUBMITTED
        and not is_late(now, round_.deadline, calendar)
    )


class ReopenStep(IntEnum):
    """«Внести зміни» carries one of these: the question first, then yes or no."""

    ASK = 0
    CONFIRM = 1
    KEEP = 2


@dataclass(frozen=True)
class ReportContext:
    """Everything one screen of one report needs, read in one transaction (by
    services.questionnaire.load_context)."""

    person: Person
    report: Report
    round: Round
    enterprise: Enterprise
    measures: list[Measure]
    answers: dict[int, Answer]
    indicators: tuple[IndicatorDef, ...]
    values: dict[str, int | None]
    previous: dict[str, Answer]
    attachments: list[Attachment] = field(default_factory=list)
    previous_values: dict[str, int | None] = field(default_factory=dict)  # last quarter's

    @property
    def period(self) -> Period:
        return self.round.period

    def measure(self, measure_id: int) -> Measure | None:
        return next((m for m in self.measures if m.id == measure_id), None)

    def missing_numbers(self) -> list[str]:
        return [m.number for m in unanswered(self.measures, self.answers)]

    def after(self, step: Step) -> Step:
        """The screen after `step`, with the answers as they are now."""
        return step_after(step, self.measures, self.indicators, self.answers)

    def copied(self, measure: Measure) -> bool:
        """Whether the measure's answer is last quarter's, unchanged."""
        answer = self.answers.get(measure.id)
        return answer is not None and answer.same_as(self.previous.get(measure.number))

    def indicator_measure(self, index: int) -> Measure | None:
        """The measure of the report an indicator is attached to, if any."""
        number = self.indicators[index].measure_number if index < len(self.indicators) else ""
        return next((m for m in self.measures if number and m.number == number), None)


class NoteKind(StrEnum):
    """What the screen after an answer confirms, above the next question."""

    SAVED = "saved"  # a typed narrative
    NUMBER = "number"  # an indicator's value
    COPIED = "copied"  # one measure as last quarter
    COPIED_ALL = "copied_all"  # every answer as last quarter
    EVIDENCE = "evidence"  # a file or photo kept as a measure's evidence


@dataclass(frozen=True, slots=True)
class Note:
    """A confirmation shown once, on the screen drawn right after the answer was saved."""

    kind: NoteKind
    subject: str = ""  # the measure's number, or the indicator's label
    text: str = ""  # what was saved, or the file's name
    count: int = 0  # how many answers were copied

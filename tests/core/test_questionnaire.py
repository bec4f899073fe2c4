from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from core.calendar import WorkCalendar
from core.models import (
    Answer,
    Enterprise,
    EnterpriseKind,
    IndicatorDef,
    Measure,
    MeasureStatus,
    PeriodKind,
    Person,
    Report,
    ReportState,
    Round,
    RoundState,
)
from core.questionnaire import (
    INDICATOR_SCREENS,
    MEASURE_SCREENS,
    OVERVIEW,
    Move,
    NarrativeProblem,
    NumberProblem,
    ReportContext,
    Step,
    StepKind,
    applicable,
    can_reopen,
    first_step,
    moved,
    narrative_excess,
    narrative_problem,
    parse_whole_number,
    shows,
    step_after,
    step_after_status,
    step_before,
    unanswered,
    whole_number_problem,
)

EDU = (EnterpriseKind.EDUCATION,)


def measure(measure_id: int, kinds: tuple[EnterpriseKind, ...] = ()) -> Measure:
    return Measure(measure_id, 1, "1", "Розділ", f"1.{measure_id}", "Текст", kinds=kinds)


MEASURES = [measure(1), measure(2, EDU), measure(3)]
INDICATORS = (IndicatorDef("a", "Перший"), IndicatorDef("b", "Другий"))


def test_a_measure_restricted_to_schools_is_not_asked_of_a_utility() -> None:
    assert [m.id for m in applicable(MEASURES, EnterpriseKind.MUNICIPAL)] == [1, 3]
    assert [m.id for m in applicable(MEASURES, EnterpriseKind.EDUCATION)] == [1, 2, 3]


def test_a_measure_without_kinds_applies_to_everyone() -> None:
    assert all(measure(9).applies_to(kind) for kind in EnterpriseKind)


def test_an_answer_needs_a_narrative_unless_not_applicable() -> None:
    assert not Answer(1, MeasureStatus.DONE, "").complete
    assert not Answer(1, MeasureStatus.DONE, "   ").complete
    assert Answer(1, MeasureStatus.DONE, "Проведено нараду").complete
    assert not Answer(1, MeasureStatus.DONE, ".").complete  # quarter's edges, case 3
    assert Answer(1, MeasureStatus.NOT_APPLICABLE, "").complete
    assert not Answer(1, None, "Текст без стану").complete


def test_the_questionnaire_goes_measures_then_indicators_then_overview() -> None:
    steps = [Step(StepKind.MEASURE, 1)]
    while steps[-1] != OVERVIEW:
        steps.append(step_after(steps[-1], MEASURES, INDICATORS))
    assert [str(s) for s in steps] == ["m:1", "m:2", "m:3", "i:0", "i:1", "o"]
    assert step_before(Step(StepKind.INDICATOR, 0), MEASURES, INDICATORS) == Step(
        StepKind.MEASURE, 3
    )
    assert step_before(OVERVIEW, MEASURES, INDICATORS) == Step(StepKind.INDICATOR, 1)
    assert step_before(Step(StepKind.MEASURE, 1), MEASURES, INDICATORS) == Step(
        StepKind.MEASURE, 1
    )


ATTACHED = (
    IndicatorDef("a", "Перший", measure_number="1.1"),
    IndicatorDef("b", "Другий"),
    IndicatorDef("c", "Третій", measure_number="1.3"),
)


def test_an_indicator_of_a_measure_is_asked_right_after_it_and_the_rest_at_the_end() -> None:
    steps = [Step(StepKind.MEASURE, 1)]
    while steps[-1] != OVERVIEW:
        steps.append(step_after(steps[-1], MEASURES, ATTACHED))
    assert [str(s) for s in steps] == ["m:1", "i:0", "m:2", "m:3", "i:2", "i:1", "o"]
    assert step_after(Step(StepKind.NARRATIVE, 1), MEASURES, ATTACHED) == Step(
        StepKind.INDICATOR, 0
    )
    assert step_before(Step(StepKind.MEASURE, 2), MEASURES, ATTACHED) == Step(
        StepKind.INDICATOR, 0
    )


def test_a_measure_that_does_not_apply_skips_its_own_indicators() -> None:
    answers = {1: Answer(1, MeasureStatus.NOT_APPLICABLE)}
    assert step_after(Step(StepKind.MEASURE, 1), MEASURES, ATTACHED, answers) == Step(
        StepKind.MEASURE, 2
    )


def test_an_indicator_of_a_measure_not_in_the_report_is_asked_at_the_end() -> None:
    schoolless = applicable(MEASURES, EnterpriseKind.MUNICIPAL)  # no measure 1.2
    orphan = (IndicatorDef("z", "Закупівлі", measure_number="1.2"),)
    assert step_after(Step(StepKind.MEASURE, 3), schoolless, orphan) == Step(StepKind.INDICATOR, 0)


def test_a_returning_person_lands_on_the_first_unanswered_measure() -> None:
    answers = {
        1: Answer(1, MeasureStatus.DONE, "Так, зроблено"),
        2: Answer(2, MeasureStatus.DONE, ""),
    }
    assert [m.id for m in unanswered(MEASURES, answers)] == [2, 3]
    assert first_step(MEASURES, answers) == Step(StepKind.MEASURE, 2)
    everything = {m.id: Answer(m.id, MeasureStatus.NOT_APPLICABLE) for m in MEASURES}
    assert first_step(MEASURES, everything) == OVERVIEW


def test_steps_survive_being_stored_as_text() -> None:
    for step in (
        Step(StepKind.MEASURE, 17),
        Step(StepKind.NARRATIVE, 3),
        Step(StepKind.INDICATOR, 0),
        OVERVIEW,
    ):
        assert Step.parse(str(step)) == step


def test_narrative_limit_reports_the_excess() -> None:
    assert narrative_excess("а" * 3000) == 0
    assert narrative_excess("а" * 3042) == 42


def test_whole_numbers_as_people_type_them() -> None:
    assert parse_whole_number(" 12 ") == 12
    assert parse_whole_number("1 200") == 1200
    assert parse_whole_number("0") == 0
    for bad in ("-3", "2.5", "багато", "", "1e3", "1234567890"):
        assert parse_whole_number(bad) is None


def test_a_value_that_is_no_whole_number_says_what_is_wrong() -> None:
    assert whole_number_problem("1\u00a0200") is None
    for negative in ("-5", "−5", " -1 200 ", "-2,5"):
        assert whole_number_problem(negative) is NumberProblem.NEGATIVE
    assert whole_number_problem("1234567890") is NumberProblem.TOO_LARGE
    for bad in ("2.5", "багато", "", "1e3", "5-"):
        assert whole_number_problem(bad) is NumberProblem.NOT_WHOLE


def _round(deadline: date, state: RoundState = RoundState.OPEN) -> Round:
    opened = datetime(2026, 3, 2, 8, tzinfo=UTC)
    return Round(1, 1, PeriodKind.QUARTER, 1, 2026, date(2026, 3, 31), deadline, state, opened)


def test_a_submitted_report_can_be_reopened_only_before_the_deadline_ends() -> None:
    calendar = WorkCalendar()
    report = Report(1, 1, 1, ReportState.SUBMITTED, version=1)
    deadline = date(2026, 3, 25)
    # 23:59 in Kyiv on the deadline day is still in time; 00:01 the next day is not.
    assert can_reopen(
        report, _round(deadline), datetime(2026, 3, 25, 21, 59, tzinfo=UTC), calendar
    )
    assert not can_reopen(
        report, _round(deadline), datetime(2026, 3, 25, 22, 1, tzinfo=UTC), calendar
    )
    accepted = Report(1, 1, 1, ReportState.ACCEPTED, version=1)
    assert not can_reopen(accepted, _round(deadline), datetime(2026, 3, 20, tzinfo=UTC), calendar)
    closed = _round(deadline, RoundState.CLOSED)
    assert not can_reopen(report, closed, datetime(2026, 3, 20, tzinfo=UTC), calendar)


def test_stored_steps_and_old_buttons_keep_their_letters() -> None:
    # questionnaire_positions rows and templates compare these letters: they never change.
    assert [kind.value for kind in StepKind] == ["m", "n", "i", "o"]
    assert Step.parse("n:4") == Step(StepKind.NARRATIVE, 4) and str(OVERVIEW) == "o"
    for bad in ("x:1", "m:", "m:-1", "i"):
        with pytest.raises(ValueError):
            Step.parse(bad)


def _context(answers: dict[int, Answer]) -> ReportContext:
    opened = datetime(2026, 3, 2, 8, tzinfo=UTC)
    round_ = Round(1, 1, PeriodKind.QUARTER, 1, 2026, date(2026, 3, 31), date(2026, 3, 25),
                   RoundState.OPEN, opened)  # fmt: skip
    enterprise = Enterprise(1, "12345678", "КП «Тест»", "", EnterpriseKind.EDUCATION)
    person = Person(1, 1, "Олена")
    return ReportContext(
        person=person, report=Report(1, 1, 1, ReportState.DRAFT), round=round_,
        enterprise=enterprise, measures=applicable(MEASURES, EnterpriseKind.EDUCATION),
        answers=answers, indicators=INDICATORS, values={}, previous={},
    )  # fmt: skip


def test_a_status_leads_to_its_narrative_unless_the_measure_does_not_apply() -> None:
    context = _context({})
    done = Answer(1, MeasureStatus.DONE, "")
    assert step_after_status(1, MeasureStatus.DONE, done, context) == Step(StepKind.NARRATIVE, 1)
    written = Answer(1, MeasureStatus.DONE, "Проведено нараду")
    assert step_after_status(1, MeasureStatus.DONE, written, context) == Step(StepKind.MEASURE, 1)
    na = Answer(1, MeasureStatus.NOT_APPLICABLE, "")
    assert step_after_status(1, MeasureStatus.NOT_APPLICABLE, na, context) == Step(
        StepKind.MEASURE, 2
    )


def test_moves_go_where_their_buttons_say() -> None:
    context = _context({})
    on_second = Step(StepKind.NARRATIVE, 2)
    assert moved(on_second, Move.NEXT, 0, context) == Step(StepKind.MEASURE, 3)
    assert moved(on_second, Move.BACK, 0, context) == Step(StepKind.MEASURE, 1)
    assert moved(on_second, Move.OVERVIEW, 0, context) == OVERVIEW
    assert moved(OVERVIEW, Move.INDICATORS, 0, context) == Step(StepKind.INDICATOR, 0)
    assert moved(on_second, Move.KEEP, 2, context) == Step(StepKind.MEASURE, 3)
    assert moved(on_second, Move.CHANGE, 2, context) == Step(StepKind.MEASURE, 2)
    assert moved(OVERVIEW, Move.JUMP, 3, context) == Step(StepKind.MEASURE, 3)
    assert moved(OVERVIEW, Move.JUMP, 99, context) is None  # not a measure of this report


def test_an_answer_unchanged_from_last_quarter_counts_as_copied() -> None:
    context = _context({1: Answer(1, MeasureStatus.DONE, "Проведено  нараду")})
    last = {"1.1": Answer(7, MeasureStatus.DONE, "Проведено нараду")}
    assert replace(context, previous=last).copied(MEASURES[0])
    changed = {"1.1": Answer(7, MeasureStatus.IN_PROGRESS, "Проведено нараду")}
    assert not replace(context, previous=changed).copied(MEASURES[0])
    assert not context.copied(MEASURES[0])  # nothing handed in last quarter


def test_a_measure_button_counts_only_on_its_own_measure_screen() -> None:
    assert shows(Step(StepKind.NARRATIVE, 2), MEASURE_SCREENS, 2)
    assert not shows(Step(StepKind.NARRATIVE, 2), MEASURE_SCREENS, 3)
    assert not shows(Step(StepKind.INDICATOR, 2), MEASURE_SCREENS, 2)
    assert shows(Step(StepKind.INDICATOR, 1), INDICATOR_SCREENS, 1)


def test_a_narrative_too_long_empty_or_thin_is_not_saved() -> None:
    assert narrative_problem("а" * 3001) is NarrativeProblem.TOO_LONG
    assert narrative_problem("") is NarrativeProblem.EMPTY
    assert narrative_problem(".") is NarrativeProblem.TOO_THIN
    assert narrative_problem("Проведено нараду") is None

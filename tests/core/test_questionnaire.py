from datetime import UTC, date, datetime

from core.calendar import WorkCalendar
from core.models import (
    Answer,
    EnterpriseKind,
    IndicatorDef,
    Measure,
    MeasureStatus,
    PeriodKind,
    Report,
    ReportState,
    Round,
    RoundState,
)
from core.questionnaire import (
    OVERVIEW,
    NumberProblem,
    Step,
    applicable,
    can_reopen,
    first_step,
    narrative_excess,
    parse_whole_number,
    step_after,
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
    steps = [Step("m", 1)]
    while steps[-1] != OVERVIEW:
        steps.append(step_after(steps[-1], MEASURES, INDICATORS))
    assert [str(s) for s in steps] == ["m:1", "m:2", "m:3", "i:0", "i:1", "o"]
    assert step_before(Step("i", 0), MEASURES, INDICATORS) == Step("m", 3)
    assert step_before(OVERVIEW, MEASURES, INDICATORS) == Step("i", 1)
    assert step_before(Step("m", 1), MEASURES, INDICATORS) == Step("m", 1)


def test_a_returning_person_lands_on_the_first_unanswered_measure() -> None:
    answers = {
        1: Answer(1, MeasureStatus.DONE, "Так, зроблено"),
        2: Answer(2, MeasureStatus.DONE, ""),
    }
    assert [m.id for m in unanswered(MEASURES, answers)] == [2, 3]
    assert first_step(MEASURES, answers) == Step("m", 2)
    everything = {m.id: Answer(m.id, MeasureStatus.NOT_APPLICABLE) for m in MEASURES}
    assert first_step(MEASURES, everything) == OVERVIEW


def test_steps_survive_being_stored_as_text() -> None:
    for step in (Step("m", 17), Step("n", 3), Step("i", 0), OVERVIEW):
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

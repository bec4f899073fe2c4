"""build_summary: what the coordinator's numbers are made of, computed by hand."""

from __future__ import annotations

from core.models import Attachment, Measure, MeasureStatus, ReportData, ReportState
from core.periods import Period
from core.summary import IndicatorSummary, MeasureSummary, Summary, build_summary
from tests.summary.fixtures import (
    CNAP,
    CONSULTING,
    ENTERPRISES,
    GENERATED_AT,
    HOSPITAL,
    INDICATORS,
    IP,
    LYCEUM,
    MEASURES,
    NA,
    ND,
    ORDER_TEXT,
    PERSONS,
    PLAN,
    PROCUREMENT,
    Q1,
    Q2,
    Q3,
    SONECHKO,
    TRAINING,
    VODOKANAL,
    YEAR,
    D,
    Said,
    make_report,
    q1_reports,
    q1_summary,
)


def _measure(summary: Summary, measure: Measure) -> MeasureSummary:
    return next(m for m in summary.measures if m.measure.id == measure.id)


def _indicator(summary: Summary, code: str) -> IndicatorSummary:
    return next(i for i in summary.indicators if i.indicator.code == code)


def test_statuses_and_non_reporters_are_counted_per_measure() -> None:
    summary = q1_summary()

    persons = _measure(summary, PERSONS).counts
    assert (persons.done, persons.in_progress, persons.not_done) == (2, 0, 0)
    assert (persons.not_applicable, persons.not_reported, persons.total) == (0, 3, 5)
    training = _measure(summary, TRAINING).counts
    assert (training.done, training.in_progress, training.not_reported) == (1, 1, 3)
    consulting = _measure(summary, CONSULTING).counts
    assert (consulting.done, consulting.not_applicable, consulting.not_reported) == (1, 1, 3)


def test_draft_and_returned_reports_count_as_not_reported() -> None:
    summary = q1_summary()

    states = {s.enterprise.id: s.status for s in _measure(summary, PERSONS).states}
    assert states[HOSPITAL.id] is None  # its DRAFT said "done"
    assert states[CNAP.id] is None  # its RETURNED report said "not done"
    assert _measure(summary, PERSONS).counts.not_done == 0
    # Their indicator values (100 and 50) are not added either: 5 + 2.
    assert _indicator(summary, "consultations").total == 7
    assert summary.submission.missing == (HOSPITAL, CNAP, SONECHKO)


def test_kind_restricted_measure_is_not_counted_against_other_kinds() -> None:
    summary = q1_summary()

    procurement = _measure(summary, PROCUREMENT)
    # Only the utility and the hospital run procurement: done 1, hospital did not report.
    assert (procurement.counts.done, procurement.counts.not_reported) == (1, 1)
    assert procurement.counts.total == 2
    applies = {s.enterprise.id: s.applies for s in procurement.states}
    assert applies == {
        VODOKANAL.id: True,
        LYCEUM.id: False,
        HOSPITAL.id: True,
        CNAP.id: False,
        SONECHKO.id: False,
    }


def test_indicator_totals_are_exact_and_missing_values_are_not_counted() -> None:
    summary = q1_summary()

    consultations = _indicator(summary, "consultations")
    assert consultations.total == 7
    assert [v.value for v in consultations.values] == [5, 2, None, None, None]
    declarations = _indicator(summary, "declarations")
    assert (declarations.total, declarations.reported) == (40, 1)
    assert [i.indicator.code for i in summary.indicators] == [
        "consultations",
        "trainings",
        "declarations",
    ]
    assert summary.indicators_summed_over_quarters is False


def test_submission_facts_split_on_time_late_and_missing() -> None:
    submission = q1_summary().submission

    assert submission.on_time == (VODOKANAL,)
    assert submission.late == (LYCEUM,)
    assert submission.missing == (HOSPITAL, CNAP, SONECHKO)
    assert (submission.submitted, submission.total) == (2, 5)


def test_narratives_follow_registry_order_and_skip_empty_text() -> None:
    summary = q1_summary(list(reversed(q1_reports())))

    persons = _measure(summary, PERSONS)
    assert [n.enterprise for n in persons.narratives] == [VODOKANAL, LYCEUM]
    assert persons.narratives[0].status is MeasureStatus.DONE
    assert persons.narratives[0].parts[0].text == ORDER_TEXT
    assert persons.narratives[0].parts[0].period == Q1
    # The lyceum said "не застосовується" without a word: nothing to print.
    assert [n.enterprise for n in _measure(summary, CONSULTING).narratives] == [VODOKANAL]


def test_attachments_are_listed_under_their_measure() -> None:
    summary = q1_summary()

    attachments = _measure(summary, PERSONS).attachments
    assert [(a.enterprise, a.attachment.file_name) for a in attachments] == [
        (VODOKANAL, "наказ_12.pdf")
    ]
    assert _measure(summary, TRAINING).attachments == ()


def test_sections_keep_plan_order_and_measures_their_position() -> None:
    summary = q1_summary()

    assert [(s.number, len(s.measures)) for s in summary.sections] == [("1.", 2), ("2.", 2)]
    assert [m.measure.number for m in summary.measures] == ["1.1", "1.2", "2.1", "2.2"]


def test_fully_done_needs_everyone_reported_nothing_open_and_one_done() -> None:
    every = {
        PERSONS: Said(D, "так"),
        PROCUREMENT: Said(D, "так"),
        TRAINING: Said(NA),
        CONSULTING: Said(D, "так"),
    }
    reports = [
        make_report(VODOKANAL, Q1, every),
        make_report(LYCEUM, Q1, {PERSONS: Said(NA), TRAINING: Said(NA), CONSULTING: Said(IP)}),
        make_report(HOSPITAL, Q1, every),
        make_report(CNAP, Q1, {PERSONS: Said(D), TRAINING: Said(NA), CONSULTING: Said(D)}),
        make_report(SONECHKO, Q1, {PERSONS: Said(D), TRAINING: Said(NA), CONSULTING: Said(D)}),
    ]
    summary = q1_summary(reports)

    # 1.1: done or n/a everywhere, at least one done.
    assert _measure(summary, PERSONS).fully_done
    # 1.2: the two enterprises it applies to both did it; the others are not asked.
    assert _measure(summary, PROCUREMENT).fully_done
    # 2.1: everybody said "не застосовується": nothing was done, so not "fully done".
    assert not _measure(summary, TRAINING).fully_done
    # 2.2: the lyceum is still at it.
    assert not _measure(summary, CONSULTING).fully_done
    assert [s.fully_done for s in summary.sections] == [2, 0]
    assert summary.fully_done == 2


def test_a_non_reporter_keeps_a_measure_from_being_fully_done() -> None:
    reports = [make_report(e, Q1, {PERSONS: Said(D, "так")}) for e in ENTERPRISES[:-1]]
    summary = q1_summary(reports)

    assert _measure(summary, PERSONS).counts.done == 4
    assert not _measure(summary, PERSONS).fully_done


def test_reports_of_other_periods_are_ignored() -> None:
    q2_report = make_report(
        SONECHKO, Q2, {PERSONS: Said(D, "Пізніше")}, indicators={"consultations": 1000}
    )
    summary = q1_summary([*q1_reports(), q2_report])

    assert _measure(summary, PERSONS).counts.done == 2
    assert _indicator(summary, "consultations").total == 7
    assert [s.period for s in summary.submissions] == [Q1]


def test_answer_without_status_counts_as_not_reported_for_that_measure() -> None:
    summary = q1_summary([make_report(VODOKANAL, Q1, {PERSONS: Said(None, "ще думаю")})])

    assert _measure(summary, PERSONS).counts.not_reported == 5
    assert summary.submission.on_time == (VODOKANAL,)


def _year_reports() -> list[ReportData]:
    return [
        make_report(
            VODOKANAL,
            Q1,
            {TRAINING: Said(IP, "Розпочато навчання."), PERSONS: Said(D, "Наказ")},
            indicators={"consultations": 5, "trainings": 1},
        ),
        make_report(
            VODOKANAL,
            Q2,
            {TRAINING: Said(D, "Навчання завершено.\nСертифікати видано.")},
            indicators={"consultations": 3},
            late=True,
        ),
        # Q3 says nothing on training: the Q2 status stands.
        make_report(
            VODOKANAL, Q3, {CONSULTING: Said(D, "Консультації")}, indicators={"consultations": 4}
        ),
        make_report(LYCEUM, Q1, {TRAINING: Said(D, "Семінар")}, indicators={"trainings": 2}),
        # A returned report never counts, even if it is the latest.
        make_report(
            LYCEUM,
            Q2,
            {TRAINING: Said(ND, "Скасовано")},
            state=ReportState.RETURNED,
            indicators={"trainings": 9},
        ),
    ]


def test_annual_rollup_takes_each_enterprises_latest_counting_status() -> None:
    summary = build_summary(
        period=YEAR,
        plan=PLAN,
        measures=MEASURES,
        enterprises=ENTERPRISES,
        reports=_year_reports(),
        indicators=INDICATORS,
        generated_at=GENERATED_AT,
    )

    states = {s.enterprise.id: s.status for s in _measure(summary, TRAINING).states}
    assert states[VODOKANAL.id] is MeasureStatus.DONE  # Q2, not Q1's "in progress"
    assert states[LYCEUM.id] is MeasureStatus.DONE  # Q1; its Q2 report was returned
    assert states[HOSPITAL.id] is None
    assert summary.is_rollup


def test_annual_rollup_keeps_narratives_by_quarter() -> None:
    summary = build_summary(
        period=YEAR,
        plan=PLAN,
        measures=MEASURES,
        enterprises=ENTERPRISES,
        reports=_year_reports(),
        indicators=INDICATORS,
        generated_at=GENERATED_AT,
    )

    narrative = _measure(summary, TRAINING).narratives[0]
    assert narrative.enterprise == VODOKANAL
    assert [(p.period, p.text) for p in narrative.parts] == [
        (Q1, "Розпочато навчання."),
        (Q2, "Навчання завершено.\nСертифікати видано."),
    ]


def test_annual_rollup_sums_indicators_over_quarters() -> None:
    summary = build_summary(
        period=YEAR,
        plan=PLAN,
        measures=MEASURES,
        enterprises=ENTERPRISES,
        reports=_year_reports(),
        indicators=INDICATORS,
        generated_at=GENERATED_AT,
    )

    consultations = _indicator(summary, "consultations")
    assert [v.value for v in consultations.values] == [12, None, None, None, None]  # 5 + 3 + 4
    assert _indicator(summary, "trainings").total == 3  # 1 + 2; the returned 9 is not counted
    assert summary.indicators_summed_over_quarters is True


def test_annual_rollup_submission_facts_per_quarter_and_for_the_year() -> None:
    summary = build_summary(
        period=YEAR,
        plan=PLAN,
        measures=MEASURES,
        enterprises=ENTERPRISES,
        reports=_year_reports(),
        indicators=INDICATORS,
        generated_at=GENERATED_AT,
    )

    assert [s.period for s in summary.submissions] == [Q1, Q2, Q3]
    assert [s.submitted for s in summary.submissions] == [2, 1, 1]
    assert summary.submissions[1].late == (VODOKANAL,)
    # For the year: late once counts as late; missing any quarter counts as missing.
    assert summary.submission.on_time == ()
    assert summary.submission.late == (VODOKANAL,)
    assert summary.submission.missing == (LYCEUM, HOSPITAL, CNAP, SONECHKO)


def test_half_year_rollup_leaves_out_the_third_quarter() -> None:
    summary = build_summary(
        period=Period.half(2026, 1),
        plan=PLAN,
        measures=MEASURES,
        enterprises=ENTERPRISES,
        reports=_year_reports(),
        indicators=INDICATORS,
        generated_at=GENERATED_AT,
    )

    assert _indicator(summary, "consultations").total == 8  # 5 + 3, Q3's 4 is outside
    assert [s.period for s in summary.submissions] == [Q1, Q2]


def test_later_round_for_the_same_quarter_replaces_the_earlier_one() -> None:
    first = make_report(VODOKANAL, Q1, {PERSONS: Said(IP, "Перша")}, indicators={"trainings": 1})
    again = make_report(
        VODOKANAL, Q1, {PERSONS: Said(D, "Друга")}, indicators={"trainings": 2}, version=2
    )
    summary = q1_summary([first, again])

    assert _measure(summary, PERSONS).counts.done == 1
    assert _measure(summary, PERSONS).narratives[0].parts[0].text == "Друга"
    assert _indicator(summary, "trainings").total == 2  # not 3: one report per quarter


def test_answers_list_every_counted_answer_in_registry_then_plan_order() -> None:
    summary = q1_summary()

    assert [(a.enterprise.id, a.measure.number) for a in summary.answers] == [
        (1, "1.1"),
        (1, "1.2"),
        (1, "2.1"),
        (1, "2.2"),
        (2, "1.1"),
        (2, "2.1"),
        (2, "2.2"),
    ]
    assert summary.answers[0].narrative == ORDER_TEXT


def test_attachment_of_a_returned_report_is_not_listed() -> None:
    returned = make_report(
        CNAP,
        Q1,
        {PERSONS: Said(D, "x")},
        state=ReportState.RETURNED,
        attachments=(Attachment(PERSONS.id, "f", "a.pdf", 1),),
    )
    summary = q1_summary([returned])

    assert _measure(summary, PERSONS).attachments == ()

"""Whatever the reports say, the summary's numbers add up."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from core.models import Enterprise, MeasureStatus, ReportState
from core.periods import Period
from core.summary import build_summary
from tests.summary.fixtures import (
    ENTERPRISES,
    GENERATED_AT,
    INDICATORS,
    MEASURES,
    PLAN,
    Q1,
    Q2,
    YEAR,
    Said,
    make_report,
)

Raw = tuple[Enterprise, Period, ReportState, list[MeasureStatus | None], int]
statuses = st.sampled_from([*MeasureStatus, None])
states = st.sampled_from(list(ReportState))
one_report = st.tuples(
    st.sampled_from(ENTERPRISES),
    st.sampled_from([Q1, Q2]),
    states,
    st.lists(statuses, min_size=len(MEASURES), max_size=len(MEASURES)),
    st.integers(min_value=0, max_value=50),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(one_report, max_size=8))
def test_counts_cover_exactly_the_applicable_enterprises(raw: list[Raw]) -> None:
    seen: set[tuple[int, object]] = set()
    reports = []
    for enterprise, period, state, said, value in raw:
        if (enterprise.id, period) in seen:  # one report per round and enterprise
            continue
        seen.add((enterprise.id, period))
        answers = {m: Said(s, "текст") for m, s in zip(MEASURES, said, strict=True)}
        reports.append(
            make_report(
                enterprise, period, answers, state=state, indicators={"consultations": value}
            )
        )
    summary = build_summary(
        period=YEAR,
        plan=PLAN,
        measures=MEASURES,
        enterprises=ENTERPRISES,
        reports=reports,
        indicators=INDICATORS,
        generated_at=GENERATED_AT,
    )

    for item in summary.measures:
        applicable = sum(1 for e in ENTERPRISES if item.measure.applies_to(e.kind))
        assert item.counts.total == applicable
    counted = [
        r for r in reports if r.report.state in (ReportState.SUBMITTED, ReportState.ACCEPTED)
    ]
    assert summary.indicators[0].total == sum(r.indicator_values["consultations"] for r in counted)
    for submission in (*summary.submissions, summary.submission):
        everyone = submission.on_time + submission.late + submission.missing
        assert sorted(e.id for e in everyone) == [e.id for e in ENTERPRISES]

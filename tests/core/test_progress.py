"""A round's progress: counts by state, handed in and owed by core.models' one rule."""

from __future__ import annotations

from core.models import HANDED_IN, OWED, Report, ReportState
from core.progress import RoundProgress, filling, is_filling


def report(state: ReportState, *, late: bool = False, editing: bool = False) -> Report:
    return Report(1, 1, 1, state, late=late, editing=editing)


REPORTS = [
    report(ReportState.NOT_STARTED),
    report(ReportState.NOT_STARTED),
    report(ReportState.DRAFT),
    report(ReportState.RETURNED, late=True),  # late counts only once handed in
    report(ReportState.SUBMITTED, late=True),
    report(ReportState.SUBMITTED, editing=True),
    report(ReportState.ACCEPTED),
]


def test_progress_counts_each_state_and_the_late_ones_handed_in() -> None:
    progress = RoundProgress.of(REPORTS)
    assert progress == RoundProgress(
        total=7, not_started=2, draft=1, submitted=2, returned=1, accepted=1, late=1
    )
    assert (progress.handed_in, progress.outstanding, progress.percent) == (3, 4, 42)


def test_handed_in_and_outstanding_follow_the_one_rule_of_core_models() -> None:
    progress = RoundProgress.of(REPORTS)
    assert progress.handed_in == sum(r.state in HANDED_IN for r in REPORTS)
    assert progress.outstanding == sum(r.state in OWED for r in REPORTS)
    assert progress.handed_in + progress.outstanding == progress.total


def test_percent_is_floored_and_zero_for_an_empty_round() -> None:
    almost = [report(ReportState.ACCEPTED)] * 249 + [report(ReportState.DRAFT)]
    assert RoundProgress.of(almost).percent == 99
    assert RoundProgress.of([]).percent == 0


def test_filling_means_a_draft_a_returned_one_or_unsubmitted_changes() -> None:
    assert [r.state for r in filling(REPORTS)] == [
        ReportState.DRAFT,
        ReportState.RETURNED,
        ReportState.SUBMITTED,
    ]
    assert not is_filling(report(ReportState.SUBMITTED))
    assert not is_filling(report(ReportState.NOT_STARTED))

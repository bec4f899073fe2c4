"""The coordinators' half-hour tally of submissions, as worded (services/submission_notice.py)."""

from __future__ import annotations

import pytest

from services.submission_notice import SubmissionTally
from templates import render


def tally(reports: int, late: int = 0, again: int = 0, named: int | None = None) -> str:
    names = [f"ЗЗСО № {n + 1}" for n in range(reports if named is None else named)]
    return render(
        "questionnaire/submitted_notice.html",
        tally=SubmissionTally(reports=reports, late=late, again=again, names=names),
    )


@pytest.mark.parametrize(
    ("reports", "head"),
    [
        (1, "📨 Подано 1 новий звіт."),
        (2, "📨 Подано 2 нові звіти."),
        (5, "📨 Подано 5 нових звітів."),
        (21, "📨 Подано 21 новий звіт."),
    ],
)
def test_the_count_agrees_with_its_noun(reports: int, head: str) -> None:
    assert tally(reports).splitlines()[0] == head


def test_late_and_repeated_submissions_are_said_apart() -> None:
    assert tally(4, late=2, again=1).splitlines()[0] == (
        "📨 Подано 4 нові звіти: з них 2 — із запізненням, 1 — повторно."
    )
    assert tally(3, again=3).splitlines()[0] == "📨 Подано 3 нові звіти: з них 3 — повторно."


def test_it_names_the_first_ten_and_counts_the_rest() -> None:
    names = tally(12, named=10).splitlines()[1]
    assert names.startswith("ЗЗСО № 1, ЗЗСО № 2") and names.endswith("ЗЗСО № 10 та ще 2.")
    assert "«Переглянути чергу» або /review" in tally(12, named=10)

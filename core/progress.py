"""How far a round has got: counts of its reports by state, and which are still being filled.

Handed in and owed are `core.models.HANDED_IN` and `OWED`; this module only counts them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from core.models import HANDED_IN, OWED, Report, ReportState

# Someone is at work on it: started, sent back for a fix, or a handed-in one being changed.
_FILLING = frozenset({ReportState.DRAFT, ReportState.RETURNED})


def is_filling(report: Report) -> bool:
    """A report someone is filling in: a draft, a returned one, or changes not yet submitted."""
    return report.state in _FILLING or report.editing


def filling(reports: Iterable[Report]) -> list[Report]:
    return [r for r in reports if is_filling(r)]


@dataclass(frozen=True, slots=True)
class RoundProgress:
    """How far a round has got: one count per report state, plus the late ones."""

    total: int
    not_started: int
    draft: int
    submitted: int
    returned: int
    accepted: int
    late: int

    @classmethod
    def of(cls, reports: Sequence[Report]) -> RoundProgress:
        def count(state: ReportState) -> int:
            return sum(1 for r in reports if r.state is state)

        return cls(
            total=len(reports),
            not_started=count(ReportState.NOT_STARTED),
            draft=count(ReportState.DRAFT),
            submitted=count(ReportState.SUBMITTED),
            returned=count(ReportState.RETURNED),
            accepted=count(ReportState.ACCEPTED),
            late=sum(1 for r in reports if r.handed_in and r.late),
        )

    def count(self, state: ReportState) -> int:
        match state:
            case ReportState.NOT_STARTED:
                return self.not_started
            case ReportState.DRAFT:
                return self.draft
            case ReportState.SUBMITTED:
                return self.submitted
            case ReportState.RETURNED:
                return self.returned
            case ReportState.ACCEPTED:
                return self.accepted

    @property
    def handed_in(self) -> int:
        return sum(self.count(state) for state in HANDED_IN)

    @property
    def outstanding(self) -> int:
        """Reports still owed."""
        return sum(self.count(state) for state in OWED)

    @property
    def percent(self) -> int:
        # Floor, so 99.6% does not read as "100%" while someone is still missing.
        return self.handed_in * 100 // self.total if self.total else 0

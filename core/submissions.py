"""Who reported for a period: on time, late or not at all, per quarter and for the whole."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from core.models import Enterprise, ReportData
from core.periods import Period


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


def submission_of(
    period: Period, enterprises: Sequence[Enterprise], chosen: Sequence[ReportData]
) -> Submission:
    reports = {d.report.enterprise_id: d for d in chosen if d.round.period == period}
    on_time = tuple(e for e in enterprises if e.id in reports and not reports[e.id].report.late)
    late = tuple(e for e in enterprises if e.id in reports and reports[e.id].report.late)
    missing = tuple(e for e in enterprises if e.id not in reports)
    return Submission(period=period, on_time=on_time, late=late, missing=missing)


def whole_period_submission(
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

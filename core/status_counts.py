"""How many organisations are in each state for a measure, or for a sum of measures."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from core.models import MeasureStatus


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

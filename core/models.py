"""Domain models shared by every layer: registry, plan, rounds, reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from core.periods import Period, PeriodKind

__all__ = ["PeriodKind"]  # it lives with Period; many modules still import it from here


class EnterpriseKind(StrEnum):
    EXECUTIVE = "executive"
    MUNICIPAL = "municipal"
    EDUCATION = "education"
    HEALTH = "health"
    OTHER = "other"


class PersonStatus(StrEnum):
    ACTIVE = "active"
    ON_LEAVE = "on_leave"
    IDLE = "idle"
    DISMISSED = "dismissed"


class PersonRole(StrEnum):
    AUTHORIZED = "authorized"
    COORDINATOR = "coordinator"


class Role(StrEnum):
    """Who is behind an update, decided afresh on every update."""

    COORDINATOR = "coordinator"
    PERSON = "person"
    STRANGER = "stranger"


class MeasureStatus(StrEnum):
    DONE = "done"
    IN_PROGRESS = "in_progress"
    NOT_DONE = "not_done"
    NOT_APPLICABLE = "na"


class ReportState(StrEnum):
    NOT_STARTED = "not_started"
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    ACCEPTED = "accepted"


# The one rule of which reports are handed in (they count in status, the summary, the review)
# and which are still owed (reminders, escalation, extension notices).
HANDED_IN = frozenset({ReportState.SUBMITTED, ReportState.ACCEPTED})
OWED = frozenset({ReportState.NOT_STARTED, ReportState.DRAFT, ReportState.RETURNED})


class RoundState(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class Enterprise:
    id: int
    edrpou: str
    name: str
    short_name: str
    kind: EnterpriseKind
    supervisor: str = ""
    active: bool = True

    @property
    def display_name(self) -> str:
        """The name chats and tables show: the short one, or the full one if there is none."""
        return self.short_name or self.name


@dataclass(frozen=True, slots=True)
class Person:
    id: int
    enterprise_id: int | None
    full_name: str
    position: str = ""
    phone: str = ""
    email: str = ""
    telegram_id: int | None = None
    status: PersonStatus = PersonStatus.ACTIVE
    role: PersonRole = PersonRole.AUTHORIZED
    unreachable: bool = False

    @property
    def fills_reports(self) -> bool:
        """Active and an authorized person: who is invited, reminded and may fill a report.

        A person promoted to coordinator works for the department and reports on nobody's
        behalf, whatever organisation the registry lists them under; circulars skip them too.
        """
        return self.status is PersonStatus.ACTIVE and self.role is PersonRole.AUTHORIZED

    @property
    def reachable(self) -> bool:
        """Bound to a Telegram account and not known to have blocked the bot."""
        return self.telegram_id is not None and not self.unreachable

    @property
    def coordinates(self) -> bool:
        """Active and promoted to coordinator with /promote (settings name the others)."""
        return self.status is PersonStatus.ACTIVE and self.role is PersonRole.COORDINATOR


# --- The plan -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MeasureDraft:
    """A measure as read from a plan file, before it is stored."""

    number: str
    text: str
    term: str = ""
    responsible: str = ""
    indicator: str = ""
    kinds: tuple[EnterpriseKind, ...] = ()
    # The subsection of a plan numbered on three levels ("1.1", "Кадрова робота"); "" if none.
    subsection_number: str = ""
    subsection_title: str = ""


@dataclass(frozen=True, slots=True)
class SectionDraft:
    number: str
    title: str
    measures: tuple[MeasureDraft, ...] = ()


@dataclass(frozen=True, slots=True)
class PlanDraft:
    """A plan as read from a file: what the coordinator previews before saving."""

    title: str
    sections: tuple[SectionDraft, ...]
    warnings: tuple[str, ...] = ()
    # Measure numbers the bot made up because the document gives none (all others are its own).
    generated: tuple[str, ...] = ()

    @property
    def measure_count(self) -> int:
        return sum(len(s.measures) for s in self.sections)


@dataclass(frozen=True, slots=True)
class Measure:
    id: int
    plan_id: int
    section_number: str
    section_title: str
    number: str
    text: str
    term: str = ""
    responsible: str = ""
    indicator: str = ""
    kinds: tuple[EnterpriseKind, ...] = ()
    position: int = 0
    subsection_number: str = ""
    subsection_title: str = ""

    def applies_to(self, kind: EnterpriseKind) -> bool:
        """An empty kinds list means the measure applies to every enterprise."""
        return not self.kinds or kind in self.kinds


@dataclass(frozen=True, slots=True)
class Plan:
    id: int
    title: str
    year_from: int
    year_to: int
    version: int
    order_number: str = ""
    order_date: date | None = None
    active: bool = False


@dataclass(frozen=True, slots=True)
class IndicatorDef:
    """A numeric question asked once per report, summed in the consolidated report."""

    code: str
    label: str
    unit: str = ""
    position: int = 0
    measure_number: str = ""  # the measure it belongs to; "" goes to the totals block


# --- Rounds and reports ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Round:
    id: int
    plan_id: int
    period_kind: PeriodKind
    period_number: int
    year: int
    as_of: date
    deadline: date
    state: RoundState
    opened_at: datetime

    @property
    def period(self) -> Period:
        return Period(self.year, self.period_kind, self.period_number)


@dataclass(frozen=True, slots=True)
class Answer:
    measure_id: int
    status: MeasureStatus | None
    narrative: str = ""
    updated_at: datetime | None = None

    @property
    def complete(self) -> bool:
        if self.status is None:
            return False
        return self.status is MeasureStatus.NOT_APPLICABLE or is_meaningful(self.narrative)

    def same_as(self, earlier: Answer | None) -> bool:
        """Unchanged from an earlier answer (last quarter's, matched by measure number): the
        same status and the same words. The overview and the review card mark such answers
        as copied, so copying is visible."""
        return (
            earlier is not None
            and self.status is not None
            and self.status is earlier.status
            and " ".join(self.narrative.split()) == " ".join(earlier.narrative.split())
        )


def is_meaningful(narrative: str) -> bool:
    """A description of work says something: at least two words with letters in them.

    «.», «+», «-» or «так» alone tell the department nothing about what was done.
    """
    worded = (word for word in narrative.split() if any(c.isalpha() for c in word))
    return next(worded, None) is not None and next(worded, None) is not None  # stops at two


@dataclass(frozen=True, slots=True)
class Attachment:
    measure_id: int
    file_id: str
    file_name: str
    file_size: int
    media: str = "document"


@dataclass(frozen=True, slots=True)
class Report:
    id: int
    round_id: int
    enterprise_id: int
    state: ReportState
    version: int = 0
    submitted_at: datetime | None = None
    late: bool = False
    assignee_id: int | None = None
    review_comment: str = ""
    # Submitted, and the person is changing it: the submitted version counts meanwhile.
    editing: bool = False

    @property
    def handed_in(self) -> bool:
        return self.state in HANDED_IN

    @property
    def owed(self) -> bool:
        return self.state in OWED

    @property
    def answered_state(self) -> ReportState:
        """The state once an answer is saved: the first one makes a not-started report a draft."""
        return ReportState.DRAFT if self.state is ReportState.NOT_STARTED else self.state

    def fillable_by(self, person_id: int, enterprise_id: int | None) -> bool:
        """The enterprise's own person, or a substitute the coordinator assigned."""
        return self.enterprise_id == enterprise_id or self.assignee_id == person_id


@dataclass(frozen=True, slots=True)
class ReportData:
    """A report with everything it holds, as the summary needs it."""

    report: Report
    round: Round
    answers: tuple[Answer, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    indicator_values: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Actor:
    """Who sent an update, resolved from the DB on every update (callbacks included)."""

    role: Role
    telegram_id: int
    person: Person | None = None
    enterprise: Enterprise | None = None

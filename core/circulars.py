"""Circulars: what one is (a text, a file or both, and its audience), who received it and what
became of each delivery."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from core.calendar import WorkCalendar
from core.models import Enterprise, EnterpriseKind, Person

CAPTION_LIMIT = 1024  # Telegram's limit for a document's or photo's caption
_TAG = re.compile(r"<[^>]+>")


class CircularState(StrEnum):
    DRAFT = "draft"
    SENT = "sent"
    CANCELLED = "cancelled"


class Audience(StrEnum):
    ALL = "all"
    KINDS = "kinds"
    ENTERPRISES = "enterprises"


class FileKind(StrEnum):
    DOCUMENT = "document"
    PHOTO = "photo"


class ReceiptStatus(StrEnum):
    QUEUED = "queued"
    DELIVERED = "delivered"
    ACKNOWLEDGED = "acknowledged"
    UNREACHABLE = "unreachable"


@dataclass(frozen=True, slots=True)
class Circular:
    id: int
    state: CircularState
    author_id: int
    text_html: str
    file_kind: FileKind | None
    file_id: str | None
    file_name: str
    audience: Audience
    kinds: tuple[EnterpriseKind, ...]
    enterprise_ids: tuple[int, ...]
    created_at: datetime
    sent_at: datetime | None

    @property
    def has_content(self) -> bool:
        return bool(self.text_html.strip() or self.file_id)

    @property
    def unchosen(self) -> Audience | None:
        """The audience still to be filled in (no kind or no organisation ticked), if any."""
        if self.audience is Audience.KINDS and not self.kinds:
            return Audience.KINDS
        if self.audience is Audience.ENTERPRISES and not self.enterprise_ids:
            return Audience.ENTERPRISES
        return None


def visible_text(text_html: str) -> str:
    """What a reader sees of Telegram HTML: the text without its tags."""
    return html.unescape(_TAG.sub("", text_html))


@dataclass(frozen=True, slots=True)
class Content:
    """What one coordinator message contributes to a circular."""

    text_html: str
    file_kind: FileKind | None
    file_id: str | None
    file_name: str

    def over(self, circular: Circular | None) -> Content:
        """A new text replaces the draft's text, a new file its file; the other part is kept."""
        if circular is None:
            return self
        return Content(
            text_html=self.text_html or circular.text_html,
            file_kind=self.file_kind or circular.file_kind,
            file_id=self.file_id or circular.file_id,
            file_name=self.file_name if self.file_id else circular.file_name,
        )

    @property
    def length(self) -> int:
        return len(visible_text(self.text_html))

    @property
    def fits(self) -> bool:
        """A text under a file is a caption, and Telegram bounds a caption's length."""
        return self.file_id is None or self.length <= CAPTION_LIMIT


@dataclass(frozen=True, slots=True)
class Recipient:
    person: Person
    enterprise: Enterprise


@dataclass(frozen=True, slots=True)
class Receipt:
    """One recipient of a sent circular, with what became of its delivery."""

    circular_id: int
    person_id: int
    person_name: str
    enterprise_name: str
    edrpou: str
    chat_id: int | None
    status: ReceiptStatus
    delivered_at: datetime | None
    acknowledged_at: datetime | None
    reminded_at: datetime | None
    message_id: int | None
    # The person is still active and bound to the account the circular went to.
    still_holds_account: bool

    @property
    def remindable(self) -> bool:
        """Delivered, not acknowledged, and a reminder would reach the same person."""
        return self.status is ReceiptStatus.DELIVERED and self.still_holds_account


@dataclass(frozen=True, slots=True)
class Counts:
    recipients: int
    queued: int
    delivered: int  # delivered, acknowledged or not
    acknowledged: int
    unreachable: int

    @classmethod
    def of(cls, receipts: Sequence[Receipt]) -> Counts:
        def count(*statuses: ReceiptStatus) -> int:
            return sum(1 for r in receipts if r.status in statuses)

        return cls(
            recipients=len(receipts),
            queued=count(ReceiptStatus.QUEUED),
            delivered=count(ReceiptStatus.DELIVERED, ReceiptStatus.ACKNOWLEDGED),
            acknowledged=count(ReceiptStatus.ACKNOWLEDGED),
            unreachable=count(ReceiptStatus.UNREACHABLE),
        )


@dataclass(frozen=True, slots=True)
class Tracked:
    """A sent circular with every receipt: what /circulars and its detail show."""

    circular: Circular
    sent_at: datetime
    receipts: tuple[Receipt, ...]

    @property
    def counts(self) -> Counts:
        return Counts.of(self.receipts)

    @property
    def waiting(self) -> list[Receipt]:
        """Who has not acknowledged yet, whatever became of the delivery."""
        return [r for r in self.receipts if r.status is not ReceiptStatus.ACKNOWLEDGED]

    @property
    def remindable(self) -> int:
        return sum(r.remindable for r in self.receipts)


def last_day_due(today: date, working_days: int, calendar: WorkCalendar) -> date:
    """The latest sending day whose N working days have passed by `today`: circulars sent on
    it or before, still unacknowledged, get their one automatic reminder."""
    day = today
    while calendar.add_working_days(day, working_days) > today:
        day -= timedelta(days=1)
    return day

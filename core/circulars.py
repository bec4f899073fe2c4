"""Circulars: what one is (a text, a file or both, and its audience), who received it and what
became of each delivery."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from core.models import Enterprise, EnterpriseKind, Person


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

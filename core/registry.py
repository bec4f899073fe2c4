"""Registry rows as imported from a sheet, and the outcome of an import."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from core.models import EnterpriseKind


class RowProblem(StrEnum):
    """Why an imported registry row was rejected; each has a Ukrainian text in templates."""

    MISSING_EDRPOU = "missing_edrpou"
    BAD_EDRPOU = "bad_edrpou"
    MISSING_NAME = "missing_name"
    UNKNOWN_KIND = "unknown_kind"
    DUPLICATE_EDRPOU = "duplicate_edrpou"
    BAD_ACTIVE_FLAG = "bad_active_flag"


@dataclass(frozen=True, slots=True)
class EnterpriseRecord:
    edrpou: str
    name: str
    short_name: str
    kind: EnterpriseKind
    supervisor: str = ""
    active: bool = True


@dataclass(frozen=True, slots=True)
class PersonRecord:
    full_name: str
    position: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True, slots=True)
class RegistryRow:
    line: int
    enterprise: EnterpriseRecord
    person: PersonRecord | None = None


@dataclass(frozen=True, slots=True)
class RejectedRow:
    line: int
    problem: RowProblem
    value: str = ""


@dataclass(frozen=True, slots=True)
class RegistrySheet:
    rows: tuple[RegistryRow, ...]
    rejected: tuple[RejectedRow, ...]


@dataclass(slots=True)
class ImportOutcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    persons_created: int = 0
    persons_updated: int = 0
    rejected: list[RejectedRow] = field(default_factory=list)


def record_number(text: str) -> int | None:
    """A record's number as a coordinator types it ("12", "#12"); None if it is not one.

    ASCII digits only («²» passes str.isdigit but not int()), and short enough for SQLite's
    integers: nothing the database holds has a longer number.
    """
    digits = text.strip().removeprefix("#")
    if not digits.isascii() or not digits.isdigit() or len(digits) > 18:
        return None
    return int(digits)

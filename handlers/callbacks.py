"""Every CallbackData factory in one place: short versioned prefixes, enum fields, ≤ 64 bytes."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData

from core.models import PersonStatus


class ListKind(StrEnum):
    ENTERPRISES = "e"
    PERSONS = "p"


class ListPage(CallbackData, prefix="lp1"):
    kind: ListKind
    page: int


class PersonAction(StrEnum):
    STATUS = "s"
    INVITE = "i"
    UNBIND = "u"


class PersonCard(CallbackData, prefix="pc1"):
    action: PersonAction
    person_id: int
    status: PersonStatus | None = None

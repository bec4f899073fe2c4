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


class UploadAction(StrEnum):
    SAVE = "s"
    CANCEL = "c"


class PlanUpload(CallbackData, prefix="pu1"):
    action: UploadAction
    upload_id: int


class PlanPage(CallbackData, prefix="pp1"):
    plan_id: int
    page: int

"""Every CallbackData factory in one place: short versioned prefixes, enum fields, ≤ 64 bytes."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from aiogram.filters.callback_data import CallbackData
from pydantic import Field

from core.models import EnterpriseKind, MeasureStatus, PersonStatus

# Every number a button carries fits SQLite's integers: a forged 2**63 is no button at all
# (the filter does not match, and the fallback answers it as a stale button).
Ref = Annotated[int, Field(ge=-(2**31), lt=2**63)]


class ListKind(StrEnum):
    ENTERPRISES = "e"
    PERSONS = "p"


class ListPage(CallbackData, prefix="lp1"):
    kind: ListKind
    page: Ref


class PersonAction(StrEnum):
    STATUS = "s"
    INVITE = "i"
    UNBIND = "u"


class PersonCard(CallbackData, prefix="pc1"):
    action: PersonAction
    person_id: Ref
    status: PersonStatus | None = None


class UploadAction(StrEnum):
    SAVE = "s"
    CANCEL = "c"


class PlanUpload(CallbackData, prefix="pu1"):
    action: UploadAction
    upload_id: Ref


class PlanIndicator(CallbackData, prefix="pi1"):
    """A toggle of the plan preview: switch the offered indicator at `index` on or off."""

    upload_id: Ref
    index: Ref


class ImportAction(StrEnum):
    SAVE = "s"
    CANCEL = "c"
    PICK = "p"


class ReportImport(CallbackData, prefix="ri1"):
    """An organisation's report document read in: save it, drop it, or say whose it is
    (`enterprise_id`, with PICK)."""

    action: ImportAction
    import_id: Ref
    enterprise_id: Ref = 0


class PlanPage(CallbackData, prefix="pp1"):
    plan_id: Ref
    page: Ref


class QAction(StrEnum):
    START = "go"
    STATUS = "st"
    COPY = "cp"
    NEXT = "nx"
    BACK = "bk"
    OVERVIEW = "ov"
    JUMP = "jm"
    KEEP = "kp"
    CHANGE = "ch"
    INDICATORS = "in"
    SKIP = "sk"
    ZERO = "z0"  # an indicator answered «0, не було»
    COPY_ALL = "al"  # every answer as last quarter
    EXIT = "ex"
    SUBMIT = "sb"
    REOPEN = "ro"


class Q(CallbackData, prefix="q1"):
    """A questionnaire button: `ref` is a measure id, or an indicator index; `screen` is the
    token of the window it belongs to (0 on buttons that open the questionnaire)."""

    action: QAction
    report_id: Ref
    ref: Ref = 0
    status: MeasureStatus | None = None
    screen: Ref = 0


class LegacyQ(CallbackData, prefix="q1"):
    """A questionnaire button sent before windows had tokens (migration 0009): «Почати» and
    «Внести зміни» on invitations, reminders and receipts still in chats or in the outbox."""

    action: QAction
    report_id: Ref
    ref: Ref = 0
    status: MeasureStatus | None = None

    def current(self) -> Q:
        return Q(action=self.action, report_id=self.report_id, ref=self.ref, status=self.status)


class ReviewAction(StrEnum):
    VIEW = "v"
    PAGE = "p"
    ACCEPT = "a"
    RETURN = "r"
    DOCUMENT = "d"
    HISTORY = "h"


class Review(CallbackData, prefix="rv1"):
    action: ReviewAction
    report_id: Ref
    page: Ref = 0


class DraftAction(StrEnum):
    SET = "s"
    OPEN = "o"
    CANCEL = "c"


class RoundDraft(CallbackData, prefix="rd1"):
    """The /round form lives entirely in its buttons: period code and deadline as YYYYMMDD."""

    action: DraftAction
    period: str
    deadline: Ref


class ControlAction(StrEnum):
    EXTEND = "e"
    CLOSE = "c"  # asks first
    CONFIRM_CLOSE = "k"
    BACK = "b"
    NEW = "n"


class RoundControl(CallbackData, prefix="rc1"):
    action: ControlAction
    round_id: Ref
    days: Ref = 0


class StatusAction(StrEnum):
    PAGE = "p"
    REMIND = "r"


class RoundStatus(CallbackData, prefix="st1"):
    """/status: turn the list's page in place, or nudge everyone who has not handed in."""

    action: StatusAction
    round_id: Ref
    page: Ref = 0


class CircularStep(StrEnum):
    ALL = "a"
    KINDS = "k"
    KIND = "t"
    PICK = "e"
    ENTERPRISE = "x"
    BACK = "b"
    PREVIEW = "p"
    SEND = "s"
    CANCEL = "c"


class CircularDraft(CallbackData, prefix="cd1"):
    """The /circular form: audience choice, preview, send. `ref` is an enterprise id."""

    step: CircularStep
    circular_id: Ref
    kind: EnterpriseKind | None = None
    ref: Ref = 0
    page: Ref = 0


class TrackAction(StrEnum):
    OPEN = "o"
    REMIND = "r"
    EXPORT = "x"


class CircularTrack(CallbackData, prefix="ct1"):
    """/circulars: open one circular, remind who has not acknowledged, export the sheet."""

    action: TrackAction
    circular_id: Ref


class CircularAck(CallbackData, prefix="ca1"):
    """«Ознайомлений(-а)» under a delivered circular; checked against the presser."""

    circular_id: Ref
    person_id: Ref


class ReminderSnooze(CallbackData, prefix="rs1"):
    """«Нагадати завтра» under a reminder: postpone this person's next one for the report."""

    report_id: Ref


class ChaseAction(StrEnum):
    ONE = "o"
    ALL = "a"
    PAGE = "p"


class Chase(CallbackData, prefix="ch1"):
    """The list of reports not handed in (escalation, /remind): nudge one or all, turn a page."""

    action: ChaseAction
    round_id: Ref
    report_id: Ref = 0
    page: Ref = 0


class SummaryEditAction(StrEnum):
    START = "s"  # from the digest: a new message, so the digest stays
    OPEN = "o"  # from a page: the page turns in place
    REVERT = "r"
    ANSWERS = "a"
    DONE = "d"


class SummaryEdit(CallbackData, prefix="se1"):
    """The consolidated texts' editor: `index` is a measure's place in the plan; one past the
    last measure is the letter's closing proposal. `period` is a code such as "2026Q1"."""

    action: SummaryEditAction
    period: str
    index: Ref = 0


class InviteMove(CallbackData, prefix="im1"):
    """«Так, перейти» when an invite would move an account bound to another person; the code
    is the one the person opened (22 characters), so the data stays under 64 bytes."""

    code: str


class QueueAction(StrEnum):
    OPEN = "o"  # the longest-waiting report, as a new message
    PAGE = "p"
    ACCEPT = "a"
    RETURN = "r"
    SKIP = "s"


class ReviewQueue(CallbackData, prefix="rq1"):
    """/review's card: a decision names the version it was made on, so a press on a card
    the person has handed in again since (or another coordinator has decided) decides
    nothing; `report_id` 0 with OPEN."""

    action: QueueAction
    report_id: Ref = 0
    version: Ref = 0
    page: Ref = 0

"""The one outbox door: every message kind, every dedupe key and the quiet-hours rule.

Use cases say *what* to tell whom (`Letter`, `Kind`, a key from here); this module decides
when it may go and how it is stored. The sender (scheduler/sender.py) turns a row's `Method`
into the Bot API call. Nothing else writes outbox rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

import aiosqlite

from core.calendar import WorkCalendar
from storage import outbox
from storage.circulars import DELIVERY_PREFIX


class Method(StrEnum):
    """The Bot API methods an outbox row may be sent with."""

    SEND_MESSAGE = "sendMessage"
    SEND_DOCUMENT = "sendDocument"
    SEND_PHOTO = "sendPhoto"
    COPY_MESSAGE = "copyMessage"


class Kind(StrEnum):
    """What a message is, stored with its row; it decides when the message may go."""

    NOTICE = "notice"  # a decision about a report, to the people who fill it
    ROUND_OPEN = "round_open"  # the invitation to a new round
    REMINDER = "reminder"  # the ladder's reminders before and after a deadline
    NUDGE = "nudge"  # a coordinator's «Нагадати» to one organisation
    ESCALATION = "escalation"  # the list of organisations still owing, to the coordinators
    CIRCULAR = "circular"  # a circular's one delivery
    CIRCULAR_REMINDER = "circular_reminder"  # "please acknowledge the circular"
    ALERT = "alert"  # something just happened that a coordinator should see now
    INVITE_LOCKOUT = "invite_lockout"  # too many wrong invitation codes


# The quiet-hours rule: a message waits for the calendar's working hours, except an alert to
# the coordinators about what has just happened (a submission, a lockout, an unreachable
# person), which they asked to see at once.
AT_ONCE = frozenset({Kind.ALERT, Kind.INVITE_LOCKOUT})


@dataclass(frozen=True, slots=True)
class Letter:
    """One message's content: the text, its keyboard and, for a reply, the message it answers."""

    text: str
    markup: Mapping[str, object] | None = None
    reply_to: int | None = None


async def send(
    conn: aiosqlite.Connection,
    *,
    key: str,
    kind: Kind,
    chat_id: int,
    person_id: int | None,
    letter: Letter,
    calendar: WorkCalendar,
    now: datetime,
    not_before: datetime | None = None,
    expires_at: datetime | None = None,
) -> bool:
    """Queue a text message once per key, in working hours; True if it was new.

    `not_before` asks for a later moment (a reminder's due time); the quiet-hours rule still
    applies to it.
    """
    return await send_payload(
        conn, key=key, kind=kind, chat_id=chat_id, person_id=person_id,
        method=Method.SEND_MESSAGE, payload=_text_payload(letter), calendar=calendar, now=now,
        not_before=not_before, expires_at=expires_at,
    )  # fmt: skip


async def alert(
    conn: aiosqlite.Connection,
    *,
    key: str,
    chat_id: int,
    letter: Letter,
    now: datetime,
    kind: Kind = Kind.ALERT,
) -> bool:
    """Queue an alert to a coordinator's chat once per key, to go at once; True if new."""
    if kind not in AT_ONCE:
        raise ValueError(f"{kind} waits for working hours: use send()")
    return await outbox.enqueue(
        conn, dedupe_key=key, chat_id=chat_id, person_id=None, kind=kind.value,
        method=Method.SEND_MESSAGE.value, payload=_text_payload(letter), not_before=now, now=now,
    )  # fmt: skip


async def send_payload(
    conn: aiosqlite.Connection,
    *,
    key: str,
    kind: Kind,
    chat_id: int,
    person_id: int | None,
    method: Method,
    payload: Mapping[str, object],
    calendar: WorkCalendar,
    now: datetime,
    not_before: datetime | None = None,
    expires_at: datetime | None = None,
) -> bool:
    """Queue any Bot API call (a document, a photo) once per key, in working hours."""
    if kind in AT_ONCE:
        raise ValueError(f"{kind} goes at once: use alert()")
    wanted = max(now, not_before) if not_before is not None else now
    return await outbox.enqueue(
        conn,
        dedupe_key=key,
        chat_id=chat_id,
        person_id=person_id,
        kind=kind.value,
        method=method.value,
        payload=payload,
        not_before=calendar.next_allowed_moment(wanted),
        expires_at=expires_at,
        now=now,
    )


def _text_payload(letter: Letter) -> dict[str, object]:
    payload: dict[str, object] = {"text": letter.text}
    if letter.markup is not None:
        payload["reply_markup"] = dict(letter.markup)
    if letter.reply_to is not None:
        payload["reply_parameters"] = {
            "message_id": letter.reply_to,
            "allow_sending_without_reply": True,
        }
    return payload


# The dedupe keys. A key says "this message, once": what it names is what may not repeat.


def submitted_key(report_id: int, version: int, chat_id: int) -> str:
    """One notice per submitted version per coordinator chat."""
    return f"submitted:{report_id}:{version}:{chat_id}"


def assigned_key(report_id: int, person_id: int) -> str:
    return f"assigned:{report_id}:{person_id}"


def notice_key(event: str, person_id: int) -> str:
    """A report decision (`event` names it with its version) told once to each filler."""
    return f"{event}:{person_id}"


def unreachable_key(person_id: int, day: date, chat_id: int) -> str:
    """One notice per unreachable person per local day, however it was learnt."""
    return f"unreachable:{person_id}:{day.isoformat()}:{chat_id}"


def lockout_key(scope: str, hour: str, chat_id: int) -> str:
    return f"invite_lockout:{scope}:{hour}:{chat_id}"


def round_open_key(round_id: int, person_id: int) -> str:
    return f"round_open:{round_id}:{person_id}"


def reminder_key(round_id: int, person_id: int, step: str) -> str:
    """The ladder's step (`before-3`, `deadline`, `snoozed-<day>`…) once per person."""
    return f"reminder:{round_id}:{person_id}:{step}"


def nudge_key(round_id: int, person_id: int, day: date) -> str:
    """A coordinator's «Нагадати»: at most once a local day per person."""
    return f"nudge:{round_id}:{person_id}:{day.isoformat()}"


def escalation_key(round_id: int, chat_id: int) -> str:
    return f"escalation:{round_id}:{chat_id}"


def circular_key(circular_id: int, person_id: int) -> str:
    """A circular's one delivery to one person (storage joins receipts on it)."""
    return f"{DELIVERY_PREFIX}{circular_id}:{person_id}"


def circular_reminder_key(circular_id: int, person_id: int) -> str:
    """The automatic reminder to acknowledge: one per circular and person, ever."""
    return f"circular-remind:{circular_id}:{person_id}"


def circular_nudge_key(circular_id: int, person_id: int, day: date) -> str:
    """A coordinator's «Нагадати» on a circular: at most once a local day per person."""
    return f"circular-nudge:{circular_id}:{person_id}:{day.isoformat()}"


# --- Tallies: one running alert per chat, rewritten while it waits ------------------------------

# A coordinator hears of submissions at most once every TALLY_GAP: the first at once, and what
# comes in meanwhile in one message due a TALLY_GAP after the last one went.
TALLY_GAP = timedelta(minutes=30)
_SUBMISSIONS = "submissions:"


@dataclass(frozen=True, slots=True)
class Tally:
    """A chat's tally still waiting to go: its row and the first submission it counts (a
    report_versions id, from its key)."""

    outbox_id: int
    since: int


def submissions_key(chat_id: int, since: int) -> str:
    """A chat's tally of submissions counted from report version row `since` on."""
    return f"{_SUBMISSIONS}{chat_id}:{since}"


async def pending_tally(conn: aiosqlite.Connection, chat_id: int) -> Tally | None:
    """The chat's tally of submissions not yet sent, if one waits (call in a transaction)."""
    row = await outbox.latest_with_key_prefix(conn, f"{_SUBMISSIONS}{chat_id}:")
    if row is None or row.state is not outbox.OutboxState.PENDING:
        return None
    return Tally(row.id, int(row.dedupe_key.rsplit(":", 1)[1]))


async def revise_tally(
    conn: aiosqlite.Connection, tally: Tally, letter: Letter, *, now: datetime
) -> bool:
    """Rewrite a waiting tally with the count so far; False if it went meanwhile."""
    return await outbox.revise_pending(conn, tally.outbox_id, _text_payload(letter), now=now)


async def start_tally(
    conn: aiosqlite.Connection, *, chat_id: int, since: int, letter: Letter, now: datetime
) -> bool:
    """A new tally for the chat from submission `since`: at once, or TALLY_GAP after the last
    tally went (or was due), whichever is later. An alert: no quiet hours."""
    last = await outbox.latest_with_key_prefix(conn, f"{_SUBMISSIONS}{chat_id}:")
    due = now
    if last is not None:
        due = max(now, (last.sent_at or last.not_before) + TALLY_GAP)
    return await outbox.enqueue(
        conn, dedupe_key=submissions_key(chat_id, since), chat_id=chat_id, person_id=None,
        kind=Kind.ALERT.value, method=Method.SEND_MESSAGE.value, payload=_text_payload(letter),
        not_before=due, now=now,
    )  # fmt: skip

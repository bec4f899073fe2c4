"""Every command and every button kind × every role, each cell's outcome asserted.

The rows are checked against the routers themselves: a new Command or CallbackData (or a new
action of one) without a row here fails `test_every_handler_has_a_row_in_the_matrix`.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

import pytest
from aiogram import BaseMiddleware, Router
from aiogram.dispatcher.event.handler import HandlerObject
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData, CallbackQueryFilter
from aiogram.types import TelegramObject

from core.models import MeasureStatus, PersonStatus
from handlers import fallback, get_routers
from storage.database import fetch_one
from templates import render
from tests.hardening.fuzz_long import BY_NAME, Event, FuzzBot, build_template, fuzz_bot
from ui import callbacks as cb

ROLES = ("coordinator", "person_a", "person_b", "stranger", "dismissed")
# served: a use-case handler ran; checked: it ran and refused the button itself (not yours,
# not live); stale: the fallback's «Ці кнопки вже не діють»; refused: no access (stranger,
# dismissed, or a person at a coordinator's command); guided: the fallback's help.
OUTCOMES = ("served", "checked", "stale", "refused", "guided")
UNBOUND_PERSON = 3


@dataclass(frozen=True)
class Ids:
    """Rows of the fuzz template a cell's command or button points at."""

    report_a: int
    report_b: int
    round_id: int
    plan_id: int
    measure: int


Build = Callable[[Ids], str]


def _row(coordinator: str, person_a: str, person_b: str, stranger: str, dismissed: str) -> dict:
    return dict(zip(ROLES, (coordinator, person_a, person_b, stranger, dismissed), strict=True))


COORDINATOR_ONLY = _row("served", "refused", "refused", "refused", "refused")
COORDINATOR_BUTTON = _row("served", "stale", "stale", "refused", "refused")
OWN_REPORT = _row("stale", "served", "checked", "refused", "refused")
PERSON_BUTTON_CHECKED = _row("stale", "checked", "checked", "refused", "refused")

# Commands: the text sent, and the outcome per role.
COMMAND_ROWS: dict[str, tuple[str, dict[str, str]]] = {
    "start": ("/start", _row("served", "served", "served", "refused", "refused")),
    "start <code>": ("/start AAAAAAAAAAAAAAAAAAAAAA", _row(*["served"] * 5)),
    "help": ("/help", _row("served", "served", "served", "refused", "refused")),
    "history": ("/history", _row("guided", "served", "served", "refused", "refused")),
    "report": ("/report", _row("guided", "served", "served", "refused", "refused")),
    "enterprises": ("/enterprises", COORDINATOR_ONLY),
    "persons": ("/persons", COORDINATOR_ONLY),
    "person": ("/person 3", COORDINATOR_ONLY),
    "invite": ("/invite 3", COORDINATOR_ONLY),
    "invites": ("/invites", COORDINATOR_ONLY),
    "unbind": ("/unbind", COORDINATOR_ONLY),
    "plan": ("/plan", COORDINATOR_ONLY),
    "planorder": ("/planorder", COORDINATOR_ONLY),
    "kinds": ("/kinds", COORDINATOR_ONLY),
    "indicator": ("/indicator", COORDINATOR_ONLY),
    "round": ("/round", COORDINATOR_ONLY),
    "assign": ("/assign", COORDINATOR_ONLY),
    "review": ("/review", COORDINATOR_ONLY),
    "status": ("/status", COORDINATOR_ONLY),
    "summary": ("/summary", COORDINATOR_ONLY),
    "remind": ("/remind", COORDINATOR_ONLY),
    "circular": ("/circular", COORDINATOR_ONLY),
    "circulars": ("/circulars", COORDINATOR_ONLY),
    "backup": ("/backup", COORDINATOR_ONLY),
    "promote": ("/promote 999", COORDINATOR_ONLY),
    "demote": ("/demote 999", COORDINATOR_ONLY),
}


def q(action: cb.QAction, ref: str = "", status: MeasureStatus | None = None) -> Build:
    def build(ids: Ids) -> str:
        target = ids.measure if ref == "measure" else 0
        return cb.Q(action=action, report_id=ids.report_a, ref=target, status=status).pack()

    return build


# Buttons: how to forge the data, and the outcome per role. Keys: prefix, or prefix:action.
CALLBACK_ROWS: dict[str, tuple[Build, dict[str, str]]] = {
    "lp1:e": (
        lambda i: cb.ListPage(kind=cb.ListKind.ENTERPRISES, page=1).pack(),
        COORDINATOR_BUTTON,
    ),
    "lp1:p": (lambda i: cb.ListPage(kind=cb.ListKind.PERSONS, page=1).pack(), COORDINATOR_BUTTON),
    "pc1:s": (
        lambda i: cb.PersonCard(
            action=cb.PersonAction.STATUS, person_id=UNBOUND_PERSON, status=PersonStatus.ACTIVE
        ).pack(),
        COORDINATOR_BUTTON,
    ),
    "pc1:i": (
        lambda i: cb.PersonCard(action=cb.PersonAction.INVITE, person_id=UNBOUND_PERSON).pack(),
        COORDINATOR_BUTTON,
    ),
    "pc1:u": (
        lambda i: cb.PersonCard(action=cb.PersonAction.UNBIND, person_id=UNBOUND_PERSON).pack(),
        COORDINATOR_BUTTON,
    ),
    "pu1:s": (
        lambda i: cb.PlanUpload(action=cb.UploadAction.SAVE, upload_id=999).pack(),
        COORDINATOR_BUTTON,
    ),
    "pu1:c": (
        lambda i: cb.PlanUpload(action=cb.UploadAction.CANCEL, upload_id=999).pack(),
        COORDINATOR_BUTTON,
    ),
    # A toggle of a plan upload's offered indicators: an upload that does not exist.
    "pi1": (lambda i: cb.PlanIndicator(upload_id=999, index=0).pack(), COORDINATOR_BUTTON),
    "pp1": (lambda i: cb.PlanPage(plan_id=i.plan_id, page=1).pack(), COORDINATOR_BUTTON),
    # A report document read in (handlers/report_import.py): an import that does not exist.
    **{
        f"ri1:{action.value}": (
            lambda i, a=action: cb.ReportImport(action=a, import_id=999, enterprise_id=1).pack(),
            COORDINATOR_BUTTON,
        )
        for action in cb.ImportAction
    },
    "q1:go": (q(cb.QAction.START), _row("stale", "served", "checked", "refused", "refused")),
    "q1:st": (q(cb.QAction.STATUS, "measure", MeasureStatus.DONE), OWN_REPORT),
    "q1:cp": (q(cb.QAction.COPY, "measure"), PERSON_BUTTON_CHECKED),
    "q1:nx": (q(cb.QAction.NEXT, "measure"), OWN_REPORT),
    "q1:bk": (q(cb.QAction.BACK, "measure"), OWN_REPORT),
    "q1:ov": (q(cb.QAction.OVERVIEW), OWN_REPORT),
    "q1:jm": (q(cb.QAction.JUMP, "measure"), OWN_REPORT),
    "q1:kp": (q(cb.QAction.KEEP, "measure"), OWN_REPORT),
    "q1:ch": (q(cb.QAction.CHANGE, "measure"), OWN_REPORT),
    "q1:in": (q(cb.QAction.INDICATORS), OWN_REPORT),
    "q1:sk": (q(cb.QAction.SKIP), PERSON_BUTTON_CHECKED),
    "q1:z0": (q(cb.QAction.ZERO), PERSON_BUTTON_CHECKED),
    "q1:al": (q(cb.QAction.COPY_ALL), PERSON_BUTTON_CHECKED),
    "q1:ex": (q(cb.QAction.EXIT), OWN_REPORT),
    "q1:sb": (q(cb.QAction.SUBMIT), OWN_REPORT),
    "q1:ro": (q(cb.QAction.REOPEN), PERSON_BUTTON_CHECKED),
    "rv1:v": (
        lambda i: cb.Review(action=cb.ReviewAction.VIEW, report_id=i.report_a).pack(),
        COORDINATOR_BUTTON,
    ),
    "rv1:p": (
        lambda i: cb.Review(action=cb.ReviewAction.PAGE, report_id=i.report_a, page=1).pack(),
        COORDINATOR_BUTTON,
    ),
    "rv1:a": (
        lambda i: cb.Review(action=cb.ReviewAction.ACCEPT, report_id=i.report_a).pack(),
        COORDINATOR_BUTTON,
    ),
    "rv1:r": (
        lambda i: cb.Review(action=cb.ReviewAction.RETURN, report_id=i.report_a).pack(),
        COORDINATOR_BUTTON,
    ),
    # The review queue (handlers/review_queue.py): report_a is not submitted, so a decision
    # on it decides nothing and says so (served: the queue's own answer, then the next card).
    **{
        f"rq1:{action.value}": (
            lambda i, a=action: cb.ReviewQueue(action=a, report_id=i.report_a, version=1).pack(),
            COORDINATOR_BUTTON,
        )
        for action in cb.QueueAction
    },
    "im1": (
        lambda i: cb.InviteMove(code="AAAAAAAAAAAAAAAAAAAAAA").pack(),
        _row(*["served"] * 5),
    ),
    "rv1:h": (
        lambda i: cb.Review(action=cb.ReviewAction.HISTORY, report_id=i.report_a).pack(),
        COORDINATOR_BUTTON,
    ),
    "rv1:d": (
        lambda i: cb.Review(action=cb.ReviewAction.DOCUMENT, report_id=i.report_a).pack(),
        COORDINATOR_BUTTON,
    ),
    **{
        f"se1:{action.value}": (
            lambda i, action=action: cb.SummaryEdit(action=action, period="2026Q1").pack(),
            COORDINATOR_BUTTON,
        )
        for action in cb.SummaryEditAction
    },
    "rd1:s": (
        lambda i: cb.RoundDraft(
            action=cb.DraftAction.SET, period="2026Q2", deadline=20260625
        ).pack(),
        COORDINATOR_BUTTON,
    ),
    "rd1:o": (
        lambda i: cb.RoundDraft(
            action=cb.DraftAction.OPEN, period="2026Q1", deadline=20260325
        ).pack(),
        COORDINATOR_BUTTON,
    ),
    "rd1:c": (
        lambda i: cb.RoundDraft(
            action=cb.DraftAction.CANCEL, period="2026Q1", deadline=20260325
        ).pack(),
        COORDINATOR_BUTTON,
    ),
    "rc1:e": (
        lambda i: cb.RoundControl(
            action=cb.ControlAction.EXTEND, round_id=i.round_id, days=7
        ).pack(),
        COORDINATOR_BUTTON,
    ),
    "rc1:c": (
        lambda i: cb.RoundControl(action=cb.ControlAction.CLOSE, round_id=i.round_id).pack(),
        COORDINATOR_BUTTON,
    ),
    "rc1:k": (
        lambda i: cb.RoundControl(
            action=cb.ControlAction.CONFIRM_CLOSE, round_id=i.round_id
        ).pack(),
        COORDINATOR_BUTTON,
    ),
    "rc1:b": (
        lambda i: cb.RoundControl(action=cb.ControlAction.BACK, round_id=i.round_id).pack(),
        COORDINATOR_BUTTON,
    ),
    "rc1:n": (
        lambda i: cb.RoundControl(action=cb.ControlAction.NEW, round_id=i.round_id).pack(),
        COORDINATOR_BUTTON,
    ),
    "st1:p": (
        lambda i: cb.RoundStatus(action=cb.StatusAction.PAGE, round_id=i.round_id).pack(),
        COORDINATOR_BUTTON,
    ),
    "st1:r": (
        lambda i: cb.RoundStatus(action=cb.StatusAction.REMIND, round_id=i.round_id).pack(),
        COORDINATOR_BUTTON,
    ),
    # Reminders (handlers/reminders.py).
    "rs1": (lambda i: cb.ReminderSnooze(report_id=i.report_a).pack(), OWN_REPORT),
    **{
        f"ch1:{action.value}": (
            lambda i, a=action: cb.Chase(
                action=a, round_id=i.round_id, report_id=i.report_a
            ).pack(),
            COORDINATOR_BUTTON,
        )
        for action in cb.ChaseAction
    },
    # Circulars (handlers/circulars.py, circular_tracking.py, circular_acks.py): one not there.
    "ca1": (lambda i: cb.CircularAck(circular_id=999, person_id=1).pack(), PERSON_BUTTON_CHECKED),
    **{
        f"cd1:{step.value}": (
            lambda i, s=step: cb.CircularDraft(step=s, circular_id=999).pack(),
            COORDINATOR_BUTTON,
        )
        for step in cb.CircularStep
    },
    **{
        f"ct1:{action.value}": (
            lambda i, a=action: cb.CircularTrack(action=a, circular_id=999).pack(),
            _row("checked", "stale", "stale", "refused", "refused"),
        )
        for action in cb.TrackAction
    },
}


# --- Introspection: what the routers handle -------------------------------------------------


def _walk(router: Router) -> Iterator[Router]:
    yield router
    for child in router.sub_routers:
        yield from _walk(child)


def handled_commands() -> set[str]:
    found: set[str] = set()
    for router in (r for top in get_routers() for r in _walk(top)):
        for handler in router.message.handlers:
            for filter_ in handler.filters or []:
                if isinstance(filter_.callback, Command):
                    found.update(str(c) for c in filter_.callback.commands)
    return found


def handled_factories() -> set[type[CallbackData]]:
    found: set[type[CallbackData]] = set()
    for router in (r for top in get_routers() for r in _walk(top)):
        for handler in router.callback_query.handlers:
            for filter_ in handler.filters or []:
                if isinstance(filter_.callback, CallbackQueryFilter):
                    found.add(filter_.callback.callback_data)
    return found


def defined_factories() -> set[type[CallbackData]]:
    return {
        value
        for value in vars(cb).values()
        if isinstance(value, type)
        and issubclass(value, CallbackData)
        and value is not CallbackData
    }


def kinds_of(factory: type[CallbackData]) -> list[str]:
    """One kind per value of the factory's first field when it is an enum (its action)."""
    first = next(iter(factory.model_fields.values())).annotation
    if isinstance(first, type) and issubclass(first, Enum):
        return [f"{factory.__prefix__}:{member.value}" for member in first]
    return [factory.__prefix__]


def missing_rows() -> list[str]:
    missing = [f"command /{c}" for c in sorted(handled_commands()) if c not in COMMAND_ROWS]
    missing += [
        f"command /{c} (fallback's COORDINATOR_COMMANDS)"
        for c in sorted(fallback.COORDINATOR_COMMANDS)
        if c not in COMMAND_ROWS
    ]
    factories = handled_factories() | defined_factories()
    for factory in sorted(factories, key=lambda f: f.__prefix__):
        missing += [
            f"button {kind} ({factory.__name__})"
            for kind in kinds_of(factory)
            if kind not in CALLBACK_ROWS
        ]
    return missing


def test_every_handler_has_a_row_in_the_matrix() -> None:
    assert missing_rows() == [], "add these rows to the authorization matrix"


def test_every_row_names_a_known_outcome_for_every_role() -> None:
    rows = [*COMMAND_ROWS.values(), *CALLBACK_ROWS.values()]
    assert all(set(expected) == set(ROLES) for _, expected in rows)
    assert {o for _, expected in rows for o in expected.values()} <= set(OUTCOMES)


# --- Playing a cell ---------------------------------------------------------------------------


class HandlerSpy(BaseMiddleware):
    """Inner middleware: which handler took each update (set on the dispatcher, it wraps every
    router's handlers)."""

    def __init__(self) -> None:
        self.taken: list[str] = []

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        chosen = data.get("handler")
        if isinstance(chosen, HandlerObject):
            self.taken.append(f"{chosen.callback.__module__}.{chosen.callback.__name__}")
        return await handler(event, data)


REFUSALS = {
    render("access/stranger.html"),
    render("access/coordinator_only.html"),
    render("access/denied_alert.txt"),
}
# What a use-case handler answers when it refuses a button itself.
HANDLER_REFUSALS = {
    render("access/stale.txt"),
    render("access/denied_alert.txt"),
    render("circulars/not_yours.txt"),
}


def classify(taken: list[str], replies: list[str]) -> str:
    if not taken:
        return "ignored"
    handler = taken[-1]
    if handler.startswith("handlers.fallback."):
        name = handler.rsplit(".", 1)[1]
        if name.startswith("refuse_stranger"):
            return "refused"
        if name == "answer_stale_button":
            return "stale"
        return "refused" if any(r in REFUSALS for r in replies) else "guided"
    if any(r in HANDLER_REFUSALS for r in replies):
        return "checked"
    return "served"


async def ids_of(fuzz: FuzzBot) -> Ids:
    async with fuzz.db.reading() as conn:
        a = await fetch_one(conn, "SELECT id, round_id FROM reports WHERE enterprise_id = 1")
        b = await fetch_one(conn, "SELECT id FROM reports WHERE enterprise_id = 4")
        plan = await fetch_one(conn, "SELECT id FROM plans WHERE active = 1")
        assert a is not None and b is not None and plan is not None
        measure = await fetch_one(
            conn, "SELECT id FROM measures WHERE plan_id = ? ORDER BY position", (plan["id"],)
        )
        assert measure is not None
    return Ids(a["id"], b["id"], a["round_id"], plan["id"], measure["id"])


def replies_since(fuzz: FuzzBot, user_id: int, after: int) -> list[str]:
    texts = []
    for event in fuzz.emulator.events[after:]:
        if event["chat_id"] != user_id:
            continue
        if event["kind"] == "callback_answer" and event.get("text"):
            texts.append(str(event["text"]))
        message = event.get("message")
        if event["kind"] in ("bot_message", "bot_edit") and isinstance(message, dict):
            texts.append(str(message.get("text") or message.get("caption") or ""))
    return texts


async def open_questionnaire(fuzz: FuzzBot, role: str) -> None:
    """Persons press «Почати» on their invitation, so that a questionnaire message is live."""
    user = BY_NAME[role].user_id
    for message_id, data in fuzz.buttons(user, latest_only=False):
        if data.startswith("q1:go:"):
            fuzz.emulator.user_presses(user, message_id, callback_data=data)
            await fuzz.feed_pending(Event(role, "press"), lambda raw: None)
            return


def in_live_window(fuzz: FuzzBot, role: str, data: str) -> str:
    """A forged questionnaire button as the role's live window would carry it: with its token."""
    for _, button in fuzz.buttons(BY_NAME[role].user_id, latest_only=True):
        if button.startswith("q1:") and not button.startswith("q1:go:"):
            window = cb.Q.unpack(button).screen
            return cb.Q.unpack(data).model_copy(update={"screen": window}).pack()
    return data


async def play_cell(
    fuzz: FuzzBot, spy: HandlerSpy, role: str, command: str | None, data: str
) -> str:
    user = BY_NAME[role].user_id
    event = Event(role, "command" if command else "press", command or data)
    if not fuzz.bot_messages(user):
        fuzz.emulator.user_sends_text(user, "/help")  # a message to press buttons on
        await fuzz.feed_pending(event, lambda raw: None)
    calls, events = len(fuzz.emulator.calls), len(fuzz.emulator.events)
    spy.taken.clear()
    if command:
        fuzz.emulator.user_sends_text(user, command)
    else:
        message_id = fuzz.bot_messages(user)[0]["id"]
        fuzz.emulator.user_presses(user, message_id, callback_data=data)
    await fuzz.feed_pending(event, lambda raw: None)
    fuzz.check_calls(event, calls)
    fuzz.check_errors(event)
    return classify(spy.taken, replies_since(fuzz, user, events))


async def play_row(template: Path, command: str | None, build: Build | None) -> dict[str, str]:
    with tempfile.TemporaryDirectory() as directory:
        async with fuzz_bot(template, Path(directory)) as fuzz:
            spy = HandlerSpy()
            fuzz.dispatcher.message.middleware(spy)
            fuzz.dispatcher.callback_query.middleware(spy)
            data = build(await ids_of(fuzz)) if build else ""
            observed = {}
            # The coordinator goes last: their button may close the round the others use.
            for role in ("stranger", "dismissed", "person_b", "person_a", "coordinator"):
                pressed = data
                if data.startswith("q1:") and role.startswith("person"):
                    await open_questionnaire(fuzz, role)
                    pressed = in_live_window(fuzz, role, data)
                observed[role] = await play_cell(fuzz, spy, role, command, pressed)
            assert [f"{f.event}: {f.problem}" for f in fuzz.outcome.failures] == []
            return observed


@pytest.fixture(scope="module")
def template() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as directory:
        yield asyncio.run(build_template(Path(directory)))


def test_every_command_and_button_gives_each_role_its_expected_outcome(template: Path) -> None:
    async def play_all() -> dict[str, tuple[dict[str, str], dict[str, str]]]:
        table = {}
        for name, (text, expected) in COMMAND_ROWS.items():
            table[f"/{name}"] = (expected, await play_row(template, text, None))
        for kind, (build, expected) in CALLBACK_ROWS.items():
            table[kind] = (expected, await play_row(template, None, build))
        return table

    table = asyncio.run(play_all())
    wrong = {
        f"{row} × {role}": f"expected {expected[role]}, got {observed[role]}"
        for row, (expected, observed) in table.items()
        for role in ROLES
        if expected[role] != observed[role]
    }
    assert wrong == {}

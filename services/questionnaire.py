"""The questionnaire's use cases: open it, answer (a status, a narrative, a number, evidence),
skip, move and leave (last quarter's answers: services.last_quarter). Each runs in one
transaction that saves the answer and stores the person's next step and live window before
anything is shown, so a restart resumes exactly there; a button of any other window changes
nothing."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from enum import StrEnum

import aiosqlite

from core.models import Actor, MeasureStatus, Person
from core.questionnaire import (
    BOUND_TO_MEASURE,
    INDICATOR_SCREENS,
    MEASURE_SCREENS,
    Move,
    Note,
    NoteKind,
    ReportContext,
    Step,
    applicable,
    can_reopen,
    first_step,
    is_editable,
    moved,
    shows,
    step_after_status,
)
from services.deps import Deps
from storage import answers as answer_rows
from storage import plans, positions, report_context, reporting

# Window tokens are drawn from 1..WINDOW_TOKENS: at most 7 digits in every button's data.
WINDOW_TOKENS = 999_999


@dataclass(frozen=True, slots=True)
class Pressed:
    """A questionnaire button as pressed: its report, the token of the window it belongs to
    (0 on buttons that open the questionnaire) and the message it is on."""

    report_id: int
    window: int = 0
    message_id: int | None = None


class Refusal(StrEnum):
    """Why a button changed nothing."""

    DENIED = "denied"  # no such report, or not this person's
    STALE = "stale"  # not a button of the live window, or not of what that window shows
    NOT_EDITABLE = "not_editable"  # accepted, handed in, or its round is closed


@dataclass(frozen=True, slots=True)
class Refused:
    reason: Refusal
    context: ReportContext | None = None  # with NOT_EDITABLE: the report that can't change


@dataclass(frozen=True, slots=True)
class Shown:
    """The questionnaire at `step` in the live window `window`, stored before it is drawn.

    `old_message` is the message of the window a new one replaced, if known: after typed input
    it is edited into the new window, and whoever sends the new window as a new message takes
    the old one down. `note` confirms what was just saved, on this screen only.
    """

    context: ReportContext
    step: Step
    window: int
    old_message: int | None = None
    note: Note | None = None


@dataclass(frozen=True, slots=True)
class NoReport:
    """The person has no report in any round."""


@dataclass(frozen=True, slots=True)
class ReportChoice:
    """Several reports may be filled (the person substitutes for another organisation)."""

    contexts: list[ReportContext]


@dataclass(frozen=True, slots=True)
class NotEditable:
    """The person's report can't change now; `reopen` says whether it may be reopened."""

    context: ReportContext
    reopen: bool


# --- Reading the context -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Live:
    """A button's report open in the person's live window: the step that window shows and the
    person's position, as read at the start of the update."""

    context: ReportContext
    step: Step
    place: positions.Position


async def read_live(
    conn: aiosqlite.Connection, person: Person, report_id: int | None = None
) -> tuple[ReportContext, positions.Position | None] | None:
    """The report (None: the one the person's position is on) with its context, and the
    person's position, in one statement; None if there is none or it is not this person's."""
    rows = await report_context.read_report(conn, person.id, report_id)
    if rows is None or not rows.report.fillable_by(person.id, person.enterprise_id):
        return None
    plan_id, version = rows.round.plan_id, rows.data_version
    context = ReportContext(
        person=person,
        report=rows.report,
        round=rows.round,
        enterprise=rows.enterprise,
        measures=applicable(
            await plans.measures(conn, plan_id, version=version), rows.enterprise.kind
        ),
        answers=rows.answers,
        indicators=await plans.indicators(conn, plan_id, version=version),
        values=rows.values,
        previous=rows.previous,
        attachments=rows.attachments,
        previous_values=rows.previous_values,
    )
    return context, rows.position


async def load_context(
    conn: aiosqlite.Connection, report_id: int, person: Person
) -> ReportContext | None:
    """The report with its context, or None if it does not exist or is not this person's."""
    found = await read_live(conn, person, report_id)
    return found[0] if found is not None else None


async def refresh_context(conn: aiosqlite.Connection, session: ReportContext) -> ReportContext:
    """The session after a save, read again (in the same transaction)."""
    return await load_context(conn, session.report.id, session.person) or session


def with_answer(session: ReportContext, saved: answer_rows.Saved) -> ReportContext:
    """The session after a save of one measure's status or narrative: the report and that
    answer as the save left them, the other answers (which it did not touch) as they were."""
    return replace(
        session,
        report=saved.report,
        answers={**session.answers, saved.answer.measure_id: saved.answer},
    )


# --- The live window ---------------------------------------------------------------------------


def _new_window(place: positions.Position | None) -> int:
    """A token for a new live window, never the one it replaces."""
    while (token := secrets.randbelow(WINDOW_TOKENS) + 1) == (place.screen if place else 0):
        pass
    return token


async def place_window(
    conn: aiosqlite.Connection,
    deps: Deps,
    context: ReportContext,
    step: Step,
    *,
    place: positions.Position | None,
    window: int | None = None,
    message_id: int | None = None,
    same_message: bool = False,
    note: Note | None = None,
) -> Shown:
    """Store `step` in the live window `window` (a new one if None) before it is drawn.

    `place` is the person's position as this transaction read it. `message_id` is the message
    that will show it, if known (a pressed button's message); `same_message` keeps the live
    window's message, which typed input edits in place.
    """
    if window is None:
        window = _new_window(place)
    if same_message and place is not None:
        message_id = place.message_id
    await positions.set_position(
        conn,
        context.person.id,
        context.report.id,
        str(step),
        screen=window,
        message_id=message_id,
        now=deps.now(),
    )
    return Shown(context, step, window, place.message_id if place is not None else None, note)


async def window_sent(deps: Deps, shown: Shown, message_id: int) -> None:
    """Remember the message that shows a new window, to take its buttons off later."""
    async with deps.db.transaction() as conn:
        await positions.window_sent(conn, shown.context.person.id, shown.window, message_id)


def _resume_step(context: ReportContext, place: positions.Position | None) -> Step:
    """Where the person left this report, or its first open measure."""
    if place is not None and place.report_id == context.report.id:
        return Step.parse(place.step)
    return first_step(context.measures, context.answers)


async def _editable(
    conn: aiosqlite.Connection, actor: Actor, report_id: int
) -> tuple[ReportContext, positions.Position | None] | Refused:
    found = await read_live(conn, actor.person, report_id) if actor.person else None
    if found is None:
        return Refused(Refusal.DENIED)
    if not is_editable(found[0].report, found[0].round):
        return Refused(Refusal.NOT_EDITABLE, found[0])
    return found


async def live_window(
    conn: aiosqlite.Connection, actor: Actor, pressed: Pressed
) -> Live | Refused:
    """The report behind a button of the live window, and the step that window shows."""
    found = await _editable(conn, actor, pressed.report_id)
    if isinstance(found, Refused):
        return found
    context, place = found
    if place is None or place.screen == 0:
        return Refused(Refusal.STALE)
    if place.report_id != context.report.id or pressed.window != place.screen:
        return Refused(Refusal.STALE)
    return Live(context, Step.parse(place.step), place)


# --- Entering ----------------------------------------------------------------------------------


async def open_form(deps: Deps, actor: Actor) -> NoReport | ReportChoice | NotEditable | Shown:
    """/report: the person's report where they left off, in a new window."""
    assert actor.person is not None
    async with deps.db.transaction() as conn:
        reports = await reporting.reports_for_person(
            conn, actor.person.id, actor.person.enterprise_id
        )
        contexts = [
            c for r in reports if (c := await load_context(conn, r.id, actor.person)) is not None
        ]
        if not contexts:
            return NoReport()
        editable = [c for c in contexts if is_editable(c.report, c.round)]
        if len(editable) > 1:
            return ReportChoice(editable)
        if not editable:
            context = contexts[0]
            reopen = can_reopen(context.report, context.round, deps.now(), deps.calendar)
            return NotEditable(context, reopen)
        context = editable[0]
        place = await positions.position(conn, actor.person.id)
        return await place_window(conn, deps, context, _resume_step(context, place), place=place)


async def resume(deps: Deps, actor: Actor, pressed: Pressed) -> Shown | Refused:
    """«Почати» or «Продовжити» on any message: it becomes the live window, where they left."""
    async with deps.db.transaction() as conn:
        found = await _editable(conn, actor, pressed.report_id)
        if isinstance(found, Refused):
            return found
        context, place = found
        step = _resume_step(context, place)
        return await place_window(
            conn, deps, context, step, place=place, message_id=pressed.message_id
        )


# --- Buttons -----------------------------------------------------------------------------------


async def choose_status(
    deps: Deps, actor: Actor, pressed: Pressed, measure_id: int, status: MeasureStatus | None
) -> Shown | Refused:
    """Save a measure's status; then ask what was done (unless it does not apply)."""
    async with deps.db.transaction() as conn:
        found = await live_window(conn, actor, pressed)
        if isinstance(found, Refused):
            return found
        context, live = found.context, found.step
        measure = context.measure(measure_id)
        if not shows(live, MEASURE_SCREENS, measure_id) or measure is None or status is None:
            return Refused(Refusal.STALE)
        saved = await answer_rows.save_status(
            conn, context.report, measure.id, status, person_id=context.person.id, now=deps.now()
        )
        context = with_answer(context, saved)
        step = step_after_status(measure.id, status, saved.answer, context)
        return await stay(conn, deps, context, step, pressed, found.place)


async def move(deps: Deps, actor: Actor, pressed: Pressed, to: Move, ref: int) -> Shown | Refused:
    """Back, next, the overview, a measure, the indicators; keep a text or change a status."""
    async with deps.db.transaction() as conn:
        found = await live_window(conn, actor, pressed)
        if isinstance(found, Refused):
            return found
        context, live = found.context, found.step
        if to in BOUND_TO_MEASURE and not shows(live, MEASURE_SCREENS, ref):
            return Refused(Refusal.STALE)
        step = moved(live, to, ref, context)
        if step is None:
            return Refused(Refusal.STALE)
        return await stay(conn, deps, context, step, pressed, found.place)


async def answer_indicator(
    deps: Deps, actor: Actor, pressed: Pressed, index: int, value: int | None
) -> Shown | Refused:
    """A button's answer to the indicator on screen: «0» (there was none), or None to leave it
    empty on purpose; then go on."""
    async with deps.db.transaction() as conn:
        found = await live_window(conn, actor, pressed)
        if isinstance(found, Refused):
            return found
        context, live = found.context, found.step
        if not shows(live, INDICATOR_SCREENS, index) or index >= len(context.indicators):
            return Refused(Refusal.STALE)
        indicator = context.indicators[index]
        await answer_rows.save_indicator(
            conn, context.report, indicator.code, value, now=deps.now()
        )
        context = await refresh_context(conn, context)
        note = Note(NoteKind.NUMBER, indicator.label, str(value)) if value is not None else None
        return await stay(conn, deps, context, context.after(live), pressed, found.place, note)


async def save_and_exit(deps: Deps, actor: Actor, pressed: Pressed) -> ReportContext | Refused:
    """Everything is saved already: close the live window; /report comes back to this step."""
    async with deps.db.transaction() as conn:
        found = await live_window(conn, actor, pressed)
        if isinstance(found, Refused):
            return found
        context, live = found.context, found.step
        await positions.set_position(
            conn, context.person.id, context.report.id, str(live), screen=0, message_id=None,
            now=deps.now(),
        )  # fmt: skip
        return context


async def stay(
    conn: aiosqlite.Connection,
    deps: Deps,
    context: ReportContext,
    step: Step,
    pressed: Pressed,
    place: positions.Position,
    note: Note | None = None,
) -> Shown:
    """The pressed live window (the person's position `place`) goes on to `step`."""
    return await place_window(
        conn, deps, context, step, place=place, window=pressed.window,
        message_id=pressed.message_id, note=note,
    )  # fmt: skip

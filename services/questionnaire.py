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
from storage import plans, positions, registry, report_versions, reporting
from storage import rounds as round_rows

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


async def load_context(
    conn: aiosqlite.Connection, report_id: int, person: Person
) -> ReportContext | None:
    """The report with its context, or None if it does not exist or is not this person's."""
    report = await reporting.get_report(conn, report_id)
    if report is None or not report.fillable_by(person.id, person.enterprise_id):
        return None
    round_ = await round_rows.get_round(conn, report.round_id)
    enterprise = await registry.get_enterprise(conn, report.enterprise_id)
    if round_ is None or enterprise is None:
        return None
    measures = applicable(await plans.measures(conn, round_.plan_id), enterprise.kind)
    return ReportContext(
        person=person,
        report=report,
        round=round_,
        enterprise=enterprise,
        measures=measures,
        answers=await answer_rows.answers_of(conn, report.id),
        indicators=await plans.indicators(conn, round_.plan_id),
        values=await answer_rows.indicator_values(conn, report.id),
        previous=await report_versions.previous_answers(conn, round_, enterprise.id),
        attachments=await answer_rows.attachments_of(conn, report.id),
        previous_values=await report_versions.previous_values(conn, round_, enterprise.id),
    )


async def refresh_context(conn: aiosqlite.Connection, session: ReportContext) -> ReportContext:
    """The session after a save: re-read only what a save can change (report and its answers).

    The plan, round, enterprise and last round's answers stay as read at the start of the update.
    """
    report = await reporting.get_report(conn, session.report.id)
    if report is None or not report.fillable_by(session.person.id, session.person.enterprise_id):
        return session
    return replace(
        session,
        report=report,
        answers=await answer_rows.answers_of(conn, report.id),
        values=await answer_rows.indicator_values(conn, report.id),
        attachments=await answer_rows.attachments_of(conn, report.id),
    )


async def refresh_answer(
    conn: aiosqlite.Connection, session: ReportContext, measure_id: int
) -> ReportContext:
    """The session after a save of one measure's status or narrative: the report and that
    answer re-read, the other answers (which the save did not touch) as they were."""
    report = await reporting.get_report(conn, session.report.id)
    if report is None or not report.fillable_by(session.person.id, session.person.enterprise_id):
        return session
    answer = await answer_rows.answer_of(conn, report.id, measure_id)
    answers = dict(session.answers)
    if answer is None:
        answers.pop(measure_id, None)
    else:
        answers[measure_id] = answer
    return replace(session, report=report, answers=answers)


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
    window: int | None = None,
    message_id: int | None = None,
    same_message: bool = False,
    note: Note | None = None,
) -> Shown:
    """Store `step` in the live window `window` (a new one if None) before it is drawn.

    `message_id` is the message that will show it, if known (a pressed button's message);
    `same_message` keeps the live window's message, which typed input edits in place.
    """
    place = await positions.position(conn, context.person.id)
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
) -> ReportContext | Refused:
    context = await load_context(conn, report_id, actor.person) if actor.person else None
    if context is None:
        return Refused(Refusal.DENIED)
    if not is_editable(context.report, context.round):
        return Refused(Refusal.NOT_EDITABLE, context)
    return context


async def live_window(
    conn: aiosqlite.Connection, actor: Actor, pressed: Pressed
) -> tuple[ReportContext, Step] | Refused:
    """The report behind a button of the live window, and the step that window shows."""
    context = await _editable(conn, actor, pressed.report_id)
    if isinstance(context, Refused):
        return context
    place = await positions.position(conn, context.person.id)
    if place is None or place.screen == 0:
        return Refused(Refusal.STALE)
    if place.report_id != context.report.id or pressed.window != place.screen:
        return Refused(Refusal.STALE)
    return context, Step.parse(place.step)


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
        return await place_window(conn, deps, context, _resume_step(context, place))


async def resume(deps: Deps, actor: Actor, pressed: Pressed) -> Shown | Refused:
    """«Почати» or «Продовжити» on any message: it becomes the live window, where they left."""
    async with deps.db.transaction() as conn:
        context = await _editable(conn, actor, pressed.report_id)
        if isinstance(context, Refused):
            return context
        place = await positions.position(conn, context.person.id)
        step = _resume_step(context, place)
        return await place_window(conn, deps, context, step, message_id=pressed.message_id)


# --- Buttons -----------------------------------------------------------------------------------


async def choose_status(
    deps: Deps, actor: Actor, pressed: Pressed, measure_id: int, status: MeasureStatus | None
) -> Shown | Refused:
    """Save a measure's status; then ask what was done (unless it does not apply)."""
    async with deps.db.transaction() as conn:
        found = await live_window(conn, actor, pressed)
        if isinstance(found, Refused):
            return found
        context, live = found
        measure = context.measure(measure_id)
        if not shows(live, MEASURE_SCREENS, measure_id) or measure is None or status is None:
            return Refused(Refusal.STALE)
        await answer_rows.save_status(
            conn, context.report, measure.id, status, person_id=context.person.id, now=deps.now()
        )
        context = await refresh_answer(conn, context, measure.id)
        step = step_after_status(measure.id, status, context.answers[measure.id], context)
        return await stay(conn, deps, context, step, pressed)


async def move(deps: Deps, actor: Actor, pressed: Pressed, to: Move, ref: int) -> Shown | Refused:
    """Back, next, the overview, a measure, the indicators; keep a text or change a status."""
    async with deps.db.transaction() as conn:
        found = await live_window(conn, actor, pressed)
        if isinstance(found, Refused):
            return found
        context, live = found
        if to in BOUND_TO_MEASURE and not shows(live, MEASURE_SCREENS, ref):
            return Refused(Refusal.STALE)
        step = moved(live, to, ref, context)
        if step is None:
            return Refused(Refusal.STALE)
        return await stay(conn, deps, context, step, pressed)


async def answer_indicator(
    deps: Deps, actor: Actor, pressed: Pressed, index: int, value: int | None
) -> Shown | Refused:
    """A button's answer to the indicator on screen: «0» (there was none), or None to leave it
    empty on purpose; then go on."""
    async with deps.db.transaction() as conn:
        found = await live_window(conn, actor, pressed)
        if isinstance(found, Refused):
            return found
        context, live = found
        if not shows(live, INDICATOR_SCREENS, index) or index >= len(context.indicators):
            return Refused(Refusal.STALE)
        indicator = context.indicators[index]
        await answer_rows.save_indicator(
            conn, context.report, indicator.code, value, now=deps.now()
        )
        context = await refresh_context(conn, context)
        note = Note(NoteKind.NUMBER, indicator.label, str(value)) if value is not None else None
        return await stay(conn, deps, context, context.after(live), pressed, note)


async def save_and_exit(deps: Deps, actor: Actor, pressed: Pressed) -> ReportContext | Refused:
    """Everything is saved already: close the live window; /report comes back to this step."""
    async with deps.db.transaction() as conn:
        found = await live_window(conn, actor, pressed)
        if isinstance(found, Refused):
            return found
        context, live = found
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
    note: Note | None = None,
) -> Shown:
    """The pressed live window goes on to `step`."""
    return await place_window(
        conn, deps, context, step, window=pressed.window, message_id=pressed.message_id,
        note=note,
    )  # fmt: skip

"""Typed input into the questionnaire: a narrative, an indicator's number, a document or photo
as evidence. Each is saved in one transaction with the next step and a new window token; a
typed answer keeps the live window's message, to be edited in place."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import aiosqlite

from core.models import Actor, Attachment
from core.questionnaire import (
    MAX_EVIDENCE_BYTES,
    NarrativeProblem,
    Note,
    NoteKind,
    Step,
    StepKind,
    is_editable,
    narrative_problem,
    parse_whole_number,
)
from services.deps import Deps
from services.questionnaire import (
    Live,
    Shown,
    place_window,
    read_live,
    refresh_context,
    with_answer,
)
from storage import answers as answer_rows


@dataclass(frozen=True, slots=True)
class NoForm:
    """No live questionnaire window: typed input waits for /report."""


class InputProblem(StrEnum):
    """Why typed input is not an answer (besides a narrative's own problems)."""

    STATUS_FIRST = "status_first"  # a text before the measure's status was chosen
    NOT_A_NUMBER = "not_a_number"
    NOT_EXPECTED = "not_expected"  # the live step takes no text (the overview)
    EVIDENCE_NOT_NOW = "evidence_not_now"  # a file while no measure is on screen
    EVIDENCE_TOO_LARGE = "evidence_too_large"


@dataclass(frozen=True, slots=True)
class Rejected:
    """Typed input that was not saved, and the step that was waiting for it."""

    problem: InputProblem | NarrativeProblem
    step: Step | None = None


@dataclass(frozen=True, slots=True)
class Evidence:
    """A document or photo as received, to keep as the current measure's evidence."""

    file_id: str
    name: str
    size: int
    media: str


async def _current(conn: aiosqlite.Connection, actor: Actor) -> Live | None:
    """The report and step of the person's live window, for typed input."""
    found = await read_live(conn, actor.person) if actor.person else None
    if found is None:
        return None
    context, place = found
    # No live window: the person pressed «Зберегти й вийти»; input waits for /report.
    if place is None or place.screen == 0 or not is_editable(context.report, context.round):
        return None
    return Live(context, Step.parse(place.step), place)


async def current_step(deps: Deps, actor: Actor) -> Step | None:
    """The step the person's live window waits on, if any."""
    async with deps.db.reading() as conn:
        current = await _current(conn, actor)
    return current.step if current else None


async def answer_text(deps: Deps, actor: Actor, text: str) -> Shown | Rejected | NoForm:
    """A typed text: the narrative of the measure on screen, or the number of the indicator;
    saved, then the next step in the same message with a new token, confirming what was saved."""
    async with deps.db.transaction() as conn:
        current = await _current(conn, actor)
        if current is None:
            return NoForm()
        context, step = current.context, current.step
        if step.kind.on_measure:
            answer, measure = context.answers.get(step.ref), context.measure(step.ref)
            if measure is None or answer is None or answer.status is None:
                return Rejected(InputProblem.STATUS_FIRST, step)
            if problem := narrative_problem(text):
                return Rejected(problem, step)
            saved = await answer_rows.save_narrative(
                conn, context.report, step.ref, text, person_id=context.person.id,
                now=deps.now(),
            )  # fmt: skip
            note = Note(NoteKind.SAVED, measure.number, text)
            refreshed = with_answer(context, saved)
        elif step.kind is StepKind.INDICATOR and step.ref < len(context.indicators):
            value = parse_whole_number(text)
            if value is None:
                return Rejected(InputProblem.NOT_A_NUMBER, step)
            indicator = context.indicators[step.ref]
            await answer_rows.save_indicator(
                conn, context.report, indicator.code, value, now=deps.now()
            )
            note = Note(NoteKind.NUMBER, indicator.label, str(value))
            refreshed = await refresh_context(conn, context)
        else:
            return Rejected(InputProblem.NOT_EXPECTED, step)
        following = refreshed.after(step)
        return await place_window(
            conn, deps, refreshed, following, place=current.place, same_message=True, note=note
        )


async def add_evidence(deps: Deps, actor: Actor, evidence: Evidence) -> Shown | Rejected:
    """A document or photo while a measure is on screen: kept as its evidence (the file stays in
    the chat, the person's record); the same step comes back in a new window below it."""
    async with deps.db.transaction() as conn:
        current = await _current(conn, actor)
        if current is None or not current.step.kind.on_measure:
            return Rejected(InputProblem.EVIDENCE_NOT_NOW)
        context, step = current.context, current.step
        measure = context.measure(step.ref)
        if measure is None:
            return Rejected(InputProblem.EVIDENCE_NOT_NOW)
        if evidence.size > MAX_EVIDENCE_BYTES:
            return Rejected(InputProblem.EVIDENCE_TOO_LARGE, step)
        attachment = Attachment(
            step.ref, evidence.file_id, evidence.name[:200], evidence.size, evidence.media
        )
        await answer_rows.add_attachment(conn, context.report, attachment, now=deps.now())
        context = await refresh_context(conn, context)
        note = Note(NoteKind.EVIDENCE, measure.number, attachment.file_name)
        return await place_window(conn, deps, context, step, place=current.place, note=note)

"""Last quarter's answers taken over: one measure («↩ Як минулого разу»), or everything at
once on a report not yet begun («📋 Усе як минулого разу»), each in one transaction."""

from __future__ import annotations

from core.models import Actor
from core.questionnaire import MEASURE_SCREENS, OVERVIEW, Note, NoteKind, Step, StepKind, shows
from services.deps import Deps
from services.questionnaire import (
    Pressed,
    Refusal,
    Refused,
    Shown,
    live_window,
    refresh_context,
    stay,
)
from storage import answers as answer_rows


async def copy_previous(
    deps: Deps, actor: Actor, pressed: Pressed, measure_id: int
) -> Shown | Refused:
    """«↩ Як минулого разу»: last round's status and text for a measure, and on to the next."""
    async with deps.db.transaction() as conn:
        found = await live_window(conn, actor, pressed)
        if isinstance(found, Refused):
            return found
        context, live = found.context, found.step
        measure = context.measure(measure_id)
        previous = context.previous.get(measure.number) if measure else None
        if not shows(live, MEASURE_SCREENS, measure_id) or measure is None or previous is None:
            return Refused(Refusal.STALE)
        await answer_rows.copy_answer(
            conn, context.report, measure.id, previous, person_id=context.person.id,
            now=deps.now(),
        )  # fmt: skip
        context = await refresh_context(conn, context)
        note = Note(NoteKind.COPIED, measure.number)
        step = context.after(Step(StepKind.MEASURE, measure.id))
        return await stay(conn, deps, context, step, pressed, found.place, note)


async def copy_everything(deps: Deps, actor: Actor, pressed: Pressed) -> Shown | Refused:
    """«📋 Усе як минулого разу» on a report not yet begun: every answer and indicator value
    handed in last quarter, then the overview to change what changed."""
    async with deps.db.transaction() as conn:
        found = await live_window(conn, actor, pressed)
        if isinstance(found, Refused):
            return found
        context, live = found.context, found.step
        if context.answers or not context.previous or not live.kind.on_measure:
            return Refused(Refusal.STALE)  # the button is offered only before the first answer
        copied = 0
        for measure in context.measures:
            previous = context.previous.get(measure.number)
            if previous is not None and previous.status is not None:
                await answer_rows.copy_answer(
                    conn, context.report, measure.id, previous, person_id=context.person.id,
                    now=deps.now(),
                )  # fmt: skip
                copied += 1
        for indicator in context.indicators:
            if indicator.code in context.previous_values:
                value = context.previous_values[indicator.code]
                await answer_rows.save_indicator(
                    conn, context.report, indicator.code, value, now=deps.now()
                )
        context = await refresh_context(conn, context)
        note = Note(NoteKind.COPIED_ALL, count=copied)
        return await stay(conn, deps, context, OVERVIEW, pressed, found.place, note)

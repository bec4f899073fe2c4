"""Coordinator's report rounds: open one for a period, extend its deadline, close it."""

from __future__ import annotations

from datetime import date

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message

from core.models import Actor, Round
from core.periods import Period
from services import round_control, rounds
from services.deps import Deps
from services.round_control import CloseQuestion, Draft, Tally
from templates import render
from ui.callbacks import ControlAction, DraftAction, RoundControl, RoundDraft
from ui.replies import edit_or_answer
from ui.rounds import close_keyboard, control_keyboard, draft_keyboard, from_ymd


def _draft_text(draft: Draft) -> str:
    if draft.plan is None:
        return render("rounds/no_plan.html", period=draft.period)
    return render(
        "rounds/draft.html",
        period=draft.period,
        plan=draft.plan,
        measures=draft.measures,
        enterprises=draft.enterprises,
        bound=draft.bound,
        deadline=draft.deadline,
        working=draft.working,
    )


async def _send_draft(message: Message, draft: Draft) -> None:
    if draft.plan is None:
        await message.answer(_draft_text(draft))
        return
    markup = draft_keyboard(draft.period, draft.deadline, draft.choices)
    await message.answer(_draft_text(draft), reply_markup=markup)


def _status_text(tally: Tally) -> str:
    return render(
        "rounds/status.html",
        round=tally.round,
        period=tally.round.period,
        submitted=tally.progress.handed_in,
        total=tally.progress.total,
    )


def _close_text(question: CloseQuestion) -> str:
    return render(
        "rounds/close_question.html",
        period=question.round.period,
        filling=question.filling,
        not_started=question.not_started,
    )


async def manage_rounds(message: Message, deps: Deps) -> None:
    """/round: the open round's controls, or a form to open one for the current quarter."""
    shown = await round_control.overview(deps)
    if isinstance(shown, Draft):
        await _send_draft(message, shown)
        return
    for tally in shown:
        await message.answer(_status_text(tally), reply_markup=control_keyboard(tally.round))


async def edit_draft(
    query: CallbackQuery, callback_data: RoundDraft, actor: Actor, deps: Deps
) -> None:
    """Change the period or the deadline in the form, open the round, or cancel."""
    try:
        period = Period.parse(callback_data.period)
        deadline = from_ymd(callback_data.deadline)
    except ValueError:
        await query.answer(render("access/stale.txt"), show_alert=True)
        return
    if callback_data.action is DraftAction.CANCEL:
        await edit_or_answer(query, render("rounds/cancelled.html"))
    elif callback_data.action is DraftAction.OPEN:
        await _open(query, actor, deps, period, deadline)
    else:
        draft = await round_control.draft(deps, period, deadline)
        markup = None if draft.plan is None else draft_keyboard(period, deadline, draft.choices)
        await edit_or_answer(query, _draft_text(draft), markup)
    await query.answer()


async def _open(
    query: CallbackQuery, actor: Actor, deps: Deps, period: Period, deadline: date
) -> None:
    opened = await rounds.open_round(deps, period, deadline, actor_id=actor.telegram_id)
    if opened is rounds.Refusal.NO_PLAN:
        await edit_or_answer(query, render("rounds/no_plan.html", period=period))
    elif opened is rounds.Refusal.EXISTS:
        await edit_or_answer(query, render("rounds/exists.html", period=period))
    else:
        text = render(
            "rounds/opened.html",
            round=opened.round,
            period=period,
            reports=opened.reports,
            notified=opened.notified,
            unbound=opened.unbound,
        )
        await edit_or_answer(query, text, control_keyboard(opened.round))


async def control_round(
    query: CallbackQuery, callback_data: RoundControl, actor: Actor, deps: Deps
) -> None:
    """Extend the deadline, close the round, or start a form for another period."""
    action, round_id, by = callback_data.action, callback_data.round_id, actor.telegram_id
    found: Draft | CloseQuestion | Round | Tally | None
    if action is ControlAction.NEW:
        found = await round_control.next_draft(deps, round_id)
    elif action is ControlAction.CLOSE:
        found = await round_control.close_question(deps, round_id)
    elif action is ControlAction.CONFIRM_CLOSE:
        found = await round_control.close(deps, round_id, actor_id=by)
    elif action is ControlAction.EXTEND:
        found = await round_control.extend(deps, round_id, callback_data.days, actor_id=by)
    else:
        found = await round_control.tally(deps, round_id)
    if found is None:
        await query.answer(render("access/stale.txt"), show_alert=True)
        return
    await query.answer()
    if isinstance(found, Draft):
        if isinstance(query.message, Message):
            await _send_draft(query.message, found)
    elif isinstance(found, CloseQuestion):
        await edit_or_answer(query, _close_text(found), close_keyboard(found.round))
    elif isinstance(found, Tally):
        await edit_or_answer(query, _status_text(found), control_keyboard(found.round))
    else:
        await edit_or_answer(query, render("rounds/closed.html", period=found.period))


def create_router() -> Router:
    """The rounds use case as a fresh Router (one per Dispatcher)."""
    router = Router(name="rounds")
    router.message.register(manage_rounds, Command("round"))
    router.callback_query.register(edit_draft, RoundDraft.filter())
    router.callback_query.register(control_round, RoundControl.filter())
    return router

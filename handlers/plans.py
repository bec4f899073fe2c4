"""Coordinator's plan: preview an uploaded plan, save it as a version, read it, adjust it."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from core.kinds import parse_kinds
from core.models import Actor, IndicatorDef, PlanDraft
from core.plans import parse_order
from services import plans
from services.deps import Deps
from services.plans import IndicatorUsage, PlanSaved, Refusal, ShownPlan, UploadGone
from templates import render
from ui.callbacks import PlanIndicator, PlanPage, PlanUpload, UploadAction
from ui.plans import indicators_screen, plan_pager
from ui.replies import answer_long, edit_or_answer


async def preview_plan(
    message: Message, actor: Actor, deps: Deps, filename: str, draft: PlanDraft
) -> None:
    """Keep the read plan as a pending upload; show it, then the indicators offered with it
    (a toggle each) with Save / Cancel."""
    pending = await plans.stash_upload(deps, actor, filename, draft)
    await answer_long(message, render("plan/preview.html", draft=draft, filename=filename))
    text, markup = indicators_screen(pending)
    await message.answer(text, reply_markup=markup)


async def toggle_indicator(query: CallbackQuery, callback_data: PlanIndicator, deps: Deps) -> None:
    """Switch an offered indicator on or off, stored at once; the screen is redrawn."""
    pending = await plans.toggle_indicator(deps, callback_data.upload_id, callback_data.index)
    if pending is None:
        await query.answer(render("plan/upload_gone.txt"), show_alert=True)
        return
    text, markup = indicators_screen(pending)
    await edit_or_answer(query, text, markup)
    await query.answer()


async def save_indicators(
    message: Message, deps: Deps, indicators: tuple[IndicatorDef, ...]
) -> None:
    """Replace the numeric indicators of the current plan."""
    if not await plans.save_indicators(deps, indicators):
        await message.answer(render("plan/no_plan.html"))
        return
    await message.answer(render("plan/indicators_saved.html", indicators=indicators))


async def decide_upload(
    query: CallbackQuery, callback_data: PlanUpload, actor: Actor, deps: Deps
) -> None:
    """Save the previewed plan as a new active version, or drop it."""
    save = callback_data.action is not UploadAction.CANCEL
    outcome = await plans.decide_upload(deps, actor, callback_data.upload_id, save=save)
    if isinstance(outcome, UploadGone):
        await query.answer(render("plan/upload_gone.txt"), show_alert=True)
        return
    await query.answer()
    if not isinstance(outcome, PlanSaved):
        await edit_or_answer(query, render("plan/cancelled.html"))
        return
    text = render(
        "plan/saved.html",
        plan=outcome.plan,
        sections=outcome.sections,
        measures=outcome.measures,
        indicators=outcome.indicators,
    )
    await edit_or_answer(query, text)


def _page_screen(shown: ShownPlan) -> tuple[str, InlineKeyboardMarkup | None]:
    plan, page = shown.plan, shown.page
    text = render(
        "plan/page.html", plan=plan, measures=shown.measures, page=page, pages=shown.pages
    )
    return text, plan_pager(plan.id, page, shown.pages)


async def show_plan(message: Message, deps: Deps) -> None:
    """Show the current plan, a page at a time."""
    shown = await plans.plan_page(deps, None, 0)
    if shown is None:
        await message.answer(render("plan/no_plan.html"))
        return
    text, markup = _page_screen(shown)
    await message.answer(text, reply_markup=markup)


async def turn_plan_page(query: CallbackQuery, callback_data: PlanPage, deps: Deps) -> None:
    """Edit the plan message in place to another page."""
    shown = await plans.plan_page(deps, callback_data.plan_id, callback_data.page)
    if shown is None:
        await query.answer(render("access/stale.txt"), show_alert=True)
        return
    text, markup = _page_screen(shown)
    await edit_or_answer(query, text, markup)
    await query.answer()


async def set_plan_order(
    message: Message, command: CommandObject, actor: Actor, deps: Deps
) -> None:
    """Record the order that approved the plan: /planorder № 98 від 12.08.2026."""
    outcome = await plans.set_order(deps, actor, parse_order(command.args or ""))
    if outcome is Refusal.NO_PLAN:
        await message.answer(render("plan/no_plan.html"))
    elif isinstance(outcome, Refusal):
        await message.answer(render("plan/order_usage.html"))
    else:
        await message.answer(render("plan/order_set.html", plan=outcome))


async def set_measure_kinds(
    message: Message, command: CommandObject, actor: Actor, deps: Deps
) -> None:
    """Restrict a measure to some enterprise kinds: /kinds 2.3 освіта, інше."""
    number, _, kinds_text = (command.args or "").strip().partition(" ")
    every = kinds_text.strip().casefold() in ("усі", "всі", "all")
    kinds, unknown = parse_kinds(kinds_text)
    if not number or unknown or not (kinds or every):
        await message.answer(render("plan/kinds_usage.html", unknown=unknown))
        return
    outcome = await plans.set_measure_kinds(deps, actor, number, () if every else kinds)
    if outcome is Refusal.NO_PLAN:
        await message.answer(render("plan/no_plan.html"))
    elif isinstance(outcome, Refusal):
        await message.answer(render("plan/measure_not_found.html", number=number))
    else:
        await message.answer(render("plan/kinds_set.html", measure=outcome))


async def attach_indicator(
    message: Message, command: CommandObject, actor: Actor, deps: Deps
) -> None:
    """Make an indicator belong to a measure: /indicator consultations 2.1 (or "-" to detach).

    Its total then goes into that measure's consolidated text; without arguments, the list.
    """
    code, _, number = (command.args or "").strip().partition(" ")
    number = number.strip().rstrip(".")
    outcome = await plans.attach_indicator(deps, actor, code.strip(), number)
    if outcome is Refusal.NO_PLAN:
        await message.answer(render("plan/no_plan.html"))
    elif isinstance(outcome, IndicatorUsage):
        await message.answer(render("plan/indicator_usage.html", indicators=outcome.indicators))
    elif isinstance(outcome, Refusal):
        await message.answer(render("plan/measure_not_found.html", number=number))
    else:
        await message.answer(render("plan/indicator_set.html", indicator=outcome))


def create_router() -> Router:
    """The plan use case as a fresh Router (one per Dispatcher)."""
    router = Router(name="plans")
    router.message.register(show_plan, Command("plan"))
    router.message.register(set_plan_order, Command("planorder"))
    router.message.register(set_measure_kinds, Command("kinds"))
    router.message.register(attach_indicator, Command("indicator"))
    router.callback_query.register(toggle_indicator, PlanIndicator.filter())
    router.callback_query.register(decide_upload, PlanUpload.filter())
    router.callback_query.register(turn_plan_page, PlanPage.filter())
    return router

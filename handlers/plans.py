"""Coordinator's plan: preview an uploaded plan, save it as a version, read it, adjust it."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from core.clock import Clock
from core.kinds import parse_kinds
from core.models import Actor, IndicatorDef, Measure, Plan, PlanDraft
from core.plans import parse_order, plan_years
from handlers.access import coordinator_only
from reports.indicator_reader import default_indicators
from storage import plans
from storage.database import Database
from templates import render
from templates.chunks import TEXT_LIMIT
from ui.callbacks import PlanPage, PlanUpload, UploadAction
from ui.replies import answer_long, edit_or_answer

# Room left in a message for the plan header and the HTML of a page.
PAGE_BUDGET = TEXT_LIMIT - 600


def upload_keyboard(upload_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for action, name in ((UploadAction.SAVE, "save"), (UploadAction.CANCEL, "cancel")):
        builder.button(
            text=render("plan/buttons.txt", name=name),
            callback_data=PlanUpload(action=action, upload_id=upload_id),
        )
    return builder.as_markup()


async def preview_plan(
    message: Message, actor: Actor, db: Database, clock: Clock, filename: str, draft: PlanDraft
) -> None:
    """Keep the read plan as a pending upload and show it with Save / Cancel."""
    async with db.transaction() as conn:
        upload_id = await plans.stash_upload(conn, actor.telegram_id, filename, draft, clock.now())
    text = render("plan/preview.html", draft=draft, filename=filename)
    await answer_long(message, text, reply_markup=upload_keyboard(upload_id))


async def save_indicators(
    message: Message, db: Database, clock: Clock, indicators: tuple[IndicatorDef, ...]
) -> None:
    """Replace the numeric indicators of the current plan."""
    async with db.transaction() as conn:
        plan = await plans.latest_active_plan(conn)
        if plan is not None:
            await plans.replace_indicators(conn, plan.id, indicators)
    if plan is None:
        await message.answer(render("plan/no_plan.html"))
        return
    await message.answer(render("plan/indicators_saved.html", indicators=indicators))


async def decide_upload(
    query: CallbackQuery,
    callback_data: PlanUpload,
    actor: Actor,
    db: Database,
    clock: Clock,
) -> None:
    """Save the previewed plan as a new active version, or drop it."""
    now = clock.now()
    async with db.transaction() as conn:
        pending = await plans.pending_upload(conn, callback_data.upload_id)
        if pending is None:
            saved = None
        elif callback_data.action is UploadAction.CANCEL:
            await plans.close_upload(conn, callback_data.upload_id, "cancelled")
            saved = None
        else:
            filename, draft = pending
            plan = await plans.save_plan(
                conn,
                draft,
                years=plan_years(draft.title, now.year),
                indicators=default_indicators(),
                source_name=filename,
                actor_id=actor.telegram_id,
                now=now,
            )
            await plans.close_upload(conn, callback_data.upload_id, "saved", plan.id)
            saved = (plan, draft)
    if pending is None:
        await query.answer(render("plan/upload_gone.txt"), show_alert=True)
        return
    await query.answer()
    if saved is None:
        await edit_or_answer(query, render("plan/cancelled.html"))
        return
    plan, draft = saved
    text = render(
        "plan/saved.html",
        plan=plan,
        sections=len(draft.sections),
        measures=draft.measure_count,
        indicators=len(default_indicators()),
    )
    await edit_or_answer(query, text)


def plan_pages(measures: list[Measure]) -> list[list[Measure]]:
    """Greedy pages of whole measures that fit one message each."""
    pages: list[list[Measure]] = [[]]
    used = 0
    for measure in measures:
        size = len(measure.text) + len(measure.term) + len(measure.responsible) + 120
        if pages[-1] and used + size > PAGE_BUDGET:
            pages.append([])
            used = 0
        pages[-1].append(measure)
        used += size
    return pages


async def _plan_page(
    db: Database, plan: Plan, page: int
) -> tuple[str, InlineKeyboardMarkup | None]:
    async with db.reading() as conn:
        found = await plans.measures(conn, plan.id)
    pages = plan_pages(found)
    page = min(max(page, 0), len(pages) - 1)
    text = render("plan/page.html", plan=plan, measures=pages[page], page=page, pages=len(pages))
    builder = InlineKeyboardBuilder()
    if page > 0:
        builder.button(
            text=render("plan/buttons.txt", name="prev"),
            callback_data=PlanPage(plan_id=plan.id, page=page - 1),
        )
    if page < len(pages) - 1:
        builder.button(
            text=render("plan/buttons.txt", name="next"),
            callback_data=PlanPage(plan_id=plan.id, page=page + 1),
        )
    return text, builder.as_markup() if len(pages) > 1 else None


async def show_plan(message: Message, db: Database) -> None:
    """Show the current plan, a page at a time."""
    async with db.reading() as conn:
        plan = await plans.latest_active_plan(conn)
    if plan is None:
        await message.answer(render("plan/no_plan.html"))
        return
    text, markup = await _plan_page(db, plan, 0)
    await message.answer(text, reply_markup=markup)


async def turn_plan_page(query: CallbackQuery, callback_data: PlanPage, db: Database) -> None:
    """Edit the plan message in place to another page."""
    async with db.reading() as conn:
        plan = await plans.get_plan(conn, callback_data.plan_id)
    if plan is None:
        await query.answer(render("access/stale.txt"), show_alert=True)
        return
    text, markup = await _plan_page(db, plan, callback_data.page)
    await edit_or_answer(query, text, markup)
    await query.answer()


async def set_plan_order(
    message: Message, command: CommandObject, actor: Actor, db: Database, clock: Clock
) -> None:
    """Record the order that approved the plan: /planorder № 98 від 12.08.2026."""
    order = parse_order(command.args or "")
    async with db.transaction() as conn:
        plan = await plans.latest_active_plan(conn)
        if plan is not None and order is not None:
            number, when = order
            plan = await plans.set_order(
                conn, plan, number, when, actor_id=actor.telegram_id, now=clock.now()
            )
    if plan is None:
        await message.answer(render("plan/no_plan.html"))
    elif order is None:
        await message.answer(render("plan/order_usage.html"))
    else:
        await message.answer(render("plan/order_set.html", plan=plan))


async def set_measure_kinds(
    message: Message, command: CommandObject, actor: Actor, db: Database, clock: Clock
) -> None:
    """Restrict a measure to some enterprise kinds: /kinds 2.3 освіта, інше."""
    number, _, kinds_text = (command.args or "").strip().partition(" ")
    every = kinds_text.strip().casefold() in ("усі", "всі", "all")
    kinds, unknown = parse_kinds(kinds_text)
    if not number or unknown or not (kinds or every):
        await message.answer(render("plan/kinds_usage.html", unknown=unknown))
        return
    async with db.transaction() as conn:
        plan = await plans.latest_active_plan(conn)
        found = await plans.measures(conn, plan.id) if plan else []
        measure = next((m for m in found if m.number == number.rstrip(".")), None)
        if measure is not None:
            measure = await plans.set_measure_kinds(
                conn, measure, () if every else kinds, actor_id=actor.telegram_id, now=clock.now()
            )
    if plan is None:
        await message.answer(render("plan/no_plan.html"))
    elif measure is None:
        await message.answer(render("plan/measure_not_found.html", number=number))
    else:
        await message.answer(render("plan/kinds_set.html", measure=measure))


async def attach_indicator(
    message: Message, command: CommandObject, actor: Actor, db: Database, clock: Clock
) -> None:
    """Make an indicator belong to a measure: /indicator consultations 2.1 (or "-" to detach).

    Its total then goes into that measure's consolidated text; without arguments, the list.
    """
    code, _, number = (command.args or "").strip().partition(" ")
    number = number.strip().rstrip(".")
    async with db.transaction() as conn:
        plan = await plans.latest_active_plan(conn)
        indicators = await plans.indicators(conn, plan.id) if plan else ()
        measures = await plans.measures(conn, plan.id) if plan else []
        indicator = next((i for i in indicators if i.code == code.strip()), None)
        known = number == "-" or any(m.number.rstrip(".") == number for m in measures)
        if indicator is not None and number and known:
            target = (
                ""
                if number == "-"
                else next(m.number for m in measures if m.number.rstrip(".") == number)
            )
            assert plan is not None
            indicator = await plans.attach_indicator(
                conn, plan.id, indicator, target, actor_id=actor.telegram_id, now=clock.now()
            )
    if plan is None:
        await message.answer(render("plan/no_plan.html"))
    elif indicator is None or not number:
        await message.answer(render("plan/indicator_usage.html", indicators=indicators))
    elif not known:
        await message.answer(render("plan/measure_not_found.html", number=number))
    else:
        await message.answer(render("plan/indicator_set.html", indicator=indicator))


def create_router() -> Router:
    """The plan use case as a fresh Router (one per Dispatcher)."""
    router = Router(name="plans")
    router.message.filter(coordinator_only)
    router.callback_query.filter(coordinator_only)
    router.message.register(show_plan, Command("plan"))
    router.message.register(set_plan_order, Command("planorder"))
    router.message.register(set_measure_kinds, Command("kinds"))
    router.message.register(attach_indicator, Command("indicator"))
    router.callback_query.register(decide_upload, PlanUpload.filter())
    router.callback_query.register(turn_plan_page, PlanPage.filter())
    return router

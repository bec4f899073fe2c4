"""The coordinator's plan: a read plan kept until saved as a new version, its indicators, its
pages, and the adjustments (the approving order, whom a measure is for, what an indicator
counts towards)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import Enum

from core.indicator_offer import PendingPlan, chosen_indicators, offer, toggled
from core.models import Actor, EnterpriseKind, IndicatorDef, Measure, Plan, PlanDraft
from core.plans import plan_years
from reports.indicator_reader import default_indicators
from services.deps import Deps
from storage import plan_uploads, plans
from templates.chunks import TEXT_LIMIT

# Room left in a message for the plan header and the HTML of a page.
PAGE_BUDGET = TEXT_LIMIT - 600


class Refusal(Enum):
    NO_PLAN = "no_plan"  # no active plan to read or adjust
    USAGE = "usage"  # the command's words do not say what to do
    NO_MEASURE = "no_measure"  # the plan has no measure of that number


@dataclass(frozen=True, slots=True)
class UploadGone:
    """The upload was saved or cancelled already (or never was)."""


@dataclass(frozen=True, slots=True)
class UploadCancelled:
    pass


@dataclass(frozen=True, slots=True)
class PlanSaved:
    plan: Plan
    sections: int
    measures: int
    indicators: tuple[IndicatorDef, ...]  # exactly those the coordinator switched on


@dataclass(frozen=True, slots=True)
class ShownPlan:
    plan: Plan
    measures: list[Measure]
    page: int  # 0-based, within range
    pages: int


@dataclass(frozen=True, slots=True)
class IndicatorUsage:
    """What /indicator can name: the plan's indicators."""

    indicators: tuple[IndicatorDef, ...]


async def stash_upload(deps: Deps, actor: Actor, filename: str, draft: PlanDraft) -> PendingPlan:
    """Keep a read plan until the coordinator saves or drops it, with the indicators offered:
    the default list and the replaced version's own, each proposed for a measure, none on but
    those that version asked."""
    now = deps.now()
    async with deps.db.transaction() as conn:
        before = await plans.replaced_indicators(conn, plan_years(draft.title, now.year))
        offered = offer(default_indicators(), draft, before)
        upload_id = await plan_uploads.stash_upload(
            conn, actor.telegram_id, filename, draft, offered, now
        )
    return PendingPlan(upload_id, filename, draft, offered)


async def toggle_indicator(deps: Deps, upload_id: int, index: int) -> PendingPlan | None:
    """Switch an offered indicator on or off; None if the upload is no longer pending or has
    no such indicator (a stale or forged button), and then nothing changes."""
    async with deps.db.transaction() as conn:
        pending = await plan_uploads.pending_upload(conn, upload_id)
        if pending is None:
            return None
        offered = toggled(pending.offered, index)
        if offered is None:
            return None
        await plan_uploads.save_offer(conn, upload_id, offered)
    return replace(pending, offered=offered)


async def save_indicators(deps: Deps, indicators: tuple[IndicatorDef, ...]) -> bool:
    """Replace the numeric indicators of the current plan; False if there is no plan."""
    async with deps.db.transaction() as conn:
        plan = await plans.latest_active_plan(conn)
        if plan is None:
            return False
        await plans.replace_indicators(conn, plan.id, indicators)
        return True


async def decide_upload(
    deps: Deps, actor: Actor, upload_id: int, *, save: bool
) -> UploadGone | UploadCancelled | PlanSaved:
    """Save the pending plan as the new active version of its years, or drop it."""
    now = deps.now()
    async with deps.db.transaction() as conn:
        pending = await plan_uploads.pending_upload(conn, upload_id)
        if pending is None:
            return UploadGone()
        if not save:
            await plan_uploads.close_upload(conn, upload_id, "cancelled")
            return UploadCancelled()
        draft = pending.draft
        indicators = chosen_indicators(pending.offered)
        plan = await plans.save_plan(
            conn,
            draft,
            years=plan_years(draft.title, now.year),
            indicators=indicators,
            source_name=pending.filename,
            actor_id=actor.telegram_id,
            now=now,
        )
        await plan_uploads.close_upload(conn, upload_id, "saved", plan.id)
    return PlanSaved(plan, len(draft.sections), draft.measure_count, indicators)


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


async def plan_page(deps: Deps, plan_id: int | None, page: int) -> ShownPlan | None:
    """A page of the plan (None: the current one), clamped into range; None if no plan."""
    async with deps.db.reading() as conn:
        if plan_id is None:
            plan = await plans.latest_active_plan(conn)
        else:
            plan = await plans.get_plan(conn, plan_id)
        if plan is None:
            return None
        found = await plans.measures(conn, plan.id)
    pages = plan_pages(found)
    page = min(max(page, 0), len(pages) - 1)
    return ShownPlan(plan, pages[page], page, len(pages))


async def set_order(deps: Deps, actor: Actor, order: tuple[str, date] | None) -> Plan | Refusal:
    """Record the order that approved the current plan (None: the words named none)."""
    async with deps.db.transaction() as conn:
        plan = await plans.latest_active_plan(conn)
        if plan is None:
            return Refusal.NO_PLAN
        if order is None:
            return Refusal.USAGE
        number, when = order
        return await plans.set_order(
            conn, plan, number, when, actor_id=actor.telegram_id, now=deps.now()
        )


async def set_measure_kinds(
    deps: Deps, actor: Actor, number: str, kinds: tuple[EnterpriseKind, ...]
) -> Measure | Refusal:
    """Restrict a measure of the current plan to some kinds of organisation (none: every)."""
    async with deps.db.transaction() as conn:
        plan = await plans.latest_active_plan(conn)
        if plan is None:
            return Refusal.NO_PLAN
        found = await plans.measures(conn, plan.id)
        measure = next((m for m in found if m.number == number.rstrip(".")), None)
        if measure is None:
            return Refusal.NO_MEASURE
        return await plans.set_measure_kinds(
            conn, measure, kinds, actor_id=actor.telegram_id, now=deps.now()
        )


async def attach_indicator(
    deps: Deps, actor: Actor, code: str, number: str
) -> IndicatorDef | IndicatorUsage | Refusal:
    """Make an indicator of the current plan belong to the measure `number` ("-": to none),
    so its total goes into that measure's consolidated text."""
    async with deps.db.transaction() as conn:
        plan = await plans.latest_active_plan(conn)
        if plan is None:
            return Refusal.NO_PLAN
        indicators = await plans.indicators(conn, plan.id)
        measures = await plans.measures(conn, plan.id)
        indicator = next((i for i in indicators if i.code == code), None)
        if indicator is None or not number:
            return IndicatorUsage(indicators)
        known: dict[str, str] = {}  # a bare number → the first measure's own spelling
        for measure in measures:
            known.setdefault(measure.number.rstrip("."), measure.number)
        if number != "-" and number not in known:
            return Refusal.NO_MEASURE
        target = "" if number == "-" else known[number]
        return await plans.attach_indicator(
            conn, plan.id, indicator, target, actor_id=actor.telegram_id, now=deps.now()
        )

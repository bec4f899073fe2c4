"""Coordinator's report rounds: open one for a period, extend its deadline, close it."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

import aiosqlite
from aiogram import Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from core.calendar import WorkCalendar
from core.clock import Clock
from core.deadlines import DeadlineRule, deadline_for, extended_deadline
from core.models import (
    Actor,
    PeriodKind,
    ReportState,
    Round,
)
from core.periods import Period
from handlers.access import coordinator_only
from services import rounds
from services.notices import notify_fillers_once
from storage import plans, registry, reporting
from storage import rounds as round_rows
from storage.database import Database
from templates import render
from ui.callbacks import (
    ControlAction,
    DraftAction,
    RoundControl,
    RoundDraft,
)
from ui.replies import edit_or_answer

log = logging.getLogger(__name__)

SHIFTS = (-7, -1, 1, 7)
EXTENSIONS = (3, 7)


def _ymd(day: date) -> int:
    return day.year * 10000 + day.month * 100 + day.day


def _from_ymd(value: int) -> date:
    return date(value // 10000, value // 100 % 100, value % 100)


def _choices(year: int) -> list[Period]:
    quarters = [Period.quarter(year, n) for n in range(1, 5)]
    return [*quarters, Period.half(year, 1), Period.half(year, 2), Period.whole_year(year)]


async def _draft_text(
    db: Database, period: Period, deadline: date, calendar: WorkCalendar
) -> str | None:
    async with db.reading() as conn:
        plan = await plans.active_plan(conn, period.year)
        if plan is None:
            return None
        measures = await plans.measures(conn, plan.id)
        enterprises = await registry.list_enterprises(conn, active_only=True)
        persons = await registry.list_persons(conn)
    bound = sum(1 for p in persons if p.telegram_id is not None and p.fills_reports)
    return render(
        "rounds/draft.html",
        period=period,
        plan=plan,
        measures=len(measures),
        enterprises=len(enterprises),
        bound=bound,
        deadline=deadline,
        working=calendar.is_working_day(deadline),
    )


def _draft_keyboard(
    period: Period, deadline: date, rule: DeadlineRule, calendar: WorkCalendar
) -> InlineKeyboardMarkup:
    """Every button carries the whole resulting form, so the form needs no server state."""
    builder = InlineKeyboardBuilder()
    ymd = _ymd(deadline)
    for choice in _choices(period.year):
        builder.button(
            text=render(
                "rounds/buttons.txt",
                name="period",
                label=render("rounds/period_short.txt", period=choice),
                current=choice == period,
            ),
            callback_data=RoundDraft(
                action=DraftAction.SET,
                period=choice.code,
                deadline=_ymd(deadline_for(choice, rule, calendar)),
            ),
        )
    for days in SHIFTS:
        builder.button(
            text=render("rounds/buttons.txt", name="shift", days=days),
            callback_data=RoundDraft(
                action=DraftAction.SET,
                period=period.code,
                deadline=_ymd(deadline + timedelta(days=days)),
            ),
        )
    builder.button(
        text=render("rounds/buttons.txt", name="open"),
        callback_data=RoundDraft(action=DraftAction.OPEN, period=period.code, deadline=ymd),
    )
    builder.button(
        text=render("rounds/buttons.txt", name="cancel"),
        callback_data=RoundDraft(action=DraftAction.CANCEL, period=period.code, deadline=ymd),
    )
    builder.adjust(4, 3, 4, 2)
    return builder.as_markup()


def _control_keyboard(round_: Round) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for days in EXTENSIONS:
        builder.button(
            text=render("rounds/buttons.txt", name="extend", days=days),
            callback_data=RoundControl(action=ControlAction.EXTEND, round_id=round_.id, days=days),
        )
    builder.button(
        text=render("rounds/buttons.txt", name="close"),
        callback_data=RoundControl(action=ControlAction.CLOSE, round_id=round_.id),
    )
    builder.button(
        text=render("rounds/buttons.txt", name="new"),
        callback_data=RoundControl(action=ControlAction.NEW, round_id=round_.id),
    )
    builder.adjust(2, 1, 1)
    return builder.as_markup()


async def _round_status(db: Database, round_: Round) -> str:
    async with db.reading() as conn:
        reports = await reporting.reports_of_round(conn, round_.id)
    return render(
        "rounds/status.html",
        round=round_,
        period=round_.period,
        submitted=sum(1 for r in reports if r.handed_in),
        total=len(reports),
    )


async def _send_draft(
    message: Message, db: Database, period: Period, rule: DeadlineRule, calendar: WorkCalendar
) -> None:
    deadline = deadline_for(period, rule, calendar)
    text = await _draft_text(db, period, deadline, calendar)
    if text is None:
        await message.answer(render("rounds/no_plan.html", period=period))
        return
    await message.answer(text, reply_markup=_draft_keyboard(period, deadline, rule, calendar))


async def manage_rounds(
    message: Message,
    db: Database,
    clock: Clock,
    calendar: WorkCalendar,
    deadline_rule: DeadlineRule,
) -> None:
    """/round: the open round's controls, or a form to open one for the current quarter."""
    async with db.reading() as conn:
        current = await round_rows.open_rounds(conn)
    if current:
        for round_ in current:
            await message.answer(
                await _round_status(db, round_), reply_markup=_control_keyboard(round_)
            )
        return
    today = calendar.local_date(clock.now())
    await _send_draft(
        message, db, Period.containing(today, PeriodKind.QUARTER), deadline_rule, calendar
    )


async def edit_draft(
    query: CallbackQuery,
    callback_data: RoundDraft,
    actor: Actor,
    db: Database,
    clock: Clock,
    calendar: WorkCalendar,
    deadline_rule: DeadlineRule,
) -> None:
    """Change the period or the deadline in the form, open the round, or cancel."""
    try:
        period = Period.parse(callback_data.period)
        deadline = _from_ymd(callback_data.deadline)
    except ValueError:
        await query.answer(render("access/stale.txt"), show_alert=True)
        return
    if callback_data.action is DraftAction.CANCEL:
        await edit_or_answer(query, render("rounds/cancelled.html"))
        await query.answer()
        return
    if callback_data.action is DraftAction.OPEN:
        await _open(query, actor, db, clock, calendar, period, deadline)
        return
    text = await _draft_text(db, period, deadline, calendar)
    if text is None:
        await edit_or_answer(query, render("rounds/no_plan.html", period=period))
    else:
        await edit_or_answer(
            query, text, _draft_keyboard(period, deadline, deadline_rule, calendar)
        )
    await query.answer()


async def _open(
    query: CallbackQuery,
    actor: Actor,
    db: Database,
    clock: Clock,
    calendar: WorkCalendar,
    period: Period,
    deadline: date,
) -> None:
    async with db.transaction() as conn:
        opened = await rounds.open_round(
            conn, period, deadline, actor_id=actor.telegram_id, calendar=calendar, now=clock.now()
        )
    if opened is rounds.Refusal.NO_PLAN:
        await edit_or_answer(query, render("rounds/no_plan.html", period=period))
    elif opened is rounds.Refusal.EXISTS:
        await edit_or_answer(query, render("rounds/exists.html", period=period))
    else:
        log.info("round %s opened for %s", opened.round.id, period.code)
        text = render(
            "rounds/opened.html",
            round=opened.round,
            period=period,
            reports=opened.reports,
            notified=opened.notified,
            unbound=opened.unbound,
        )
        await edit_or_answer(query, text, _control_keyboard(opened.round))
    await query.answer()


async def control_round(
    query: CallbackQuery,
    callback_data: RoundControl,
    actor: Actor,
    db: Database,
    clock: Clock,
    calendar: WorkCalendar,
    deadline_rule: DeadlineRule,
) -> None:
    """Extend the deadline, close the round, or start a form for another period."""
    now = clock.now()
    async with db.transaction() as conn:
        round_ = await round_rows.get_round(conn, callback_data.round_id)
        if round_ is not None and round_.state.value == "open":
            if callback_data.action is ControlAction.EXTEND:
                round_ = await round_rows.set_deadline(
                    conn,
                    round_,
                    extended_deadline(
                        round_.deadline, callback_data.days, deadline_rule, calendar
                    ),
                    actor_id=actor.telegram_id,
                    now=now,
                )
                await _announce_extension(conn, round_, calendar, now)
            elif callback_data.action is ControlAction.CONFIRM_CLOSE:
                round_ = await round_rows.close_round(
                    conn, round_, actor_id=actor.telegram_id, now=now
                )
                await _announce_closing(conn, round_, calendar, now)
    if round_ is None:
        await query.answer(render("access/stale.txt"), show_alert=True)
        return
    await query.answer()
    if callback_data.action is ControlAction.NEW:
        if isinstance(query.message, Message):
            next_period = _following(round_.period)
            await _send_draft(query.message, db, next_period, deadline_rule, calendar)
        return
    if callback_data.action is ControlAction.CLOSE:
        await edit_or_answer(query, *await _close_question(db, round_))
        return
    if callback_data.action is ControlAction.CONFIRM_CLOSE:
        await edit_or_answer(query, render("rounds/closed.html", period=round_.period))
        return
    await edit_or_answer(query, await _round_status(db, round_), _control_keyboard(round_))


async def _close_question(db: Database, round_: Round) -> tuple[str, InlineKeyboardMarkup]:
    """«Закрити збір?» with how many reports are still being filled or not started."""
    async with db.reading() as conn:
        reports = await reporting.reports_of_round(conn, round_.id)
    filling = (ReportState.DRAFT, ReportState.RETURNED)
    text = render(
        "rounds/close_question.html",
        period=round_.period,
        filling=sum(1 for r in reports if r.state in filling or r.editing),
        not_started=sum(1 for r in reports if r.state is ReportState.NOT_STARTED),
    )
    builder = InlineKeyboardBuilder()
    for action, name in (
        (ControlAction.CONFIRM_CLOSE, "confirm_close"),
        (ControlAction.BACK, "back"),
    ):
        builder.button(
            text=render("rounds/buttons.txt", name=name),
            callback_data=RoundControl(action=action, round_id=round_.id),
        )
    return text, builder.as_markup()


async def _announce_closing(
    conn: aiosqlite.Connection, round_: Round, calendar: WorkCalendar, now: datetime
) -> None:
    """Tell those with a report in progress that it can no longer be handed in, once each."""
    period = round_.period
    filling = [
        r
        for r in await reporting.reports_of_round(conn, round_.id)
        if r.state in (ReportState.DRAFT, ReportState.RETURNED) or r.editing
    ]
    await notify_fillers_once(
        conn,
        filling,
        lambda enterprises: render(
            "rounds/closed_notice.html",
            period=period,
            names=[e.display_name for e in enterprises],
        ),
        f"closed:{round_.id}",
        calendar,
        now,
    )


def _following(period: Period) -> Period:
    day = period.end + timedelta(days=1)
    return Period.containing(day, period.kind)


async def _announce_extension(
    conn: aiosqlite.Connection, round_: Round, calendar: WorkCalendar, now: datetime
) -> None:
    """Tell persons who have not handed in yet that they have more time, once each."""
    period = round_.period
    owing = [r for r in await reporting.reports_of_round(conn, round_.id) if not r.handed_in]
    await notify_fillers_once(
        conn,
        owing,
        lambda enterprises: render(
            "rounds/extended.html",
            period=period,
            deadline=round_.deadline,
            names=[e.display_name for e in enterprises],
        ),
        f"deadline:{round_.id}:{round_.deadline.isoformat()}",
        calendar,
        now,
    )


def create_router() -> Router:
    """The rounds use case as a fresh Router (one per Dispatcher)."""
    router = Router(name="rounds")
    router.message.filter(coordinator_only)
    router.callback_query.filter(coordinator_only)
    router.message.register(manage_rounds, Command("round"))
    router.callback_query.register(edit_draft, RoundDraft.filter())
    router.callback_query.register(control_round, RoundControl.filter())
    return router

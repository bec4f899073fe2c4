"""Coordinator's /status: who has handed in the latest round's report, paged, with a nudge."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from core.calendar import WorkCalendar
from core.clock import Clock
from core.deadlines import days_left
from core.models import Actor, Enterprise, Report, ReportState, Round, RoundState
from core.paging import page_of
from core.reminders import ReminderPolicy
from handlers.access import coordinator_only
from services.reminders import remind_non_submitters
from storage import registry, reporting
from storage import rounds as round_rows
from storage.database import Database
from templates import render
from ui.callbacks import Review, ReviewAction, RoundStatus, StatusAction
from ui.replies import edit_or_answer

PAGE_SIZE = 20
BUTTONS_PER_ROW = 5


@dataclass(frozen=True, slots=True)
class RoundProgress:
    """How far a round has got: one count per report state, plus the late ones."""

    total: int
    not_started: int
    draft: int
    submitted: int
    returned: int
    accepted: int
    late: int

    @classmethod
    def of(cls, reports: Sequence[Report]) -> RoundProgress:
        def count(state: ReportState) -> int:
            return sum(1 for r in reports if r.state is state)

        return cls(
            total=len(reports),
            not_started=count(ReportState.NOT_STARTED),
            draft=count(ReportState.DRAFT),
            submitted=count(ReportState.SUBMITTED),
            returned=count(ReportState.RETURNED),
            accepted=count(ReportState.ACCEPTED),
            late=sum(1 for r in reports if r.handed_in and r.late),
        )

    @property
    def handed_in(self) -> int:
        return self.submitted + self.accepted

    @property
    def outstanding(self) -> int:
        return self.total - self.handed_in

    @property
    def percent(self) -> int:
        # Floor, so 99.6% does not read as "100%" while someone is still missing.
        return self.handed_in * 100 // self.total if self.total else 0


@dataclass(frozen=True, slots=True)
class _Row:
    number: int
    mark: str
    name: str
    report_id: int


@dataclass(frozen=True, slots=True)
class _Screen:
    text: str
    markup: InlineKeyboardMarkup


def _mark(report: Report) -> str:
    return render("status/marks.txt", state=report.state, late=report.late)


async def _screen(
    db: Database, round_: Round, page: int, now: datetime, calendar: WorkCalendar
) -> _Screen:
    async with db.reading() as conn:
        reports = await reporting.reports_of_round(conn, round_.id)
        enterprises = {e.id: e for e in await registry.list_enterprises(conn)}
    shown = page_of(reports, page, PAGE_SIZE)
    page, pages = shown.number, shown.count
    rows = [
        _Row(
            number=shown.position(index),
            mark=_mark(report),
            name=_name(enterprises[report.enterprise_id]),
            report_id=report.id,
        )
        for index, report in enumerate(shown.items)
    ]
    text = render(
        "status/page.html",
        round=round_,
        period=round_.period,
        days_left=days_left(now, round_.deadline, calendar),
        progress=RoundProgress.of(reports),
        rows=rows,
        page=page,
        pages=pages,
    )
    return _Screen(text, _keyboard(round_, rows, page, pages))


def _name(enterprise: Enterprise) -> str:
    return enterprise.display_name


def _keyboard(round_: Round, rows: Sequence[_Row], page: int, pages: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for row in rows:
        builder.button(
            text=render("status/buttons.txt", name="report", number=row.number, mark=row.mark),
            callback_data=Review(action=ReviewAction.VIEW, report_id=row.report_id),
        )
    sizes = [BUTTONS_PER_ROW] * math.ceil(len(rows) / BUTTONS_PER_ROW)
    turns = 0
    for target, name in ((page - 1, "prev"), (page + 1, "next")):
        if 0 <= target < pages:
            builder.button(
                text=render("status/buttons.txt", name=name),
                callback_data=RoundStatus(
                    action=StatusAction.PAGE, round_id=round_.id, page=target
                ),
            )
            turns += 1
    if turns:
        sizes.append(turns)
    if round_.state is RoundState.OPEN:
        builder.button(
            text=render("status/buttons.txt", name="remind"),
            callback_data=RoundStatus(action=StatusAction.REMIND, round_id=round_.id),
        )
        sizes.append(1)
    builder.adjust(*sizes)
    return builder.as_markup()


async def show_status(
    message: Message, db: Database, clock: Clock, calendar: WorkCalendar
) -> None:
    """/status: the latest round's counts, deadline and the first page of enterprises."""
    async with db.reading() as conn:
        round_ = await round_rows.latest_round(conn)
    if round_ is None:
        await message.answer(render("status/no_round.html"))
        return
    screen = await _screen(db, round_, 0, clock.now(), calendar)
    await message.answer(screen.text, reply_markup=screen.markup)


async def turn_page(
    query: CallbackQuery,
    callback_data: RoundStatus,
    db: Database,
    clock: Clock,
    calendar: WorkCalendar,
) -> None:
    """Show another page of the list in the same message, with fresh counts."""
    async with db.reading() as conn:
        round_ = await round_rows.get_round(conn, callback_data.round_id)
    if round_ is None:
        await query.answer(render("access/stale.txt"), show_alert=True)
        return
    screen = await _screen(db, round_, callback_data.page, clock.now(), calendar)
    await query.answer()
    await edit_or_answer(query, screen.text, screen.markup)


async def remind_all(
    query: CallbackQuery,
    callback_data: RoundStatus,
    actor: Actor,
    db: Database,
    clock: Clock,
    calendar: WorkCalendar,
    reminder_policy: ReminderPolicy,
) -> None:
    """«Нагадати всім, хто не подав»: one nudge per person still owing a report."""
    now = clock.now()
    async with db.transaction() as conn:
        round_ = await round_rows.get_round(conn, callback_data.round_id)
        # The reminders use case owns the wording, the once-a-day dedupe and the audit of nudges.
        nudged = await remind_non_submitters(
            conn,
            callback_data.round_id,
            actor_id=actor.telegram_id,
            calendar=calendar,
            now=now,
            policy=reminder_policy,
        )
    if round_ is None:
        await query.answer(render("access/stale.txt"), show_alert=True)
        return
    if nudged is None:
        await query.answer(render("status/closed.txt"), show_alert=True)
        return
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.answer(
            render(
                "status/reminded.html",
                period=round_.period,
                queued=nudged.queued,
                already=nudged.already,
                unreachable=nudged.unreachable,
            )
        )


def create_router() -> Router:
    """The status use case as a fresh Router (one per Dispatcher)."""
    router = Router(name="status")
    router.message.filter(coordinator_only)
    router.callback_query.filter(coordinator_only)
    router.message.register(show_status, Command("status"))
    router.callback_query.register(turn_page, RoundStatus.filter(F.action == StatusAction.PAGE))
    router.callback_query.register(remind_all, RoundStatus.filter(F.action == StatusAction.REMIND))
    return router

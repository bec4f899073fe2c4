"""/remind's list of the reports still missing, with a nudge button each; the escalation to
the coordinators sends its first page."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

import aiosqlite
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from core.calendar import WorkCalendar
from core.models import Round
from core.paging import page_of
from services.deps import Deps
from storage import reminders as store
from storage import reporting
from storage import rounds as round_rows
from templates import render
from ui.callbacks import Chase, ChaseAction

LIST_PAGE = 10
BUTTONS_PER_ROW = 5


@dataclass(frozen=True, slots=True)
class _ChaseRow:
    number: int
    mark: str
    name: str
    report_id: int
    reachable: bool


Screen = tuple[str, InlineKeyboardMarkup]


async def chase_screen(
    conn: aiosqlite.Connection, round_: Round, page: int, now: datetime, calendar: WorkCalendar
) -> Screen:
    """The reports not handed in, LIST_PAGE a page, with a nudge button each and one for all."""
    total = len(await reporting.reports_of_round(conn, round_.id))
    owing = await store.owing(conn, round_.id)
    shown = page_of(owing, page, LIST_PAGE)
    page, pages = shown.number, shown.count
    rows = [
        _ChaseRow(
            number=shown.position(index),
            mark=render("status/marks.txt", state=item.report.state, late=False),
            name=item.enterprise.display_name,
            report_id=item.report.id,
            reachable=bool(item.reachable),
        )
        for index, item in enumerate(shown.items)
    ]
    text = render(
        "reminders/chase.html",
        period=round_.period,
        deadline=round_.deadline,
        after_deadline=now >= calendar.end_of_day_utc(round_.deadline),
        rows=rows,
        owing=len(owing),
        total=total,
        page=page,
        pages=pages,
    )
    builder = InlineKeyboardBuilder()
    for row in rows:
        builder.button(
            text=render("reminders/buttons.txt", name="one", number=row.number),
            callback_data=Chase(
                action=ChaseAction.ONE, round_id=round_.id, report_id=row.report_id
            ),
        )
    sizes = [BUTTONS_PER_ROW] * math.ceil(len(rows) / BUTTONS_PER_ROW)
    turns = 0
    for target, name in ((page - 1, "prev"), (page + 1, "next")):
        if 0 <= target < pages:
            builder.button(
                text=render("reminders/buttons.txt", name=name),
                callback_data=Chase(action=ChaseAction.PAGE, round_id=round_.id, page=target),
            )
            turns += 1
    if turns:
        sizes.append(turns)
    if owing:
        builder.button(
            text=render("reminders/buttons.txt", name="all"),
            callback_data=Chase(action=ChaseAction.ALL, round_id=round_.id),
        )
        sizes.append(1)
    builder.adjust(*sizes)
    return text, builder.as_markup()


async def chase(deps: Deps, round_id: int | None = None, page: int = 0) -> Screen | None:
    """/remind's list of missing reports for a round, or for the first open one when no
    `round_id` is given; None when there is no such round (or none open)."""
    async with deps.db.reading() as conn:
        if round_id is None:
            rounds = await round_rows.open_rounds(conn)
            round_ = rounds[0] if rounds else None
        else:
            round_ = await round_rows.get_round(conn, round_id)
        if round_ is None:
            return None
        return await chase_screen(conn, round_, page, deps.now(), deps.calendar)

"""/status's keyboard: a button per organisation shown (opening its report), the page turns,
and «Нагадати всім» while the round is open."""

from __future__ import annotations

import math
from collections.abc import Sequence

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from core.models import Report, Round, RoundState
from templates import render
from ui.callbacks import Review, ReviewAction, RoundStatus, StatusAction

BUTTONS_PER_ROW = 5


def mark(report: Report) -> str:
    """The state's sign, with ⏰ for a late one."""
    return render("status/marks.txt", state=report.state, late=report.late)


def status_keyboard(
    round_: Round, rows: Sequence[tuple[int, str, int]], page: int, pages: int
) -> InlineKeyboardMarkup:
    """`rows` are (number, mark, report id) of the organisations shown."""
    builder = InlineKeyboardBuilder()
    for number, sign, report_id in rows:
        builder.button(
            text=render("status/buttons.txt", name="report", number=number, mark=sign),
            callback_data=Review(action=ReviewAction.VIEW, report_id=report_id),
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

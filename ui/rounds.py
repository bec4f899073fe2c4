"""/round's keyboards: the form that opens a round, an open round's controls, «Закрити збір?».

Every button of the form carries the whole resulting form, so the form needs no server state.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from core.models import Round
from core.periods import Period
from templates import render
from ui.callbacks import ControlAction, DraftAction, RoundControl, RoundDraft

SHIFTS = (-7, -1, 1, 7)
EXTENSIONS = (3, 7)


def ymd(day: date) -> int:
    return day.year * 10000 + day.month * 100 + day.day


def from_ymd(value: int) -> date:
    """The date a form button carries; ValueError if it is not one."""
    return date(value // 10000, value // 100 % 100, value % 100)


def draft_keyboard(
    period: Period, deadline: date, choices: Sequence[tuple[Period, date]]
) -> InlineKeyboardMarkup:
    """The periods offered (each with its default deadline), shifts of the deadline, open and
    cancel."""
    builder = InlineKeyboardBuilder()
    for choice, default in choices:
        builder.button(
            text=render(
                "rounds/buttons.txt",
                name="period",
                label=render("rounds/period_short.txt", period=choice),
                current=choice == period,
            ),
            callback_data=RoundDraft(
                action=DraftAction.SET, period=choice.code, deadline=ymd(default)
            ),
        )
    for days in SHIFTS:
        builder.button(
            text=render("rounds/buttons.txt", name="shift", days=days),
            callback_data=RoundDraft(
                action=DraftAction.SET,
                period=period.code,
                deadline=ymd(deadline + timedelta(days=days)),
            ),
        )
    for action, name in ((DraftAction.OPEN, "open"), (DraftAction.CANCEL, "cancel")):
        builder.button(
            text=render("rounds/buttons.txt", name=name),
            callback_data=RoundDraft(action=action, period=period.code, deadline=ymd(deadline)),
        )
    builder.adjust(4, 3, 4, 2)
    return builder.as_markup()


def control_keyboard(round_: Round) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for days in EXTENSIONS:
        builder.button(
            text=render("rounds/buttons.txt", name="extend", days=days),
            callback_data=RoundControl(action=ControlAction.EXTEND, round_id=round_.id, days=days),
        )
    for action, name in ((ControlAction.CLOSE, "close"), (ControlAction.NEW, "new")):
        builder.button(
            text=render("rounds/buttons.txt", name=name),
            callback_data=RoundControl(action=action, round_id=round_.id),
        )
    builder.adjust(2, 1, 1)
    return builder.as_markup()


def close_keyboard(round_: Round) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for action, name in (
        (ControlAction.CONFIRM_CLOSE, "confirm_close"),
        (ControlAction.BACK, "back"),
    ):
        builder.button(
            text=render("rounds/buttons.txt", name=name),
            callback_data=RoundControl(action=action, round_id=round_.id),
        )
    return builder.as_markup()

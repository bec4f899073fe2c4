"""The review card's buttons: its pages, the decisions it allows, the document and history;
the same for /review's queue, and the tally's «Переглянути чергу»."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from core.models import Report, ReportState
from templates import render
from ui.callbacks import QueueAction, Review, ReviewAction, ReviewQueue


def review_card_keyboard(report: Report, page: int, pages: int) -> InlineKeyboardMarkup:
    """Pages, then «Прийняти» and «Повернути» only where they can act, and the document."""
    report_id = report.id
    builder = InlineKeyboardBuilder()
    sizes = []
    if page > 0:
        builder.button(
            text=render("review/buttons.txt", name="prev"),
            callback_data=Review(action=ReviewAction.PAGE, report_id=report_id, page=page - 1),
        )
    if page < pages - 1:
        builder.button(
            text=render("review/buttons.txt", name="next"),
            callback_data=Review(action=ReviewAction.PAGE, report_id=report_id, page=page + 1),
        )
    if pages > 1:
        sizes.append(2 if 0 < page < pages - 1 else 1)
    decisions = [(ReviewAction.ACCEPT, "accept"), (ReviewAction.RETURN, "return")]
    actions = decisions if report.state is ReportState.SUBMITTED else []
    if report.handed_in:
        actions.append((ReviewAction.DOCUMENT, "document"))
    actions.append((ReviewAction.HISTORY, "history"))
    for action, name in actions:
        builder.button(
            text=render("review/buttons.txt", name=name),
            callback_data=Review(action=action, report_id=report_id),
        )
    builder.adjust(*sizes, 2 if report.state is ReportState.SUBMITTED else 1)
    return builder.as_markup()


def queue_notice_keyboard() -> InlineKeyboardMarkup:
    """Under the coordinators' tally of submissions: «Переглянути чергу»."""
    builder = InlineKeyboardBuilder()
    builder.button(
        text=render("review/buttons.txt", name="queue"),
        callback_data=ReviewQueue(action=QueueAction.OPEN),
    )
    return builder.as_markup()


def queue_card_keyboard(
    report: Report, page: int, pages: int, *, waiting: int
) -> InlineKeyboardMarkup:
    """/review's card: its pages, «Прийняти» and «Повернути» (naming the version shown),
    «Пропустити» while others wait, and the document and history."""
    builder = InlineKeyboardBuilder()
    sizes = []
    at = {"report_id": report.id, "version": report.version}
    if page > 0:
        builder.button(
            text=render("review/buttons.txt", name="prev"),
            callback_data=ReviewQueue(action=QueueAction.PAGE, page=page - 1, **at),
        )
    if page < pages - 1:
        builder.button(
            text=render("review/buttons.txt", name="next"),
            callback_data=ReviewQueue(action=QueueAction.PAGE, page=page + 1, **at),
        )
    if pages > 1:
        sizes.append(2 if 0 < page < pages - 1 else 1)
    if report.state is ReportState.SUBMITTED:
        for action, name in ((QueueAction.ACCEPT, "accept"), (QueueAction.RETURN, "return")):
            builder.button(
                text=render("review/buttons.txt", name=name),
                callback_data=ReviewQueue(action=action, **at),
            )
        sizes.append(2)
    if waiting > 1:
        builder.button(
            text=render("review/buttons.txt", name="skip"),
            callback_data=ReviewQueue(action=QueueAction.SKIP, **at),
        )
        sizes.append(1)
    for shown, name in ((ReviewAction.DOCUMENT, "document"), (ReviewAction.HISTORY, "history")):
        builder.button(
            text=render("review/buttons.txt", name=name),
            callback_data=Review(action=shown, report_id=report.id),
        )
    builder.adjust(*sizes, 2)
    return builder.as_markup()

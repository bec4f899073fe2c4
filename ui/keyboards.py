"""Inline keyboards, built with InlineKeyboardBuilder; button labels come from templates."""

from __future__ import annotations

from collections.abc import Callable

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from core.models import Person, PersonStatus
from templates import render
from ui.callbacks import (
    ListKind,
    ListPage,
    PersonAction,
    PersonCard,
    Q,
    QAction,
    ReminderSnooze,
    Review,
    ReviewAction,
)


def prev_next(
    page: int, pages: int, buttons: str, data: Callable[[int], CallbackData]
) -> InlineKeyboardMarkup | None:
    """«Назад» / «Далі» between pages (words from the `buttons` template); none for one page."""
    if pages <= 1:
        return None
    builder = InlineKeyboardBuilder()
    if page > 0:
        builder.button(text=render(buttons, name="prev"), callback_data=data(page - 1))
    if page < pages - 1:
        builder.button(text=render(buttons, name="next"), callback_data=data(page + 1))
    return builder.as_markup()


def pager(kind: ListKind, page: int, pages: int) -> InlineKeyboardMarkup | None:
    return prev_next(page, pages, "registry/buttons.txt", lambda to: ListPage(kind=kind, page=to))


def person_card(person: Person) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for status in PersonStatus:
        builder.button(
            text=render(
                "registry/buttons.txt",
                name="status",
                status=status,
                current=status == person.status,
            ),
            callback_data=PersonCard(
                action=PersonAction.STATUS, person_id=person.id, status=status
            ),
        )
    builder.button(
        text=render("registry/buttons.txt", name="invite"),
        callback_data=PersonCard(action=PersonAction.INVITE, person_id=person.id),
    )
    if person.telegram_id is not None:
        builder.button(
            text=render("registry/buttons.txt", name="unbind"),
            callback_data=PersonCard(action=PersonAction.UNBIND, person_id=person.id),
        )
    builder.adjust(2, 2, 2)
    return builder.as_markup()


def open_report(report_id: int, label: str = "start") -> InlineKeyboardMarkup:
    """One button that opens (or reopens) a report's questionnaire from any message."""
    builder = InlineKeyboardBuilder()
    action = QAction.REOPEN if label == "reopen" else QAction.START
    builder.button(
        text=render("questionnaire/buttons.txt", name=label),
        callback_data=Q(action=action, report_id=report_id),
    )
    return builder.as_markup()


def as_payload(markup: InlineKeyboardMarkup) -> dict[str, object]:
    """Telegram's JSON of a keyboard, for messages that leave through the outbox."""
    return markup.model_dump(mode="json", exclude_none=True)


def reminder_keyboard(report_id: int, *, snooze: bool) -> InlineKeyboardMarkup:
    """«Продовжити звіт» (the questionnaire's own button), and «Нагадати завтра» if possible."""
    builder = InlineKeyboardBuilder.from_markup(open_report(report_id, "continue"))
    if snooze:
        builder.row(
            InlineKeyboardButton(
                text=render("reminders/buttons.txt", name="snooze"),
                callback_data=ReminderSnooze(report_id=report_id).pack(),
            )
        )
    return builder.as_markup()


def submitted_notice_keyboard(report_id: int) -> InlineKeyboardMarkup:
    """Under a coordinator's «Звіт подано» notice: view the report, accept it or return it."""
    builder = InlineKeyboardBuilder()
    for action, name in (
        (ReviewAction.VIEW, "view"),
        (ReviewAction.ACCEPT, "accept"),
        (ReviewAction.RETURN, "return"),
    ):
        builder.button(
            text=render("review/buttons.txt", name=name),
            callback_data=Review(action=action, report_id=report_id),
        )
    builder.adjust(1, 2)
    return builder.as_markup()

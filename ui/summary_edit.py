"""The consolidated texts' editor: the buttons under the digest and under each page."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from templates import render
from ui.callbacks import SummaryEdit, SummaryEditAction


def _button(builder: InlineKeyboardBuilder, name: str, data: SummaryEdit) -> None:
    builder.button(text=render("summary_edit/buttons.txt", name=name), callback_data=data)


def editor_start_keyboard(code: str, measures: int) -> InlineKeyboardMarkup:
    """Under the digest: open the first measure's page, or the proposal's."""
    builder = InlineKeyboardBuilder()
    _button(builder, "start", SummaryEdit(action=SummaryEditAction.START, period=code))
    _button(
        builder,
        "proposal",
        SummaryEdit(action=SummaryEditAction.START, period=code, index=measures),
    )
    builder.adjust(1)
    return builder.as_markup()


def editor_page_keyboard(code: str, index: int, last: int, edited: bool) -> InlineKeyboardMarkup:
    """Turn the pages; revert an edited text; a measure's answers; done."""
    builder = InlineKeyboardBuilder()
    sizes = []
    turns = [("prev", index - 1)] if index > 0 else []
    turns += [("next", index + 1)] if index < last else []
    for name, target in turns:
        _button(
            builder, name, SummaryEdit(action=SummaryEditAction.OPEN, period=code, index=target)
        )
    sizes.append(len(turns))
    extra = 0
    if edited:
        _button(
            builder,
            "revert",
            SummaryEdit(action=SummaryEditAction.REVERT, period=code, index=index),
        )
        extra += 1
    if index < last:
        _button(
            builder,
            "answers",
            SummaryEdit(action=SummaryEditAction.ANSWERS, period=code, index=index),
        )
        extra += 1
    sizes.append(extra)
    _button(builder, "done", SummaryEdit(action=SummaryEditAction.DONE, period=code, index=index))
    sizes.append(1)
    builder.adjust(*[s for s in sizes if s])
    return builder.as_markup()

"""What every circular screen shares (its title, its button texts, the acknowledgement button)
and the screens of tracking sent ones."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from core.circulars import Circular, Counts, Tracked, visible_text
from templates import render
from ui.callbacks import CircularAck, CircularTrack, TrackAction

__all__ = [
    "ack_keyboard",
    "acked_keyboard",
    "circular_button",
    "circular_title",
    "detail_screen",
    "list_screen",
    "visible_text",
]

TITLE_LENGTH = 60


def circular_title(circular: Circular) -> str:
    text = " ".join(visible_text(circular.text_html).split())
    if len(text) > TITLE_LENGTH:
        text = text[: TITLE_LENGTH - 1].rstrip() + "…"
    return render(
        "circulars/title.txt",
        file_kind=circular.file_kind,
        file_name=circular.file_name,
        text=text,
    )


def circular_button(name: str, **context: object) -> str:
    return render("circulars/buttons.txt", name=name, **context)


def ack_keyboard(circular_id: int, person_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=circular_button("ack"),
        callback_data=CircularAck(circular_id=circular_id, person_id=person_id),
    )
    return builder.as_markup()


def acked_keyboard(pressed: CallbackData, at: datetime) -> InlineKeyboardMarkup:
    """The acknowledgement button once pressed: it says when, and pressing it again says so."""
    builder = InlineKeyboardBuilder()
    builder.button(text=circular_button("acked", at=at), callback_data=pressed)
    return builder.as_markup()


@dataclass(frozen=True, slots=True)
class _Item:
    circular: Circular
    sent_at: datetime
    title: str
    counts: Counts


def list_screen(
    tracked: Sequence[Tracked], zone: tzinfo
) -> tuple[str, InlineKeyboardMarkup | None]:
    """/circulars: the recent circulars with their counts and a button each to open one."""
    if not tracked:
        return render("circulars/none.html"), None
    items = [
        _Item(t.circular, t.sent_at.astimezone(zone), circular_title(t.circular), t.counts)
        for t in tracked
    ]
    builder = InlineKeyboardBuilder()
    for item in items:
        builder.button(
            text=circular_button("open", number=item.circular.id),
            callback_data=CircularTrack(action=TrackAction.OPEN, circular_id=item.circular.id),
        )
    builder.adjust(5)
    return render("circulars/list.html", items=items), builder.as_markup()


def detail_screen(tracked: Tracked, zone: tzinfo) -> tuple[str, InlineKeyboardMarkup]:
    """One circular: counts, who has not acknowledged, «Нагадати» and the export."""
    circular = tracked.circular
    builder = InlineKeyboardBuilder()
    if tracked.remindable:
        builder.button(
            text=circular_button("remind", count=tracked.remindable),
            callback_data=CircularTrack(action=TrackAction.REMIND, circular_id=circular.id),
        )
    builder.button(
        text=circular_button("export"),
        callback_data=CircularTrack(action=TrackAction.EXPORT, circular_id=circular.id),
    )
    builder.adjust(1)
    text = render(
        "circulars/detail.html",
        circular=circular,
        sent_at=tracked.sent_at.astimezone(zone),
        title=circular_title(circular),
        counts=tracked.counts,
        waiting=tracked.waiting,
    )
    return text, builder.as_markup()

"""What every circular screen shares: its title, its button texts, the acknowledgement button."""

from __future__ import annotations

import html
import re

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from core.circulars import Circular
from templates import render
from ui.callbacks import CircularAck

TITLE_LENGTH = 60
_TAG = re.compile(r"<[^>]+>")


def visible_text(text_html: str) -> str:
    return html.unescape(_TAG.sub("", text_html))


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

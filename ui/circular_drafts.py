"""The screens of composing a circular: whom to send it to (everyone, kinds, organisations
picked page by page) and the preview before «Надіслати»."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from core.circulars import Circular
from core.models import Enterprise, EnterpriseKind
from core.paging import Page
from templates import render
from ui.callbacks import CircularDraft, CircularStep
from ui.circulars import circular_button

Screen = tuple[str, InlineKeyboardMarkup]


def _step(
    step: CircularStep,
    circular_id: int,
    *,
    kind: EnterpriseKind | None = None,
    ref: int = 0,
    page: int = 0,
) -> CircularDraft:
    return CircularDraft(step=step, circular_id=circular_id, kind=kind, ref=ref, page=page)


def audience_screen(circular: Circular) -> Screen:
    """The draft is saved: «Кому надіслати?» with everyone, kinds, organisations, cancel."""
    builder = InlineKeyboardBuilder()
    for step, name in (
        (CircularStep.ALL, "all"),
        (CircularStep.KINDS, "kinds"),
        (CircularStep.PICK, "pick"),
        (CircularStep.CANCEL, "cancel"),
    ):
        builder.button(text=circular_button(name), callback_data=_step(step, circular.id))
    builder.adjust(1)
    return render("circulars/audience.html", circular=circular), builder.as_markup()


def kinds_screen(circular: Circular) -> Screen:
    """The kinds of organisation, each ticked or not, then «Готово» and «Назад»."""
    builder = InlineKeyboardBuilder()
    for kind in EnterpriseKind:
        builder.button(
            text=circular_button("kind", kind=kind, checked=kind in circular.kinds),
            callback_data=_step(CircularStep.KIND, circular.id, kind=kind),
        )
    _done_and_back(builder, circular.id)
    builder.adjust(1)
    return render("circulars/kinds.html", circular=circular), builder.as_markup()


def pick_screen(circular: Circular, shown: Page[Enterprise]) -> Screen:
    """One page of the active organisations, each ticked or not, with the page turns."""
    page, pages = shown.number, shown.count
    builder = InlineKeyboardBuilder()
    for enterprise in shown.items:
        builder.button(
            text=circular_button(
                "enterprise",
                label=enterprise.display_name,
                checked=enterprise.id in circular.enterprise_ids,
            ),
            callback_data=_step(
                CircularStep.ENTERPRISE, circular.id, ref=enterprise.id, page=page
            ),
        )
    sizes = [1] * len(shown.items)
    turns = 0
    for target, name in ((page - 1, "prev"), (page + 1, "next")):
        if 0 <= target < pages:
            builder.button(
                text=circular_button(name),
                callback_data=_step(CircularStep.PICK, circular.id, page=target),
            )
            turns += 1
    if turns:
        sizes.append(turns)
    _done_and_back(builder, circular.id)
    builder.adjust(*sizes, 1, 1)
    text = render(
        "circulars/pick.html",
        circular=circular,
        chosen=len(circular.enterprise_ids),
        page=page,
        pages=pages,
    )
    return text, builder.as_markup()


def _done_and_back(builder: InlineKeyboardBuilder, circular_id: int) -> None:
    builder.button(
        text=circular_button("done"), callback_data=_step(CircularStep.PREVIEW, circular_id)
    )
    builder.button(
        text=circular_button("back"), callback_data=_step(CircularStep.BACK, circular_id)
    )


def chosen_text(circular: Circular, names: Sequence[str]) -> str:
    """Above the copy of the content: whom it goes to."""
    return render("circulars/chosen.html", circular=circular, names=names)


def preview_screen(
    circular: Circular, names: Sequence[str], total: int, bound: int, later: datetime | None
) -> Screen:
    """Under the copy: the count, when sending starts, «Надіслати» (if anyone), change, cancel."""
    builder = InlineKeyboardBuilder()
    if total:
        builder.button(
            text=circular_button("send"), callback_data=_step(CircularStep.SEND, circular.id)
        )
    for step, name in ((CircularStep.BACK, "change"), (CircularStep.CANCEL, "cancel")):
        builder.button(text=circular_button(name), callback_data=_step(step, circular.id))
    builder.adjust(1)
    text = render(
        "circulars/preview.html",
        circular=circular,
        names=names,
        total=total,
        bound=bound,
        later=later,
    )
    return text, builder.as_markup()

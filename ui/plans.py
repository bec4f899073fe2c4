"""The plan upload's screens: the indicators offered with a plan, one toggle each, and Save /
Cancel; and the pages of /plan."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from core.indicator_offer import PendingPlan
from templates import render
from ui.callbacks import PlanIndicator, PlanPage, PlanUpload, UploadAction
from ui.keyboards import prev_next


def indicators_screen(pending: PendingPlan) -> tuple[str, InlineKeyboardMarkup]:
    """The offered indicators with the measure each belongs to, a toggle per indicator, and
    «Зберегти» / «Скасувати» (at most MAX_OFFERED + 2 buttons, one message)."""
    measures = {m.number: m for s in pending.draft.sections for m in s.measures}
    text = render("plan/indicators_offer.html", pending=pending, measures=measures)
    builder = InlineKeyboardBuilder()
    for index, item in enumerate(pending.offered):
        builder.button(
            text=render(
                "plan/buttons.txt",
                name="indicator",
                number=index + 1,
                label=item.indicator.label,
                chosen=item.chosen,
            ),
            callback_data=PlanIndicator(upload_id=pending.id, index=index),
        )
    for action, name in ((UploadAction.SAVE, "save"), (UploadAction.CANCEL, "cancel")):
        builder.button(
            text=render("plan/buttons.txt", name=name),
            callback_data=PlanUpload(action=action, upload_id=pending.id),
        )
    builder.adjust(*([1] * len(pending.offered)), 2)
    return text, builder.as_markup()


def plan_pager(plan_id: int, page: int, pages: int) -> InlineKeyboardMarkup | None:
    """«« Назад» / «Далі »» under a page of /plan; none for a plan of one page."""
    return prev_next(
        page, pages, "plan/buttons.txt", lambda to: PlanPage(plan_id=plan_id, page=to)
    )

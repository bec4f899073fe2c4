"""The questionnaire's screens: the text and buttons of a measure, its narrative, an indicator
and the overview, each in the window (token) it belongs to, under a note of what was just
saved. aiogram types only, no database."""

from __future__ import annotations

import functools
from collections.abc import Sequence

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from core.models import MeasureStatus
from core.questionnaire import (
    MAX_NARRATIVE,
    Note,
    ReopenStep,
    ReportContext,
    Step,
    StepKind,
    unanswered,
)
from templates import render
from templates.chunks import TEXT_LIMIT
from ui.callbacks import Q, QAction

# Jump buttons on the overview: enough for a 60-measure plan, within Telegram's keyboard limits.
MAX_JUMP_BUTTONS = 60
# Characters of the overview given to the measure lines; the rest is the header and the footer.
OVERVIEW_BUDGET = 2900


class Keyboard:
    """The questionnaire's keyboards as plain lists of buttons, laid out like aiogram's
    `InlineKeyboardBuilder.adjust` (the last row size repeats for the rest).

    The builder deep-copies its buttons on every add and on every read of them: on the hot
    screens that was a large part of an answer's CPU (docs/benchmarks.md).
    """

    __slots__ = ("buttons", "sizes")

    def __init__(self) -> None:
        self.buttons: list[InlineKeyboardButton] = []
        self.sizes: tuple[int, ...] = ()

    def row(self, button: InlineKeyboardButton) -> None:
        self.buttons.append(button)

    def adjust(self, *sizes: int) -> None:
        self.sizes = sizes

    def as_markup(self) -> InlineKeyboardMarkup:
        rows: list[list[InlineKeyboardButton]] = []
        if not self.sizes:  # no layout asked: one button a row, as `row()` gives
            rows = [[b] for b in self.buttons]
            return InlineKeyboardMarkup(inline_keyboard=rows)
        at = 0
        for k in range(len(self.buttons)):
            size = self.sizes[min(k, len(self.sizes) - 1)]
            if at >= len(self.buttons):
                break
            rows.append(self.buttons[at : at + size])
            at += size
        return InlineKeyboardMarkup(inline_keyboard=rows)


def button(builder: Keyboard, name: str, data: Q, **extra: object) -> None:
    """Add a button; every caller lays the rows out with `adjust()` afterwards."""
    builder.row(InlineKeyboardButton(text=label(name, **extra), callback_data=data.pack()))


def label(name: str, /, **extra: object) -> str:
    """A button's label from questionnaire/buttons.txt; the same arguments give the same label,
    so they are rendered once (every argument is a plain value: a status, a mark, a number)."""
    return _label(name, tuple(sorted(extra.items())))


@functools.lru_cache(maxsize=1024)
def _label(name: str, extra: tuple[tuple[str, object], ...]) -> str:
    return render("questionnaire/buttons.txt", name=name, **dict(extra))


def _nav(builder: Keyboard, q: _Buttons, *, back: bool, forward: bool) -> None:
    if back:
        button(builder, "back", q(action=QAction.BACK))
    button(builder, "overview", q(action=QAction.OVERVIEW))
    if forward:
        button(builder, "next", q(action=QAction.NEXT))
    button(builder, "exit", q(action=QAction.EXIT))


class _Buttons:
    """Callback data of one window: every button carries its report and the window's token."""

    def __init__(self, report_id: int, window: int) -> None:
        self.report_id, self.window = report_id, window

    def __call__(self, *, action: QAction, ref: int = 0, status: MeasureStatus | None = None) -> Q:
        return Q(
            action=action, report_id=self.report_id, ref=ref, status=status, screen=self.window
        )


def screen(
    session: ReportContext, step: Step, window: int, note: Note | None = None
) -> tuple[str, InlineKeyboardMarkup]:
    """The text and buttons for one place in the questionnaire, in the window `window`, under
    `note` (what was just saved) when it fits in one message."""
    text, markup = _screen(session, step, window)
    if note is not None:
        noted = f"{render('questionnaire/note.html', note=note)}\n\n{text}"
        text = noted if len(noted) <= TEXT_LIMIT else text
    return text, markup


def _screen(session: ReportContext, step: Step, window: int) -> tuple[str, InlineKeyboardMarkup]:
    q = _Buttons(session.report.id, window)
    builder = Keyboard()
    measure = session.measure(step.ref) if step.kind.on_measure else None
    if measure is not None:
        index = session.measures.index(measure) + 1
        answer = session.answers.get(measure.id)
        if step.kind is StepKind.NARRATIVE and answer is not None and answer.status is not None:
            text = render(
                "questionnaire/narrative.html",
                measure=measure,
                answer=answer,
                index=index,
                total=len(session.measures),
                limit=MAX_NARRATIVE,
            )
            if answer.narrative:
                button(builder, "keep", q(action=QAction.KEEP, ref=measure.id))
            button(builder, "change", q(action=QAction.CHANGE, ref=measure.id))
            _nav(builder, q, back=False, forward=False)
            builder.adjust(*([1] if answer.narrative else []), 1, 2)
            return text, builder.as_markup()
        previous = session.previous.get(measure.number)
        text = render(
            "questionnaire/measure.html",
            measure=measure,
            answer=answer,
            previous=previous,
            period=session.period,
            index=index,
            total=len(session.measures),
            attachments=sum(1 for a in session.attachments if a.measure_id == measure.id),
        )
        for status in MeasureStatus:
            button(
                builder,
                "status",
                q(action=QAction.STATUS, ref=measure.id, status=status),
                status=status,
            )
        rows = [2, 2]
        if previous is not None and previous.status is not None:
            button(builder, "copy", q(action=QAction.COPY, ref=measure.id))
            rows.append(1)
        if not session.answers and session.previous:
            button(builder, "copy_all", q(action=QAction.COPY_ALL))
            rows.append(1)
        _nav(builder, q, back=index > 1, forward=True)
        builder.adjust(*rows, 3 if index > 1 else 2, 1)
        return text, builder.as_markup()
    if step.kind is StepKind.INDICATOR and step.ref < len(session.indicators):
        indicator = session.indicators[step.ref]
        text = render(
            "questionnaire/indicator.html",
            indicator=indicator,
            measure=session.indicator_measure(step.ref),
            index=step.ref + 1,
            total=len(session.indicators),
            value=session.values.get(indicator.code),
            skipped=indicator.code in session.values and session.values[indicator.code] is None,
        )
        button(builder, "zero", q(action=QAction.ZERO, ref=step.ref))
        button(builder, "skip", q(action=QAction.SKIP, ref=step.ref))
        _nav(builder, q, back=True, forward=True)
        builder.adjust(2, 3, 1)
        return text, builder.as_markup()
    return overview(session, window)


def overview_width(measures: int) -> int:
    """How much of each measure's text the overview can show: it is one live message, so a
    60-measure plan gets short lines, and a very long one gets numbers only."""
    width = min(60, OVERVIEW_BUDGET // max(measures, 1) - 16)
    return width if width >= 12 else 0


def overview(session: ReportContext, window: int) -> tuple[str, InlineKeyboardMarkup]:
    """The map of the report: every measure's state (answered, as last quarter, missing), each
    a button; «Подати звіт» only when nothing is missing, else what is."""
    q = _Buttons(session.report.id, window)
    missing = unanswered(session.measures, session.answers)
    copied = {m.id for m in session.measures if session.copied(m)}
    width = overview_width(len(session.measures))
    while True:
        text = render(
            "questionnaire/overview.html",
            enterprise=session.enterprise,
            period=session.period,
            deadline=session.round.deadline,
            report=session.report,
            measures=session.measures,
            answers=session.answers,
            answered=len(session.measures) - len(missing),
            copied=copied,
            filled=sum(1 for v in session.values.values() if v is not None),
            indicators=len(session.indicators),
            missing=[m.number for m in missing],
            width=width,
        )
        if len(text) <= TEXT_LIMIT or width == 0:
            break
        width = 0 if width <= 20 else width // 2
    builder = Keyboard()
    # Every measure opens in one tap; a plan too long for the keyboard shows the missing first.
    jumps = session.measures
    absent = {m.id for m in missing}
    if len(jumps) > MAX_JUMP_BUTTONS:
        jumps = missing + [m for m in session.measures if m.id not in absent]
    for measure in jumps[:MAX_JUMP_BUTTONS]:
        mark = "missing" if measure.id in absent else "copied" if measure.id in copied else ""
        button(
            builder, "jump", q(action=QAction.JUMP, ref=measure.id), mark=mark,
            number=measure.number,
        )  # fmt: skip
    jump_rows = [4] * ((min(len(jumps), MAX_JUMP_BUTTONS) + 3) // 4)
    tail = []
    if session.indicators:
        button(builder, "indicators", q(action=QAction.INDICATORS))
        tail.append(1)
    if not missing:
        button(builder, "submit", q(action=QAction.SUBMIT))
        tail.append(1)
    button(builder, "exit", q(action=QAction.EXIT))
    builder.adjust(*jump_rows, *tail, 1)
    return text, builder.as_markup()


def report_choice(contexts: Sequence[ReportContext]) -> InlineKeyboardMarkup:
    """One button per report the person may fill (their own, and those they substitute on)."""
    builder = Keyboard()
    for context in contexts:
        builder.row(
            InlineKeyboardButton(
                text=render("questionnaire/buttons.txt", name="report", session=context),
                callback_data=Q(action=QAction.START, report_id=context.report.id).pack(),
            )
        )
    builder.adjust(1)
    return builder.as_markup()


def reopen_question(report_id: int) -> InlineKeyboardMarkup:
    """«Внести зміни?»: yes, or leave it as submitted."""
    builder = Keyboard()
    button(
        builder,
        "reopen_yes",
        Q(action=QAction.REOPEN, report_id=report_id, ref=ReopenStep.CONFIRM),
    )
    button(
        builder, "reopen_no", Q(action=QAction.REOPEN, report_id=report_id, ref=ReopenStep.KEEP)
    )
    return builder.as_markup()

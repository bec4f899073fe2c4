"""Line structure of the list-bearing screens: every item on its own line, blank lines where
a paragraph ends. With trim_blocks, a block tag at the end of a line eats that line's break."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest

from core.circulars import Counts, ReceiptStatus
from core.models import (
    Answer,
    Enterprise,
    EnterpriseKind,
    IndicatorDef,
    Measure,
    MeasureStatus,
    PeriodKind,
    Plan,
    Report,
    ReportState,
    Round,
    RoundState,
)
from core.periods import Period
from core.progress import RoundProgress
from templates import TEMPLATES_DIR, render

KYIV_MORNING = datetime(2026, 3, 2, 9, 30)
Q1 = Period.quarter(2026, 1)
GYMNASIUM = Enterprise(
    1,
    "44102318",
    "Гімназія № 3 Вербівської міської ради",
    "Гімназія № 3",
    EnterpriseKind.EDUCATION,
)


def paragraphs(text: str) -> list[list[str]]:
    """The message as Telegram shows it: paragraphs split by blank lines, each a list of lines."""
    assert "\n\n\n" not in text, "two blank lines in a row"
    return [paragraph.split("\n") for paragraph in text.split("\n\n")]


def paragraph_starting(text: str, start: str) -> list[str]:
    found = [p for p in paragraphs(text) if p[0].startswith(start)]
    assert len(found) == 1, f"one paragraph should start with {start!r}:\n{text}"
    return found[0]


# A line of text ending in a closing tag ({% endif %}, {% endfor %}, {% include %}) loses its
# line break, which matters when output follows it. «+%}» keeps the break, «-%}» joins on purpose.
_TAG = re.compile(r"\{%[-+]?\s*(\w+)(.*?)[-+]?%\}")
_NOT_OUTPUT = re.compile(r"\{%.*?%\}|\{#.*?#\}")
_OPENS = {"if", "for", "macro", "filter", "call", "block"}


def _tags(line: str) -> list[str]:
    """The block tags of a line by name; «set» opens a block only without «=»."""
    names = []
    for name, body in _TAG.findall(line):
        names.append("set_block" if name == "set" and "=" not in body else name)
    return names


def _output_follows(rest: list[str], enclosing: list[str]) -> bool:
    """Whether anything is printed after the end of the line, given the open blocks."""
    outer, inner, skipping = list(enclosing), [], False
    for line in rest:
        if not line.strip() or _NOT_OUTPUT.sub("", line).strip():
            if not skipping:
                return True  # a blank line or text: printed right after the eaten break
            continue
        for name in _tags(line):
            if name in _OPENS or name == "set_block":
                inner.append(name)
            elif inner and (name.startswith("end") or name in ("else", "elif")):
                if name.startswith("end"):
                    inner.pop()
            elif name in ("else", "elif") and outer:
                if outer[-1] == "for" and not skipping:
                    return True  # the loop's body ends here and runs again
                skipping = True  # another branch of the «if» around the line
            elif name.startswith("end") and outer:
                if outer.pop() == "for" and not skipping:
                    return True  # the next pass of the loop prints right after
                skipping = False
            elif name == "include" and not skipping:
                return True
    return False


def eaten_line_breaks(source: str) -> list[int]:
    lines = source.rstrip().split("\n")  # render() strips the blank lines at the end
    eaten, stack = [], []
    for number, line in enumerate(lines, start=1):
        for name in _tags(line):
            if name in _OPENS or name == "set_block":
                stack.append(name)
            elif name.startswith("end") and stack:
                stack.pop()
        end = line.rstrip()
        last = _tags(end[end.rfind("{%") :]) if end.endswith("%}") else []
        if not last or not (last[0].startswith("end") or last[0] == "include"):
            continue
        if end.endswith(("+%}", "-%}")) or not _NOT_OUTPUT.sub("", end).strip():
            continue
        if (
            last[0] == "endmacro"
            or lines[number : number + 1] == []
            or lines[number].lstrip().startswith("{%-")
        ):
            continue  # outside any output, or stripped by the next tag anyway
        if _output_follows(lines[number:], stack):
            eaten.append(number)
    return eaten


def test_no_template_line_loses_its_line_break_to_a_block_tag() -> None:
    offenders = [
        f"{path.relative_to(TEMPLATES_DIR)}:{number}"
        for path in sorted(TEMPLATES_DIR.rglob("*"))
        if path.suffix in (".html", ".txt")
        for number in eaten_line_breaks(path.read_text(encoding="utf-8"))
    ]
    assert offenders == [], "end these lines with «+%}» (keep the break) or «-%}» (join)"


def test_the_lint_sees_an_eaten_break_only_where_output_follows() -> None:
    assert eaten_line_breaks("a{% if x %} b{% endif %}\nc") == [1]
    assert eaten_line_breaks("{% for i in l %}\n{{ i }}{% if x %}!{% endif %}\n{% endfor %}") == [
        2
    ]
    branches = "{% if a %}\nX{% if b %}!{% endif %}\n{% elif c %}\nY\n{% endif %}"
    assert eaten_line_breaks(branches) == []
    assert eaten_line_breaks(branches + "\nZ") == [2]
    assert eaten_line_breaks("a{% if x %} b{% endif +%}\nc") == []
    assert eaten_line_breaks("a{% include 'x' -%}\n{% endfor %}") == []
    assert eaten_line_breaks("{% if x %}\nc\n{% endif %}") == []


def _receipt(
    enterprise: str, person: str, status: ReceiptStatus, reminded: bool = False
) -> SimpleNamespace:
    return SimpleNamespace(
        enterprise_name=enterprise,
        person_name=person,
        status=status,
        reminded_at=KYIV_MORNING if reminded else None,
    )


def test_circular_detail_lists_everyone_who_has_not_read_it_one_per_line() -> None:
    waiting = [
        _receipt("Гімназія № 3", "Андрій Коваль", ReceiptStatus.DELIVERED),
        _receipt("ЦНАП", "Максим Бондар", ReceiptStatus.UNREACHABLE, reminded=True),
        _receipt("КП «Міськводоканал»", "Олена Гнатюк", ReceiptStatus.QUEUED),
    ]
    text = render(
        "circulars/detail.html",
        circular=SimpleNamespace(id=7),
        sent_at=KYIV_MORNING,
        title="Роз'яснення НАЗК щодо декларацій",
        counts=Counts(recipients=5, queued=1, delivered=3, acknowledged=2, unreachable=1),
        waiting=waiting,
    )
    listed = paragraph_starting(text, "<b>Ще не ознайомилися (3):</b>")
    assert listed[1:] == [
        "📭 Гімназія № 3 — Андрій Коваль",
        "🚫 ЦНАП — Максим Бондар (нагадано)",
        "⏳ КП «Міськводоканал» — Олена Гнатюк",
    ]
    assert paragraphs(text)[-1][0].startswith("📭 доставлено, не ознайомилися")


def test_circular_list_keeps_each_circular_a_paragraph_of_two_lines() -> None:
    items = [
        SimpleNamespace(
            circular=SimpleNamespace(id=number),
            sent_at=KYIV_MORNING,
            title=title,
            counts=Counts(
                recipients=14, queued=queued, delivered=12, acknowledged=9, unreachable=1
            ),
        )
        for number, title, queued in ((8, "Нарада 12.03", 1), (7, "Роз'яснення НАЗК", 0))
    ]
    shown = paragraphs(render("circulars/list.html", items=items))
    assert len(shown) == 4  # the heading, two circulars, the footer
    for paragraph, number in zip(shown[1:3], (8, 7), strict=True):
        assert len(paragraph) == 2 and str(number) in paragraph[0]
        assert paragraph[1].startswith("доставлено 12 з 14")
    assert shown[1][1].endswith("у черзі — 1")
    assert shown[-1][0].startswith("Кнопка з номером")


def _measure(number: str, text: str, position: int) -> Measure:
    return Measure(position, 1, "1", "Організаційні заходи", number, text, position=position)


def test_review_card_puts_the_status_attachments_and_indicators_on_their_own_lines() -> None:
    measures = [
        _measure("1.1", "Актуалізувати перелік уповноважених осіб", 1),
        _measure("1.2", "Провести навчання працівників", 2),
        _measure("1.3", "Оприлюднити звіт на сайті", 3),
    ]
    answers = {
        1: Answer(1, MeasureStatus.DONE, "Перелік оновлено 10.03.2026"),
        3: Answer(3, MeasureStatus.NOT_APPLICABLE),
    }
    text = render(
        "review/report.html",
        report=Report(1, 1, 1, ReportState.SUBMITTED, version=2, late=True),
        enterprise=GYMNASIUM,
        period=Q1,
        submitted_at=KYIV_MORNING,
        measures=measures,
        answers=answers,
        attachments={1: ["наказ.pdf", "photo-AgADx7wx.jpg"]},
        indicators=[
            IndicatorDef("consultations", "Надано консультацій"),
            IndicatorDef("trained", "Навчено працівників", "осіб"),
        ],
        values={"consultations": 12},
    )
    shown = paragraphs(text)
    assert len(shown) == 5  # the heading, three measures, the indicators
    first, second, third, numbers = shown[1:]
    assert first[0].startswith("<b>1.1.</b>") and "Перелік оновлено 10.03.2026" in first[1]
    assert first[2] == "📎 наказ.pdf, фото"  # a photo has no name of its own
    assert len(first) == 3
    assert second[0].startswith("<b>1.2.</b>") and second[1].startswith("⬜") and len(second) == 2
    assert third[0].startswith("<b>1.3.</b>") and third[1].startswith("➖") and len(third) == 2
    assert numbers[1:] == ["Надано консультацій: 12", "Навчено працівників: —"]


def test_indicator_screen_keeps_a_blank_line_under_the_label() -> None:
    text = render(
        "questionnaire/indicator.html",
        index=2,
        total=3,
        indicator=IndicatorDef(
            "consultations", "Надано консультацій з питань доброчесності", "од."
        ),
        value=12,
        skipped=False,
    )
    shown = paragraphs(text)
    assert shown[1] == ["Надано консультацій з питань доброчесності (од.)"]
    assert len(shown) == 3 and shown[2][0] == "Збережено: <b>12</b>"


def test_narrative_prompt_shows_the_saved_text_as_its_own_paragraph() -> None:
    text = render(
        "questionnaire/narrative.html",
        index=4,
        total=13,
        measure=_measure("2.1", "Провести навчання працівників", 4),
        answer=Answer(4, MeasureStatus.DONE, "Проведено нараду 12.03.2026, присутні 14 осіб"),
        limit=3000,
    )
    shown = paragraphs(text)
    assert shown[-1] == ["<i>Зараз збережено:</i> Проведено нараду 12.03.2026, присутні 14 осіб"]
    instructions = shown[-2]
    assert instructions[0].startswith("Напишіть одним повідомленням")
    assert len(instructions) == 2 and "файл чи фото" in instructions[1]


def test_round_draft_keeps_the_instruction_apart_from_a_day_off_deadline() -> None:
    text = render(
        "rounds/draft.html",
        period=Q1,
        plan=Plan(1, "План заходів щодо запобігання корупції", 2026, 2027, version=3),
        measures=13,
        enterprises=14,
        bound=12,
        deadline=date(2026, 4, 11),
        working=False,
    )
    shown = paragraphs(text)
    assert len(shown) == 3
    assert shown[1][-1].endswith("— <i>це вихідний день</i>")
    assert shown[2][0].startswith("Оберіть період і строк кнопками")


@pytest.mark.parametrize("state", [RoundState.OPEN, RoundState.CLOSED])
def test_status_page_keeps_a_blank_line_under_the_heading_and_one_row_per_line(
    state: RoundState,
) -> None:
    round_ = Round(
        1,
        1,
        PeriodKind.QUARTER,
        1,
        2026,
        date(2026, 3, 31),
        date(2026, 4, 10),
        state,
        datetime(2026, 3, 2, 8, tzinfo=UTC),
    )
    rows = [
        SimpleNamespace(number=1, mark="✅", name="Гімназія № 3"),
        SimpleNamespace(number=2, mark="⬜", name="ЦНАП"),
        SimpleNamespace(number=3, mark="📨⏰", name="КП «Міськводоканал»"),
    ]
    progress = RoundProgress(
        total=3, not_started=1, draft=0, submitted=1, returned=0, accepted=1, late=1
    )
    text = render(
        "status/page.html",
        round=round_,
        period=Q1,
        days_left=-2,
        progress=progress,
        rows=rows,
        page=0,
        pages=1,
    )
    shown = paragraphs(text)
    assert len(shown[0]) == 1 and shown[0][0].startswith("<b>")
    assert shown[1][0].startswith("Строк подання:")
    listed = shown[2]
    assert listed[1:] == ["1. ✅ Гімназія № 3", "2. ⬜ ЦНАП", "3. 📨⏰ КП «Міськводоканал»"]
    assert shown[-1][0].startswith("<i>")

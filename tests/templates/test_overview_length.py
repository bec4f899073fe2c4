from datetime import UTC, date, datetime

import pytest

from core.models import (
    Answer,
    Enterprise,
    EnterpriseKind,
    IndicatorDef,
    Measure,
    MeasureStatus,
    PeriodKind,
    Person,
    Report,
    ReportState,
    Round,
    RoundState,
)
from core.questionnaire import ReportContext
from emulator.html_entities import parse_html
from ui.questionnaire import overview

LONG = "Забезпечити проведення щоквартальних нарад щодо стану виконання заходів плану " * 4


def session(measures: int, comment: str) -> ReportContext:
    items = [
        Measure(i, 1, str(i // 10 + 1), "Розділ", f"{i // 10 + 1}.{i % 10 + 1}", LONG)
        for i in range(measures)
    ]
    answers = {
        m.id: Answer(m.id, MeasureStatus.DONE, "" if m.id % 3 else "Зроблено") for m in items[::2]
    }
    opened = datetime(2026, 3, 2, 8, tzinfo=UTC)
    return ReportContext(
        person=Person(1, 1, "Олена Петрівна Гнатюк", telegram_id=5001),
        report=Report(1, 1, 1, ReportState.RETURNED, version=1, review_comment=comment),
        round=Round(
            1,
            1,
            PeriodKind.QUARTER,
            1,
            2026,
            date(2026, 3, 31),
            date(2026, 3, 25),
            RoundState.OPEN,
            opened,
        ),  # fmt: skip
        enterprise=Enterprise(
            1, "44102318", "КП «Міськводоканал»", "КП «Міськводоканал»", EnterpriseKind.MUNICIPAL
        ),  # fmt: skip
        measures=items,
        answers=answers,
        indicators=tuple(IndicatorDef(f"c{i}", "Показник") for i in range(14)),
        values={},
        previous={},
    )


@pytest.mark.parametrize("measures", [10, 45, 60, 120])
def test_the_overview_fits_one_message_for_any_plan_size(measures: int) -> None:
    text, markup = overview(session(measures, "Виправте, будь ласка, " * 70), window=999_999)
    plain, _ = parse_html(text)  # valid HTML, as Telegram would parse it
    assert len(text) <= 4096 and len(plain) <= 4096
    assert sum(len(row) for row in markup.inline_keyboard) <= 100

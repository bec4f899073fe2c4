"""The preview of a report document fits one Telegram message whatever the document holds."""

from __future__ import annotations

from datetime import UTC, date, datetime

from core.models import (
    Enterprise,
    EnterpriseKind,
    Measure,
    PeriodKind,
    Report,
    ReportState,
    Round,
    RoundState,
)
from core.report_import import ImportedRow, match_rows
from handlers.report_import import preview_text
from storage.report_imports import PendingImport, Prepared

ROUND = Round(1, 1, PeriodKind.QUARTER, 1, 2026, date(2026, 3, 31), date(2026, 3, 25),
              RoundState.OPEN, datetime(2026, 3, 2, tzinfo=UTC))  # fmt: skip
LYCEUM = Enterprise(4, "44105649", "Ліцей № 7 <Вербівської> міської ради", "Ліцей № 7 & Ко",
                    EnterpriseKind.EDUCATION)  # fmt: skip


def prepared(measures: int, rows: list[ImportedRow]) -> Prepared:
    plan = [
        Measure(n, 1, "1", "Розділ", f"1.{n}", f"Захід номер {n} " + "<довгий> текст " * 20)
        for n in range(1, measures + 1)
    ]
    pending = PendingImport(1, "<звіт>.docx", "F", 10, "", 1, 4, tuple(rows))
    report = Report(7, 1, 4, ReportState.SUBMITTED, version=1)
    return Prepared(pending, ROUND, LYCEUM, report, match_rows(rows, plan))


def test_sixty_measures_and_as_many_stray_rows_fit_in_one_message_escaped() -> None:
    rows = [ImportedRow(f"1.{n}", f"Захід номер {n}", "Не проведено <через> & " * 30)
            for n in range(1, 41)]  # fmt: skip
    rows += [ImportedRow("", f"Інша справа № {n} " + "<&>" * 40, "Так") for n in range(60)]
    text = preview_text(prepared(60, rows), guessed=True)
    assert len(text) <= 4096
    assert "Відповіді знайдено для 40 з 60 заходів" in text
    assert "Рядки, яких немає в плані (60)" in text and "… і ще" in text
    assert "&lt;звіт&gt;.docx" in text and "Ліцей № 7 &amp; Ко" in text
    assert "збереження створить версію 2" in text

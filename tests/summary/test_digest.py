"""The coordinator's chat digest: Telegram HTML with the numbers that matter."""

from __future__ import annotations

import re
from dataclasses import replace

from core.models import Enterprise
from core.summary import Summary, build_summary
from reports.consolidated_text import measure_texts
from reports.summary_digest import render_digest
from tests.summary.fixtures import (
    GENERATED_AT,
    INDICATORS,
    MEASURES,
    PERSONS,
    PLAN,
    Q1,
    VODOKANAL,
    D,
    Said,
    make_report,
    q1_summary,
)

ALLOWED = {"b", "i", "u", "s", "code", "pre", "a", "blockquote"}


def digest(summary: Summary) -> str:
    return render_digest(summary, measure_texts(summary))


def test_digest_gives_submission_facts_status_totals_sections_and_indicators() -> None:
    text = digest(q1_summary())

    assert "<b>Зведений звіт за I квартал 2026 року</b>" in text
    assert "Подали 2 з 5: вчасно — 1, із запізненням — 1." in text
    assert "Не подали (3): КНП «Міська лікарня № 2», ЦНАП, ЗДО № 12 «Сонечко»." in text
    # 4 measures over their applicable enterprises: 5 + 2 + 5 + 5 = 17 answers expected.
    assert "Виконано — 5, виконується — 1, не застосовується — 1, не подали — 10 (усього 17)." in (
        text
    )
    assert "Повністю виконано 0 з 4 заходів, за розділами:" in text
    assert "• 1. Організаційні заходи — 0 з 2" in text
    assert "• Надано консультацій — 7\u00a0од. (надали дані: 2 з 5)" in text
    assert "• Проведено навчань — 3\u00a0заходи (надали дані: 2 з 5)" in text
    assert "• 2.1 — 20\u00a0%, не подали: 3" in text


def test_digest_stays_bounded_at_two_hundred_organisations() -> None:
    many = [replace(VODOKANAL, id=100 + i, short_name=f"Ліцей № {i}") for i in range(200)]
    summary = build_summary(
        period=Q1,
        plan=PLAN,
        measures=MEASURES,
        enterprises=many,
        reports=[],
        indicators=INDICATORS,
        generated_at=GENERATED_AT,
    )
    text = digest(summary)

    assert "Не подали (200): Ліцей № 0, Ліцей № 1," in text and "та ще 190." in text
    assert len(text) < 4096


def test_digest_uses_only_tags_telegram_allows() -> None:
    tags = set(re.findall(r"</?([a-z]+)", digest(q1_summary())))

    assert tags <= ALLOWED


def test_names_with_markup_are_escaped_in_the_digest() -> None:
    sly = Enterprise(9, "00000000", "<script>", "<i>Хитрий</i> & Co", VODOKANAL.kind)
    summary = build_summary(
        period=Q1,
        plan=replace(PLAN, title="План <b>"),
        measures=MEASURES,
        enterprises=[sly, VODOKANAL],
        reports=[make_report(VODOKANAL, Q1, {PERSONS: Said(D, "x")})],
        indicators=INDICATORS,
        generated_at=GENERATED_AT,
    )
    text = digest(summary)

    assert "&lt;i&gt;Хитрий&lt;/i&gt; &amp; Co" in text
    assert "План &lt;b&gt;" in text
    assert set(re.findall(r"</?([a-z]+)", text)) <= ALLOWED

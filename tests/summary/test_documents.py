"""The annex and the covering letter, and the requisites every document carries."""

from __future__ import annotations

import io
from dataclasses import replace

import docx
from docx.document import Document

from core.summary import PROPOSAL_SLOT, Summary, TextEdit, build_summary, measure_slot
from reports.annex_docx import render_annex_docx
from reports.consolidated_text import measure_texts
from reports.letter_docx import letter_paragraphs, render_letter_docx
from reports.requisites import Requisites
from reports.summary_job import render_summary_files
from tests.summary.fixtures import (
    ENTERPRISES,
    GENERATED_AT,
    INDICATORS,
    MEASURES,
    PERSONS,
    PLAN,
    Q1,
    VODOKANAL,
    YEAR,
    D,
    Said,
    make_report,
    q1_summary,
)

REQUISITES = Requisites("Начальник відділу", "Олена КОВАЛЬ", "Міському голові", "Петро ІВАНЕНКО")


def _doc(data: bytes) -> Document:
    return docx.Document(io.BytesIO(data))


def _texts(document: Document) -> list[str]:
    return [p.text for p in document.paragraphs]


def _all_text(document: Document) -> str:
    cells = [cell.text for table in document.tables for cell in table._cells]
    return "\n".join(_texts(document) + cells)


def test_the_annex_holds_each_organisations_answer_under_its_measure() -> None:
    texts = _texts(_doc(render_annex_docx(q1_summary(), REQUISITES)))

    start = texts.index("1.1. Переглянути перелік уповноважених осіб і повідомити колектив")
    assert texts[start + 1] == "Виконано — 2, не подали — 3 (усього 5)."
    assert texts[start + 2] == (
        "КП «Міськводоканал»: Наказ від 15.01.2026 № 12 «Про уповноважену особу».\n"
        "Ознайомлено 48 працівників."
    )
    assert texts[start + 3] == "Ліцей № 7: Перелік оновлено, розміщено на стенді."
    assert texts[start + 4].startswith("Не подали відповіді (3): КНП «Міська лікарня № 2»")
    assert "КП «Міськводоканал» (виконується): Навчання заплановано на травень." in texts


def test_the_annex_names_are_bold_and_one_measure_can_be_asked_for() -> None:
    document = _doc(render_annex_docx(q1_summary(), REQUISITES, [PERSONS.id]))
    texts = _texts(document)

    assert "1.1. Переглянути перелік уповноважених осіб і повідомити колектив" in texts
    assert not any(t.startswith("2.1.") for t in texts)
    [answer] = [p for p in document.paragraphs if p.text.startswith("Ліцей № 7:")]
    assert answer.runs[0].bold is True and not answer.runs[1].bold


def test_the_letter_is_addressed_and_its_counts_are_the_summarys() -> None:
    summary = q1_summary()
    document = _doc(render_letter_docx(summary, measure_texts(summary), REQUISITES))
    texts = _texts(document)
    submission = summary.submission

    assert texts[:2] == ["Міському голові", "Петро ІВАНЕНКО"]
    assert "Про виконання розпорядження від 12.01.2026 №\u00a098" in texts
    [opening] = [t for t in texts if t.startswith("На виконання розпорядження")]
    assert (
        f"Звіти подали {submission.submitted} з {submission.total} організацій: "
        f"вчасно — {len(submission.on_time)}, із запізненням — {len(submission.late)}; "
        f"не подали — {len(submission.missing)} (КНП «Міська лікарня № 2», ЦНАП, "
        "ЗДО № 12 «Сонечко»)."
    ) in opening
    assert any(
        t.startswith("За напрямом «Організаційні заходи» повністю виконано 0 з 2") for t in texts
    )
    totals = "надано консультацій — 7\u00a0од.; проведено навчань — 3\u00a0заходи"
    assert any(totals in t for t in texts)
    assert "Олена КОВАЛЬ" in _all_text(document)


def test_the_letters_direction_uses_the_coordinators_own_sentence() -> None:
    edit = TextEdit(measure_slot("1.1"), "Переліки оновлено всюди. Інше.", "", GENERATED_AT, 1)
    summary = replace(q1_summary(), edits={edit.slot: edit})

    [direction] = [p for p in letter_paragraphs(summary, measure_texts(summary)) if "1.1" in p]
    assert "Захід 1.1 — 40\u00a0%: Переліки оновлено всюди." in direction


def test_the_proposal_is_empty_but_at_the_plans_end_and_the_coordinator_may_write_it() -> None:
    summary = q1_summary()
    assert not any(
        "зняти з контролю" in p for p in letter_paragraphs(summary, measure_texts(summary))
    )

    year = build_summary(
        period=YEAR,
        plan=PLAN,
        measures=MEASURES,
        enterprises=ENTERPRISES,
        reports=[make_report(VODOKANAL, Q1, {PERSONS: Said(D, "Зроблено.")})],
        indicators=INDICATORS,
        generated_at=GENERATED_AT,
    )
    closing = letter_paragraphs(year, measure_texts(year))[-1]
    assert closing == (
        "Ураховуючи викладене, пропонуємо зняти з контролю розпорядження міського голови "
        "від 12.01.2026 №\u00a098."
    )
    own = TextEdit(PROPOSAL_SLOT, "Пропонуємо продовжити контроль.", "", GENERATED_AT, 1)
    edited = replace(year, edits={own.slot: own})
    assert (
        letter_paragraphs(edited, measure_texts(edited))[-1] == "Пропонуємо продовжити контроль."
    )


def test_every_document_carries_the_date_it_was_made_and_as_of() -> None:
    summary: Summary = q1_summary()  # made 28.04.2026 at 12:30 in Kyiv
    files = render_summary_files(summary, REQUISITES).by_name()

    for name in ("zvit_2026Q1.docx", "dodatok_2026Q1.docx"):
        texts = _texts(_doc(files[name]))
        assert "станом на 31.03.2026" in texts and texts[-1] == "28 квітня 2026 року", name
    letter = _texts(_doc(files["lyst_2026Q1.docx"]))
    assert "28.04.2026 №\u00a0______" in letter


def test_every_document_numbers_its_pages() -> None:
    files = render_summary_files(q1_summary(), REQUISITES).by_name()

    for name in ("zvit_2026Q1.docx", "dodatok_2026Q1.docx", "lyst_2026Q1.docx"):
        header = _doc(files[name]).sections[0].header._element.xml
        assert 'w:instr="PAGE"' in header, name


def test_the_letter_body_is_times_new_roman_14_and_the_tables_12() -> None:
    files = render_summary_files(q1_summary(), REQUISITES).by_name()

    assert _doc(files["lyst_2026Q1.docx"]).styles["Normal"].font.size.pt == 14
    assert _doc(files["zvit_2026Q1.docx"]).styles["Normal"].font.size.pt == 12
    assert _doc(files["lyst_2026Q1.docx"]).styles["Normal"].font.name == "Times New Roman"

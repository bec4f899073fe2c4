"""The signed DOCX report: shape, one text per measure, layout, requisites, user text as text."""

from __future__ import annotations

import io
from dataclasses import replace

import docx
import pytest
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.table import Table

from core.models import Enterprise
from core.periods import Period
from core.summary import Summary, TextEdit, build_summary, measure_slot
from reports.consolidated_text import measure_texts
from reports.requisites import Requisites
from reports.summary_docx import render_summary_docx
from tests.summary.fixtures import (
    ENTERPRISES,
    GENERATED_AT,
    INDICATORS,
    IP,
    LYCEUM,
    MEASURES,
    PERSONS,
    PLAN,
    Q1,
    Q2,
    TRAINING,
    VODOKANAL,
    YEAR,
    D,
    Said,
    make_report,
    q1_summary,
)

REQUISITES = Requisites(
    signer_position="Начальник відділу з питань запобігання\nта виявлення корупції",
    signer_name="Олена КОВАЛЬ",
)
HEADERS = ["№ з/п", "Найменування заходу", "Строк виконання", "Відповідальні", "Стан виконання"]


def _open(summary: Summary) -> Document:
    data = render_summary_docx(summary, measure_texts(summary), REQUISITES)
    return docx.Document(io.BytesIO(data))


def _main_table(document: Document) -> Table:
    return document.tables[0]


def _state_cell(document: Document, number: str) -> str:
    for row in _main_table(document).rows:
        cells = row.cells
        if cells[0].text == number and len(row._tr.tc_lst) == 5:
            return str(cells[4].text)
    raise AssertionError(f"no row for measure {number}")


def _texts(document: Document) -> list[str]:
    return [p.text for p in document.paragraphs]


def test_table_has_the_five_official_column_headers_repeated_on_every_page() -> None:
    table = _main_table(_open(q1_summary()))

    assert [c.text for c in table.rows[0].cells] == HEADERS
    tr_pr = table.rows[0]._tr.trPr
    assert tr_pr is not None
    assert tr_pr.find(qn("w:tblHeader")) is not None


def test_one_row_per_measure_and_section_rows_merged_across_the_table() -> None:
    rows = _main_table(_open(q1_summary())).rows[1:]

    shapes = [(len(r._tr.tc_lst), r.cells[0].text) for r in rows]
    assert shapes == [
        (1, "1. Організаційні заходи"),
        (5, "1.1"),
        (5, "1.2"),
        (1, "2. Навчальна та роз'яснювальна робота"),
        (5, "2.1"),
        (5, "2.2"),
    ]
    assert rows[0]._tr.tc_lst[0].grid_span == 5


def test_measure_row_carries_text_term_and_responsible() -> None:
    row = _main_table(_open(q1_summary())).rows[2]

    assert [c.text for c in row.cells[:4]] == [
        "1.1",
        "Переглянути перелік уповноважених осіб і повідомити колектив",
        "Щокварталу",
        "Керівники підприємств, установ, закладів",
    ]


def test_state_cell_is_one_consolidated_text_not_a_list_of_answers() -> None:
    text = _state_cell(_open(q1_summary()), "1.1")

    assert text.splitlines() == [
        "Виконано у 2 з 5 організацій (40\u00a0%), не подали — 3.",
        "– Наказ від 15.01.2026 № 12 «Про уповноважену особу» — КП «Міськводоканал»;",
        "– Ознайомлено 48 працівників — КП «Міськводоканал»;",
        "– Перелік оновлено, розміщено на стенді — Ліцей № 7.",
        "Стан виконання – 40\u00a0%.",
    ]


def test_an_edit_replaces_the_draft_of_its_measure_only() -> None:
    edit = TextEdit(measure_slot("1.2"), "Звіти оприлюднено.", "", GENERATED_AT, 1)
    document = _open(replace(q1_summary(), edits={edit.slot: edit}))

    assert _state_cell(document, "1.2") == "Звіти оприлюднено."
    assert _state_cell(document, "1.1").startswith("Виконано у 2 з 5")


def test_the_report_carries_as_of_the_annex_note_and_the_date_it_was_made() -> None:
    texts = _texts(_open(q1_summary()))

    assert texts[2] == "станом на 31.03.2026"
    assert "Відповіді кожної організації за кожним заходом наведено в додатку до звіту." in texts
    assert texts[-1] == "28 квітня 2026 року"  # GENERATED_AT, 12:30 in Kyiv


def test_title_names_the_plan_order_and_quarter() -> None:
    texts = _texts(_open(q1_summary()))

    assert texts[0] == "ЗВІТ"
    assert texts[1] == (
        "про виконання плану заходів щодо запобігання корупції в міській раді на 2026 рік, "
        "затвердженого розпорядженням міського голови від 12.01.2026 №\u00a098, "
        "за I квартал 2026 року"
    )


@pytest.mark.parametrize(
    ("period", "ending"),
    [(YEAR, "за 2026 рік"), (Period.half(2026, 1), "за I півріччя 2026 року")],
)
def test_title_of_a_rollup_names_the_year_or_half_year(period: Period, ending: str) -> None:
    summary = replace(q1_summary(), period=period)

    assert _texts(_open(summary))[1].endswith(ending)


def test_indicator_totals_paragraphs_list_each_total() -> None:
    texts = _texts(_open(q1_summary()))

    start = texts.index("Зведені показники за I квартал 2026 року:")
    assert texts[start + 1 : start + 4] == [
        "– надано консультацій — 7\u00a0од. (надали дані: 2 з 5);",
        "– проведено навчань — 3\u00a0заходи (надали дані: 2 з 5);",
        "– подано декларацій — 40 (надали дані: 1 з 5).",
    ]


def test_submission_facts_name_those_who_did_not_report() -> None:
    texts = _texts(_open(q1_summary()))

    assert (
        "Подали звіти вчасно — 1, із запізненням — 1, не подали — 3: "
        "КНП «Міська лікарня № 2», ЦНАП, ЗДО № 12 «Сонечко»."
    ) in texts


def test_signature_has_position_left_and_name_right() -> None:
    signature = _open(q1_summary()).tables[1]

    position, name = signature.rows[0].cells
    assert position.text == REQUISITES.signer_position
    assert name.text == "Олена КОВАЛЬ"
    assert name.paragraphs[0].alignment == 2  # WD_ALIGN_PARAGRAPH.RIGHT


def test_page_is_a4_landscape_with_dstu_margins() -> None:
    section = _open(q1_summary()).sections[0]

    assert section.orientation == WD_ORIENT.LANDSCAPE
    sizes = (
        section.page_width,
        section.page_height,
        section.left_margin,
        section.right_margin,
        section.top_margin,
        section.bottom_margin,
    )
    millimetres = [round((size or 0) / Mm(1), 1) for size in sizes]
    assert millimetres == [297.0, 210.0, 30.0, 10.0, 20.0, 20.0]


def test_default_font_is_times_new_roman_12() -> None:
    style = _open(q1_summary()).styles["Normal"]

    assert style.font.name == "Times New Roman"
    assert style.font.size.pt == 12


TRICKY = "{{ x }} {% if true %}так{% endif %} {{ 7*7 }} a & b < c > d \"лапки\" 'апостроф'"


def test_template_code_and_xml_specials_in_user_text_stay_literal() -> None:
    sly = Enterprise(
        9, "00000000", "{{ 7*7 }} & Co", "{% if 1 %}Хитрий{% endif %} & <Co>", VODOKANAL.kind
    )
    measure = replace(PERSONS, text="Захід {{ plan }} & <b>")
    summary = build_summary(
        period=Q1,
        plan=replace(PLAN, title="План {{ title }} & <x>"),
        measures=[measure],
        enterprises=[sly],
        reports=[make_report(sly, Q1, {measure: Said(D, TRICKY)})],
        indicators=[],
        generated_at=GENERATED_AT,
    )
    document = _open(summary)

    state = _state_cell(document, "1.1")
    assert "{% if 1 %}Хитрий{% endif %} & <Co>" in state and "{{ x }}" in state
    assert _main_table(document).rows[2].cells[1].text == "Захід {{ plan }} & <b>"
    assert "План {{ title }} & <x>" in _texts(document)[1]
    edit = TextEdit(measure_slot("1.1"), TRICKY, "", GENERATED_AT, 1)
    assert _state_cell(_open(replace(summary, edits={edit.slot: edit})), "1.1") == TRICKY


def test_control_characters_in_an_edit_do_not_break_the_document() -> None:
    edit = TextEdit(measure_slot("1.1"), "Рядок\x07 один\r\nрядок\x0c два", "", GENERATED_AT, 1)
    document = _open(replace(q1_summary(), edits={edit.slot: edit}))

    assert _state_cell(document, "1.1") == "Рядок один\nрядок два"


def test_rollup_prefixes_each_quarter_and_says_indicators_were_summed() -> None:
    reports = [
        make_report(
            VODOKANAL, Q1, {TRAINING: Said(IP, "Розпочато.")}, indicators={"trainings": 1}
        ),
        make_report(VODOKANAL, Q2, {TRAINING: Said(D, "Завершено.")}, indicators={"trainings": 2}),
        make_report(LYCEUM, Q2, {TRAINING: Said(D, "Семінар.")}),
    ]
    summary = build_summary(
        period=YEAR,
        plan=PLAN,
        measures=MEASURES,
        enterprises=ENTERPRISES,
        reports=reports,
        indicators=INDICATORS,
        generated_at=GENERATED_AT,
    )
    document = _open(summary)

    assert _state_cell(document, "2.1").startswith("Виконано у 2 з 5 організацій")
    texts = _texts(document)
    assert "Зведені показники за 2026 рік (підсумовано за квартали):" in texts
    assert "– проведено навчань — 3\u00a0заходи (надали дані: 1 з 5);" in texts
    assert any(t.startswith("I квартал: подали звіти вчасно — 1,") for t in texts)
    assert any(t.startswith("II квартал: подали звіти вчасно — 2,") for t in texts)


def test_no_indicators_means_no_indicator_paragraph() -> None:
    summary = replace(q1_summary(), indicators=())

    assert not any(t.startswith("Зведені показники") for t in _texts(_open(summary)))


def test_an_unfinished_measure_says_how_many_are_in_progress() -> None:
    text = _state_cell(_open(q1_summary()), "2.1")

    assert text.startswith(
        "Виконано у 1 з 5 організацій (20\u00a0%), виконується — 1, не подали — 3."
    )
    assert text.endswith("Стан виконання – 20\u00a0%.")


def test_a_three_level_plan_heads_its_subsections_under_each_section() -> None:
    """Plan import, fault 3: sections, then subsections, then measures, numbers as written."""
    measures = tuple(
        replace(
            m, number=f"1.{i}.1", subsection_number=f"1.{i}", subsection_title=f"Підрозділ {i}"
        )
        if m.section_number == "1."
        else m
        for i, m in enumerate(MEASURES, start=1)
    )
    summary = build_summary(
        period=Q1,
        plan=PLAN,
        measures=measures,
        enterprises=ENTERPRISES,
        reports=[],
        indicators=INDICATORS,
        generated_at=GENERATED_AT,
    )

    rows = _main_table(_open(summary)).rows[1:]

    assert [(len(r._tr.tc_lst), r.cells[0].text) for r in rows] == [
        (1, "1. Організаційні заходи"),
        (1, "1.1. Підрозділ 1"),
        (5, "1.1.1"),
        (1, "1.2. Підрозділ 2"),
        (5, "1.2.1"),
        (1, "2. Навчальна та роз'яснювальна робота"),
        (5, "2.1"),
        (5, "2.2"),
    ]

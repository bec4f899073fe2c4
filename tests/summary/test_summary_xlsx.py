"""The Excel workbook: matrix codes, indicator totals, raw answers, and text that stays text."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import datetime

import pytest
from openpyxl import Workbook, load_workbook

from core.models import Enterprise
from core.summary import Summary, build_summary
from reports.summary_xlsx import render_summary_xlsx
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


def _open(summary: Summary) -> Workbook:
    return load_workbook(io.BytesIO(render_summary_xlsx(summary)))


def test_workbook_has_the_three_sheets_with_frozen_headers_and_filters() -> None:
    book = _open(q1_summary())

    assert book.sheetnames == ["Матриця", "Показники", "Відповіді"]
    assert [book[n].freeze_panes for n in book.sheetnames] == ["C2", "D2", "A2"]
    assert [book[n].auto_filter.ref for n in book.sheetnames] == ["A1:G5", "A1:H4", "A1:I8"]


def test_matrix_shows_a_status_code_per_enterprise_and_blank_where_not_applicable() -> None:
    sheet = _open(q1_summary())["Матриця"]
    rows = list(sheet.iter_rows(min_row=1, max_row=5, values_only=True))

    assert rows[0] == (
        "№ з/п",
        "Захід",
        "КП «Міськводоканал»",
        "Ліцей № 7",
        "КНП «Міська лікарня № 2»",
        "ЦНАП",
        "ЗДО № 12 «Сонечко»",
    )
    assert rows[1][0] == "1.1"
    assert rows[1][2:] == ("В", "В", "—", "—", "—")
    assert rows[2][2:] == ("В", None, "—", None, None)  # procurement: utility and hospital only
    assert rows[3][2:] == ("ВК", "В", "—", "—", "—")
    assert rows[4][2:] == ("В", "НЗ", "—", "—", "—")


def test_matrix_colours_each_code_and_explains_it_in_a_legend() -> None:
    sheet = _open(q1_summary())["Матриця"]

    rules = [
        (str(rng.sqref), rule.formula[0])
        for rng in sheet.conditional_formatting
        for rule in rng.rules
    ]
    assert {formula for _, formula in rules} == {'"В"', '"ВК"', '"Н"', '"НЗ"', '"—"'}
    assert {area for area, _ in rules} == {"C2:G5"}
    legend = [(sheet.cell(r, 1).value, sheet.cell(r, 2).value) for r in range(8, 13)]
    assert legend == [
        ("В", "Виконано"),
        ("ВК", "Виконується"),
        ("Н", "Не виконано"),
        ("НЗ", "Не застосовується"),
        ("—", "Не подано"),
    ]


def test_indicator_sheet_has_totals_and_per_enterprise_values() -> None:
    sheet = _open(q1_summary())["Показники"]
    rows = list(sheet.iter_rows(values_only=True))

    assert rows[0][:4] == ("Показник", "Од. виміру", "Усього", "КП «Міськводоканал»")
    assert rows[1] == ("Надано консультацій", "од.", 7, 5, 2, None, None, None)
    assert rows[3][:5] == ("Подано декларацій", None, 40, 40, None)


def test_answer_sheet_lists_each_answer_with_local_submission_time() -> None:
    sheet = _open(q1_summary())["Відповіді"]
    rows = list(sheet.iter_rows(values_only=True))

    assert rows[0] == (
        "Організація",
        "ЄДРПОУ",
        "Період",
        "№ заходу",
        "Захід",
        "Стан виконання",
        "Опис виконання",
        "Подано",
        "Версія",
    )
    assert len(rows) == 1 + 7
    first = rows[1]
    assert first[:4] == (
        "Комунальне підприємство «Міськводоканал»",
        VODOKANAL.edrpou,
        "I квартал 2026 року",
        "1.1",
    )
    assert first[5] == "Виконано"
    # Submitted 31.03.2026 00:00 UTC is 03:00 in Kyiv (summer time since 29 March).
    assert first[7] == datetime(2026, 3, 31, 3, 0)
    assert first[8] == 1


def test_edrpou_with_a_leading_zero_stays_text() -> None:
    sheet = _open(q1_summary())["Відповіді"]

    assert sheet["B2"].value == "03351237"
    assert sheet["B2"].data_type == "s"


@pytest.mark.parametrize(
    "sly", ['=HYPERLINK("http://x","клік")', "+1+2", "-3", "@SUM(A1)", "=1+1"]
)
def test_text_starting_like_a_formula_stays_a_string(sly: str) -> None:
    enterprise = Enterprise(9, "00000000", sly, sly, VODOKANAL.kind)
    summary = build_summary(
        period=Q1,
        plan=PLAN,
        measures=[replace(PERSONS, text=sly)],
        enterprises=[enterprise],
        reports=[make_report(enterprise, Q1, {PERSONS: Said(D, sly)})],
        indicators=INDICATORS,
        generated_at=GENERATED_AT,
    )
    book = _open(summary)

    answers = book["Відповіді"]
    for cell in (answers["A2"], answers["E2"], answers["G2"]):
        assert (cell.value, cell.data_type) == (sly, "s")
    matrix = book["Матриця"]
    for cell in (matrix["B2"], matrix["C1"]):
        assert (cell.value, cell.data_type) == (sly, "s")


def test_characters_excel_forbids_are_dropped_not_fatal() -> None:
    summary = q1_summary([make_report(VODOKANAL, Q1, {PERSONS: Said(D, "Так\x07 і\x00 ні")})])

    assert _open(summary)["Відповіді"]["G2"].value == "Так і ні"


def test_rollup_total_column_says_it_is_summed_over_quarters() -> None:
    summary = replace(q1_summary(), indicators_summed_over_quarters=True)

    assert _open(summary)["Показники"]["C1"].value == "Усього (сума за квартали)"


def test_empty_registry_still_gives_a_valid_workbook() -> None:
    summary = build_summary(
        period=Q1,
        plan=PLAN,
        measures=MEASURES,
        enterprises=[],
        reports=[],
        indicators=INDICATORS,
        generated_at=GENERATED_AT,
    )

    assert _open(summary).sheetnames == ["Матриця", "Показники", "Відповіді"]


def test_widths_heights_and_styles_survive_the_write_only_workbook() -> None:
    """Written row by row (openpyxl's write-only mode): the look is set before the rows."""
    book = _open(q1_summary())
    matrix, indicators, answers = (book[n] for n in book.sheetnames)

    assert [matrix.column_dimensions[c].width for c in "ABCG"] == [9, 60, 5.5, 5.5]
    assert [indicators.column_dimensions[c].width for c in "ABCDH"] == [45, 12, 14, 8, 8]
    widths = [answers.column_dimensions[c].width for c in "ABCDEFGHI"]
    assert widths == [35, 11, 18, 9, 45, 17, 70, 17, 8]
    assert matrix.row_dimensions[1].height == indicators.row_dimensions[1].height == 150
    header = matrix["C1"]
    assert header.font.b and header.fill.fgColor.rgb == "00D9E1F2"
    assert header.alignment.text_rotation == 90 and matrix["B1"].alignment.text_rotation == 0
    assert matrix["C2"].border.left.style == "thin" and matrix["B2"].alignment.wrap_text
    assert matrix["D3"].value is None and matrix["D3"].border.left.style == "thin"
    assert matrix["A8"].fill.fgColor.rgb == "00C6EFCE" and matrix["B7"].font.b
    assert indicators["C2"].font.b
    assert answers["H2"].number_format == "DD.MM.YYYY HH:MM"
    assert answers["G2"].alignment.wrap_text and answers["B2"].alignment.vertical == "top"

"""Reading the editable list of numeric indicators asked in every report."""

from __future__ import annotations

import pytest

from core.models import IndicatorDef
from demo.plan_documents import csv_bytes, xlsx_bytes
from reports.indicator_reader import INVALID_SHEET, default_indicators, read_indicators
from reports.tabular import DocumentError, DocumentProblem


def test_default_list_covers_the_consolidated_report_totals() -> None:
    assert default_indicators() == (
        IndicatorDef(
            "consultations", "Надано консультацій з питань запобігання корупції", "од.", 1
        ),
        IndicatorDef("decl_annual", "Подано щорічних декларацій", "од.", 2),
        IndicatorDef("decl_before_dismissal", "Подано декларацій перед звільненням", "од.", 3),
        IndicatorDef("decl_after_dismissal", "Подано декларацій після звільнення", "од.", 4),
        IndicatorDef("decl_candidate", "Подано декларацій кандидатів на посади", "од.", 5),
        IndicatorDef("nazk_nonsubmission", "Повідомлено НАЗК про неподання декларацій", "од.", 6),
        IndicatorDef("trainings_held", "Проведено навчань і семінарів", "од.", 7),
        IndicatorDef("trainings_attended", "Працівників, які пройшли навчання", "осіб", 8),
        IndicatorDef("whistleblower_reports", "Отримано повідомлень викривачів", "од.", 9),
        IndicatorDef("coi_identified", "Виявлено конфліктів інтересів", "од.", 10),
        IndicatorDef("coi_settled", "Врегульовано конфліктів інтересів", "од.", 11),
        IndicatorDef("internal_investigations", "Проведено службових розслідувань", "од.", 12),
        IndicatorDef("acts_vetted", "Завізовано проєктів актів", "од.", 13),
        IndicatorDef("persons_liable", "Притягнуто осіб до відповідальності", "осіб", 14),
    )


def test_xlsx_sheet_with_ukrainian_header_in_any_column_order() -> None:
    data = xlsx_bytes(
        [
            ["Назва показника", "Код", "Одиниця виміру"],
            ["Проведено перевірок  закладів", "inspections", "од."],
            ["Опрацьовано звернень", "appeals_2026", ""],
        ]
    )

    assert read_indicators("показники.xlsx", data) == (
        IndicatorDef("inspections", "Проведено перевірок закладів", "од.", 1),
        IndicatorDef("appeals_2026", "Опрацьовано звернень", "", 2),
    )


def test_csv_without_header_is_read_as_code_label_unit() -> None:
    data = csv_bytes(
        [["consultations", "Надано консультацій", "од."], ["seminars", "Семінари", "од."]],
        delimiter=";",
        encoding="cp1251",
    )

    assert read_indicators("indicators.csv", data) == (
        IndicatorDef("consultations", "Надано консультацій", "од.", 1),
        IndicatorDef("seminars", "Семінари", "од.", 2),
    )


def test_bad_codes_duplicates_and_empty_labels_are_listed_by_row() -> None:
    data = csv_bytes(
        [
            ["code", "label", "unit"],
            ["consultations", "Надано консультацій", "од."],
            ["Trainings", "Навчання", "од."],
            ["consultations", "Ще раз консультації", "од."],
            ["persons_liable", "", "осіб"],
        ],
        encoding="utf-8",
    )

    with pytest.raises(DocumentError) as caught:
        read_indicators("indicators.csv", data)

    assert caught.value.problem is INVALID_SHEET
    assert caught.value.detail == (
        "Рядок 3: код «Trainings» має складатися з малих латинських літер, цифр і «_».\n"
        "Рядок 4: код «consultations» уже є вище, коди мають бути різними.\n"
        "Рядок 5: немає назви показника."
    )


def test_header_only_sheet_is_empty() -> None:
    with pytest.raises(DocumentError) as caught:
        read_indicators("indicators.xlsx", xlsx_bytes([["code", "label", "unit"]]))

    assert caught.value.problem is DocumentProblem.EMPTY_TABLE


def test_word_file_is_refused_as_unsupported() -> None:
    with pytest.raises(DocumentError) as caught:
        read_indicators("indicators.docx", b"PK")

    assert caught.value.problem is DocumentProblem.UNSUPPORTED_EXTENSION

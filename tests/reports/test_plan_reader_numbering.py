"""Numbers as people type them in plans, split off the text and made comparable."""

from __future__ import annotations

import pytest

from core.numbering import (
    Number,
    parse_heading_number,
    parse_number,
    split_leading_number,
    split_section_heading,
)


@pytest.mark.parametrize(
    ("raw", "number"),
    [
        ("1", (1,)),
        ("1.", (1,)),
        ("1.1", (1, 1)),
        ("1.1.", (1, 1)),
        ("2.10", (2, 10)),
        (" 3) ", (3,)),
        ("", None),
        ("І", None),
        ("1 2", None),
    ],
)
def test_measure_numbers_in_every_spelling(raw: str, number: Number | None) -> None:
    assert parse_number(raw) == number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3. Провести навчання", ((3,), "Провести навчання")),
        ("3) Провести навчання", ((3,), "Провести навчання")),
        ("3.Провести навчання", ((3,), "Провести навчання")),
        ("2.1. Провести навчання", ((2, 1), "Провести навчання")),
        ("2.1 Провести навчання", ((2, 1), "Провести навчання")),
        ("1 раз на квартал звітувати", (None, "1 раз на квартал звітувати")),
        ("12.08.2026 провести нараду", (None, "12.08.2026 провести нараду")),
        (
            "2026 рік оголосити роком доброчесності",
            (None, "2026 рік оголосити роком доброчесності"),
        ),
        ("5.", (None, "5.")),
    ],
)
def test_number_leading_a_measure_text_is_split_off(
    text: str, expected: tuple[Number | None, str]
) -> None:
    assert split_leading_number(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2. Проведення навчальної роботи", ((2,), "Проведення навчальної роботи")),
        ("Розділ 3. Звітність", ((3,), "Звітність")),
        ("РОЗДІЛ ІV: Контроль", ((4,), "Контроль")),
        ("ІІ. Взаємодія з громадськістю", ((2,), "Взаємодія з громадськістю")),
        ("Напрям 5 – Закупівлі", ((5,), "Закупівлі")),
        ("Розділ інформаційної роботи", (None, "Розділ інформаційної роботи")),
        ("Навчання", (None, "Навчання")),
    ],
)
def test_section_headings_give_number_and_title(
    text: str, expected: tuple[Number | None, str]
) -> None:
    assert split_section_heading(text) == expected


@pytest.mark.parametrize(
    ("raw", "number"), [("2.", (2,)), ("ІІ.", (2,)), ("IX", (9,)), ("ХІ", (11,)), ("-", None)]
)
def test_section_number_alone_in_its_cell(raw: str, number: Number | None) -> None:
    assert parse_heading_number(raw) == number

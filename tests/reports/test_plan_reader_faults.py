"""Plans in the layouts where the import used to differ from the approved document.

Each plan here is invented, in a layout councils use: the numbers the coordinator cites are the
document's own, and every row the reader joins or leaves out is named in the preview.
"""

from __future__ import annotations

from core.plans import plan_years
from demo.plan_documents import APPROVAL, SIGNATURE, TITLE, Table, docx_bytes, xlsx_bytes
from reports.plan_reader import read_plan
from templates import render

DEFAULT_TITLE = "План заходів"
HEADER = ["№ з/п", "Найменування заходу", "Строк виконання", "Відповідальні"]


def numbers(draft: object) -> list[tuple[str, list[str]]]:
    return [
        (section.number, [m.number for m in section.measures])
        for section in draft.sections  # type: ignore[attr-defined]
    ]


def test_a_direction_with_one_unnumbered_measure_numbers_it_one() -> None:
    """Plan import, fault 1: the № column numbers directions, merged down their rows, so a
    direction's only measure is its first (2.1), not the direction's number again (2.2)."""
    table = Table(
        rows=[
            ["№", "Напрям", "Захід", "Строк", "Відповідальні"],
            [
                "1",
                "Кадрова робота",
                "Ознайомити нових працівників з обмеженнями",
                "Постійно",
                "Кадри",
            ],
            ["", "", "Оновити пам'ятку про конфлікт інтересів", "І квартал", "Юридичний відділ"],
            [
                "2",
                "Закупівлі",
                "Перевіряти учасників закупівель на пов'язаність",
                "Постійно",
                "Тендерний комітет",
            ],
            [
                "3",
                "Звітність",
                "Подати звіт уповноваженої особи",
                "Щокварталу",
                "Уповноважені особи",
            ],
            ["", "", "Оприлюднити звіт на сайті", "Щокварталу", "Відділ інформації"],
        ],
        merges=[((1, 0), (2, 0)), ((1, 1), (2, 1)), ((4, 0), (5, 0)), ((4, 1), (5, 1))],
    )

    draft = read_plan("plan.docx", docx_bytes(table), default_title=DEFAULT_TITLE)

    assert numbers(draft) == [("1", ["1.1", "1.2"]), ("2", ["2.1"]), ("3", ["3.1", "3.2"])]


def test_numbers_running_straight_through_the_sections_are_kept() -> None:
    """Plan import, fault 2: a plan numbered 1–9 across its sections keeps «п. 9» as 9."""
    rows = [HEADER]
    merges = []
    number = 0
    for section, count in ((1, 3), (2, 2), (3, 2), (4, 2)):
        merges.append(((len(rows), 0), (len(rows), 3)))
        rows.append([f"Розділ {section}. Напрям {section}", "", "", ""])
        for _ in range(count):
            number += 1
            rows.append([f"{number}.", f"Захід номер {number} плану", "Постійно", "Відділ"])

    draft = read_plan("plan.docx", docx_bytes(Table(rows, merges)), default_title=DEFAULT_TITLE)

    assert numbers(draft) == [
        ("1", ["1", "2", "3"]),
        ("2", ["4", "5"]),
        ("3", ["6", "7"]),
        ("4", ["8", "9"]),
    ]
    assert draft.generated == ()


def test_three_levels_keep_sections_subsections_and_numbers() -> None:
    """Plan import, fault 3: 1 → 1.1 → 1.1.1 keeps the top sections, the subsections under
    them, and every number exactly as written."""
    rows = [
        HEADER,
        ["1. Організаційні заходи", "", "", ""],
        ["1.1. Кадрова робота", "", "", ""],
        ["1.1.1.", "Ознайомити нових працівників з обмеженнями", "Постійно", "Кадри"],
        ["1.1.2.", "Перевірити близьких осіб у підпорядкуванні", "ІІ квартал", "Кадри"],
        ["1.2. Навчання", "", "", ""],
        ["1.2.1.", "Провести навчання уповноважених осіб", "ІІІ квартал", "Відділ"],
        ["2. Прозорість", "", "", ""],
        ["2.1.", "Оприлюднювати звіти про закупівлі", "Щокварталу", "Тендерний комітет"],
    ]
    merges = [((r, 0), (r, 3)) for r in (1, 2, 5, 7)]

    draft = read_plan("plan.docx", docx_bytes(Table(rows, merges)), default_title=DEFAULT_TITLE)

    assert numbers(draft) == [("1", ["1.1.1", "1.1.2", "1.2.1"]), ("2", ["2.1"])]
    first, second = draft.sections
    assert first.title == "Організаційні заходи" and second.title == "Прозорість"
    assert [(m.subsection_number, m.subsection_title) for m in first.measures] == [
        ("1.1", "Кадрова робота"),
        ("1.1", "Кадрова робота"),
        ("1.2", "Навчання"),
    ]
    assert [m.subsection_number for m in second.measures] == [""]


def test_rows_split_by_a_pdf_conversion_join_the_measure_they_continue() -> None:
    """Plan import, fault 4: an unnumbered row that continues the previous measure's sentence
    is part of it, and each join is listed in the preview."""
    rows = [
        HEADER,
        ["1.", "Провести навчання працівників щодо", "І квартал", "Відділ"],
        ["", "заповнення електронних декларацій", "", ""],
        ["2.", "Оновити пам'ятку про конфлікт", "ІІ квартал", "Юридичний"],
        ["", "інтересів для керівників закладів.", "", "відділ"],
        ["3.", "Перевіряти учасників закупівель.", "Постійно", "Тендерний комітет"],
        ["4.", "Оприлюднити звіт", "Щокварталу", "Відділ"],
        ["", "На сайті міської ради", "", ""],
    ]

    draft = read_plan("plan.docx", docx_bytes(Table(rows)), default_title=DEFAULT_TITLE)

    measures = [m for section in draft.sections for m in section.measures]
    assert [(m.number, m.text) for m in measures] == [
        ("1", "Провести навчання працівників щодо заповнення електронних декларацій"),
        ("2", "Оновити пам'ятку про конфлікт інтересів для керівників закладів."),
        ("3", "Перевіряти учасників закупівель."),
        ("4", "Оприлюднити звіт На сайті міської ради"),
    ]
    assert measures[1].responsible == "Юридичний відділ"
    joined = [w for w in draft.warnings if "приєднано" in w]
    assert len(joined) == 3 and all(any(n in w for w in joined) for n in ("1", "2", "4"))


def test_a_signature_under_an_xlsx_table_is_not_a_measure() -> None:
    """Plan import, fault 5: text after the table is left out, and listed as left out."""
    rows = [
        HEADER,
        ["1", "Актуалізувати перелік уповноважених осіб", "Щокварталу", "Відділ"],
        ["2", "Провести навчання з етичної поведінки", "ІІ квартал", "Кадри"],
        ["", "", "", ""],
        ["Начальник відділу з питань запобігання корупції", "", "", ""],
        ["", "Олена ТКАЧЕНКО", "", ""],
    ]

    draft = read_plan("plan.xlsx", xlsx_bytes(rows), default_title=DEFAULT_TITLE)

    assert [m.text for s in draft.sections for m in s.measures] == [
        "Актуалізувати перелік уповноважених осіб",
        "Провести навчання з етичної поведінки",
    ]
    skipped = [w for w in draft.warnings if "ТКАЧЕНКО" in w or "Начальник" in w]
    assert len(skipped) == 2


def test_a_title_under_the_approval_block_is_the_plans_title_and_gives_its_years() -> None:
    """Plan import, fault 5: «ЗАХОДИ … на 2027 рік» under «ЗАТВЕРДЖЕНО» is the title."""
    table = Table(rows=[HEADER, ["1", "Провести навчання працівників", "І квартал", "Відділ"]])
    heading = ("ЗАХОДИ", "щодо запобігання корупції в закладах освіти", "на 2027 рік", "")

    draft = read_plan(
        "plan.docx",
        docx_bytes(*APPROVAL, *heading, table, *SIGNATURE),
        default_title=DEFAULT_TITLE,
    )

    assert draft.title == "ЗАХОДИ щодо запобігання корупції в закладах освіти на 2027 рік"
    assert plan_years(draft.title, 2026) == (2027, 2027)


def test_a_reports_heading_gives_the_plan_it_reports_on() -> None:
    """Plan import, fault 5: a report sent as a plan names its plan in the heading."""
    table = Table(rows=[HEADER, ["1", "Провести навчання працівників", "І квартал", "Відділ"]])
    heading = (
        "ЗВІТ",
        "про виконання Плану заходів щодо запобігання корупції на 2026–2027 роки",
        "за I квартал 2026 року",
        "",
    )

    draft = read_plan("plan.docx", docx_bytes(*heading, table), default_title=DEFAULT_TITLE)

    assert draft.title == "План заходів щодо запобігання корупції на 2026–2027 роки"
    assert plan_years(draft.title, 2025) == (2026, 2027)


def test_the_preview_says_which_numbers_were_generated() -> None:
    """Plan import: «S.M» is generated only where the document has no number, and said."""
    rows = [
        HEADER,
        ["1. Кадрова робота", "", "", ""],
        ["1.1.", "Ознайомити нових працівників з обмеженнями.", "Постійно", "Кадри"],
        ["", "Перевірити близьких осіб у підпорядкуванні.", "ІІ квартал", "Кадри"],
    ]

    draft = read_plan(
        "plan.docx", docx_bytes(*TITLE, Table(rows, [((1, 0), (1, 3))])), default_title="План"
    )

    assert numbers(draft) == [("1", ["1.1", "1.2"])]
    assert draft.generated == ("1.2",)


def test_the_preview_message_names_generated_numbers_joins_and_rows_left_out() -> None:
    """Plan import: the coordinator sees, before saving, every number the bot made up, every
    row it joined to a measure and every row it left out."""
    rows = [
        HEADER,
        ["1.", "Провести навчання працівників щодо", "І квартал", "Відділ"],
        ["", "заповнення електронних декларацій", "", ""],
        ["2.", "Оновити пам'ятку про конфлікт інтересів.", "ІІ квартал", "Юридичний відділ"],
        ["", "Перевіряти учасників закупівель.", "Постійно", "Тендерний комітет"],
        ["Начальник відділу ____ Олена ТКАЧЕНКО", "", "", ""],
    ]
    draft = read_plan(
        "plan.docx", docx_bytes(Table(rows, [((5, 0), (5, 3))])), default_title=DEFAULT_TITLE
    )

    text = render("plan/preview.html", draft=draft, filename="plan.docx")

    assert [m.number for m in draft.sections[0].measures] == ["1", "2", "1.3"]
    assert draft.generated == ("1.3",)
    assert "їх склав бот (1.3)" in text
    assert "приєднано до цього заходу: «заповнення електронних декларацій»" in text
    assert "Рядок під таблицею не став заходом: «Начальник відділу ____ Олена ТКАЧЕНКО»" in text


def test_a_section_continued_under_its_heading_again_keeps_its_subsections_in_order() -> None:
    """Plan import, fault 3: «1.» repeated where the table goes on (a page break) brings its
    new subsection with it, in the document's order; no measure is lost."""
    rows = [
        HEADER,
        ["1. Організаційні заходи", "", "", ""],
        ["1.1. Кадрова робота", "", "", ""],
        ["1.1.1.", "Ознайомити нових працівників з обмеженнями", "Постійно", "Кадри"],
        ["2. Прозорість", "", "", ""],
        ["2.1.", "Оприлюднювати звіти про закупівлі", "Щокварталу", "Тендерний комітет"],
        ["1. Організаційні заходи", "", "", ""],
        ["1.2. Навчання", "", "", ""],
        ["1.2.1.", "Провести навчання уповноважених осіб", "ІІІ квартал", "Відділ"],
    ]
    merges = [((r, 0), (r, 3)) for r in (1, 2, 4, 6, 7)]

    draft = read_plan("plan.docx", docx_bytes(Table(rows, merges)), default_title=DEFAULT_TITLE)

    assert numbers(draft) == [("1", ["1.1.1", "1.2.1"]), ("2", ["2.1"])]
    assert [m.subsection_title for m in draft.sections[0].measures] == [
        "Кадрова робота",
        "Навчання",
    ]

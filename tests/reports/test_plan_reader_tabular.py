"""Reading plan tables kept in Excel or exported to CSV."""

from __future__ import annotations

from core.models import EnterpriseKind
from demo.plan_documents import csv_bytes, xlsx_bytes
from reports.plan_json import plan_to_json
from reports.plan_reader import read_plan
from tests.reports.test_plan_reader import DEFAULT_TITLE, LOCAL_NUMBERS, measure

XLSX_ROWS = [
    ["ПЛАН заходів щодо запобігання корупції на 2026 рік", "", "", "", ""],
    ["", "", "", "", ""],
    ["№ з/п", "Найменування заходу", "Строк виконання", "Відповідальні", "Застосовується до"],
    ["1. Кадрова робота", "", "", "", ""],
    [
        "1.1",
        "Ознайомити новопризначених працівників з обмеженнями",
        "Постійно",
        "Уповноважені особи",
        "виконавчий орган, комунальне підприємство",
    ],
    [
        "1.2",
        "Перевірити дотримання обмежень щодо спільної роботи близьких осіб",
        "ІІ квартал",
        "Уповноважені особи",
        "education,health",
    ],
    ["2. Прозорість закупівель", "", "", "", ""],
    [
        "2.1",
        "Оприлюднювати звіти про договори на сайті\nзакладу",
        "Щокварталу",
        "Керівники закладів",
        "усі",
    ],
    [
        "2.2",
        "Перевірити учасників закупівель на конфлікт інтересів",
        "Постійно",
        "Тендерний комітет",
        "освіта; театр",
    ],
]


def test_xlsx_with_title_rows_merged_sections_and_kinds() -> None:
    data = xlsx_bytes(XLSX_ROWS, merges=["A1:E1", "A4:E4", "A7:E7"])

    draft = read_plan("план.xlsx", data, default_title=DEFAULT_TITLE)

    assert plan_to_json(draft) == {
        "title": "ПЛАН заходів щодо запобігання корупції на 2026 рік",
        "sections": [
            {
                "number": "1",
                "title": "Кадрова робота",
                "measures": [
                    measure(
                        "1.1",
                        "Ознайомити новопризначених працівників з обмеженнями",
                        "Постійно",
                        "Уповноважені особи",
                    ),
                    measure(
                        "1.2",
                        "Перевірити дотримання обмежень щодо спільної роботи близьких осіб",
                        "ІІ квартал",
                        "Уповноважені особи",
                    ),
                ],
            },
            {
                "number": "2",
                "title": "Прозорість закупівель",
                "measures": [
                    measure(
                        "2.1",
                        "Оприлюднювати звіти про договори на сайті\nзакладу",
                        "Щокварталу",
                        "Керівники закладів",
                    ),
                    measure(
                        "2.2",
                        "Перевірити учасників закупівель на конфлікт інтересів",
                        "Постійно",
                        "Тендерний комітет",
                    ),
                ],
            },
        ],
        "warnings": ["У заході 2.2 невідомий тип організації «театр», його не враховано."],
    }
    kinds = [m.kinds for section in draft.sections for m in section.measures]
    assert kinds == [
        (EnterpriseKind.EXECUTIVE, EnterpriseKind.MUNICIPAL),
        (EnterpriseKind.EDUCATION, EnterpriseKind.HEALTH),
        (),
        (EnterpriseKind.EDUCATION,),
    ]


def test_xlsx_direction_merged_down_groups_measures() -> None:
    rows = [
        ["Розділ", "Захід", "Термін виконання", "Виконавці", "Індикатор виконання"],
        [
            "Етична поведінка",
            "Провести тренінг з етичної поведінки",
            "ІІІ квартал",
            "Відділ кадрів",
            "Кількість учасників",
        ],
        [
            "",
            "Розробити пам'ятку для працівників",
            "ІV квартал",
            "Відділ кадрів",
            "Пам'ятку затверджено",
        ],
    ]
    data = xlsx_bytes(rows, merges=["A2:A3"])

    plan = plan_to_json(read_plan("plan.xlsx", data, default_title=DEFAULT_TITLE))

    assert plan == {
        "title": DEFAULT_TITLE,
        "sections": [
            {
                "number": "1",
                "title": "Етична поведінка",
                "measures": [
                    measure(
                        "1.1",
                        "Провести тренінг з етичної поведінки",
                        "ІІІ квартал",
                        "Відділ кадрів",
                        "Кількість учасників",
                    ),
                    measure(
                        "1.2",
                        "Розробити пам'ятку для працівників",
                        "ІV квартал",
                        "Відділ кадрів",
                        "Пам'ятку затверджено",
                    ),
                ],
            },
        ],
        "warnings": [],
        "generated": ["1.1", "1.2"],
    }


CSV_ROWS = [
    ["№ з/п", "Назва напрямку", "Найменування заходу", "Строк виконання", "Відповідальні"],
    ["1", "2", "3", "4", "5"],
    [
        "1",
        "Навчання",
        "Провести навчання працівників з питань етичної поведінки",
        "Протягом року",
        "Відділ кадрів",
    ],
    [
        "2",
        "",
        "Організувати вебінар щодо повідомлення про корупцію",
        "ІІ квартал",
        "Уповноважена особа",
    ],
    [
        "1",
        "Консультації",
        "Надавати консультації щодо заповнення декларацій",
        "Січень – березень",
        "Уповноважена особа",
    ],
]
CSV_PLAN = {
    "title": DEFAULT_TITLE,
    "sections": [
        {
            "number": "1",
            "title": "Навчання",
            "measures": [
                measure(
                    "1.1",
                    "Провести навчання працівників з питань етичної поведінки",
                    "Протягом року",
                    "Відділ кадрів",
                ),
                measure(
                    "1.2",
                    "Організувати вебінар щодо повідомлення про корупцію",
                    "ІІ квартал",
                    "Уповноважена особа",
                ),
            ],
        },
        {
            "number": "2",
            "title": "Консультації",
            "measures": [
                measure(
                    "2.1",
                    "Надавати консультації щодо заповнення декларацій",
                    "Січень – березень",
                    "Уповноважена особа",
                ),
            ],
        },
    ],
    "warnings": [LOCAL_NUMBERS],
}


def test_csv_in_utf8_with_bom_and_commas() -> None:
    data = csv_bytes(CSV_ROWS, encoding="utf-8-sig")

    plan = plan_to_json(read_plan("plan.csv", data, default_title=DEFAULT_TITLE))

    assert plan == CSV_PLAN


def test_csv_in_cp1251_with_semicolons() -> None:
    data = csv_bytes(CSV_ROWS, delimiter=";", encoding="cp1251")

    plan = plan_to_json(read_plan("PLAN.CSV", data, default_title=DEFAULT_TITLE))

    assert plan == CSV_PLAN


def test_csv_lone_numbered_text_heading_its_measures_is_a_section() -> None:
    rows = [
        ["Зміст заходу", "Строк", "Відповідальні"],
        ["3. Антикорупційна експертиза", "", ""],
        ["3.1. Перевіряти проєкти рішень", "Постійно", "Юридичний відділ"],
        ["Розділ IV. Звітування", "", ""],
        ["Подати звіт міському голові", "До 25 січня", "Відділ з питань запобігання корупції"],
        ["Оприлюднити звіт на сайті", "", ""],
    ]
    data = csv_bytes(rows, encoding="utf-8")

    plan = plan_to_json(read_plan("plan.csv", data, default_title=DEFAULT_TITLE))

    assert plan == {
        "title": DEFAULT_TITLE,
        "sections": [
            {
                "number": "3",
                "title": "Антикорупційна експертиза",
                "measures": [
                    measure("3.1", "Перевіряти проєкти рішень", "Постійно", "Юридичний відділ"),
                ],
            },
            {
                "number": "4",
                "title": "Звітування",
                "measures": [
                    measure(
                        "4.1",
                        "Подати звіт міському голові",
                        "До 25 січня",
                        "Відділ з питань запобігання корупції",
                    ),
                    measure("4.2", "Оприлюднити звіт на сайті", "", ""),
                ],
            },
        ],
        "warnings": [
            "У заході 4.2 не вказано строк виконання.",
            "У заході 4.2 не вказано відповідальних.",
        ],
        "generated": ["4.1", "4.2"],
    }


def test_csv_without_term_column_warns_once() -> None:
    rows = [
        ["Захід", "Відповідальні"],
        ["Провести перевірку декларацій", "Відділ кадрів"],
        ["Оновити план", "Відділ з питань запобігання корупції"],
    ]
    data = csv_bytes(rows, encoding="utf-8")

    plan = plan_to_json(read_plan("plan.csv", data, default_title=DEFAULT_TITLE))

    assert plan == {
        "title": DEFAULT_TITLE,
        "sections": [
            {
                "number": "1",
                "title": DEFAULT_TITLE,
                "measures": [
                    measure("1.1", "Провести перевірку декларацій", "", "Відділ кадрів"),
                    measure("1.2", "Оновити план", "", "Відділ з питань запобігання корупції"),
                ],
            },
        ],
        "warnings": ["У таблиці немає стовпця зі строком виконання."],
        "generated": ["1.1", "1.2"],
    }


def test_xlsx_unmerged_section_titles_above_restarting_numbers() -> None:
    rows = [
        ["№", "Найменування заходу", "Строк", "Відповідальні"],
        ["", "1. Запобігання корупції у закупівлях", "", ""],
        ["1", "Перевіряти тендерну документацію", "Постійно", "Тендерний комітет"],
        ["Управління ризиками", "", "", ""],
        ["1", "Оновити реєстр корупційних ризиків", "IV квартал", "Комісія з оцінки ризиків"],
        ["2", "Звітувати про усунення ризиків", "Щопівроку", "Комісія з оцінки ризиків"],
    ]

    plan = plan_to_json(read_plan("plan.xlsx", xlsx_bytes(rows), default_title=DEFAULT_TITLE))

    assert plan == {
        "title": DEFAULT_TITLE,
        "sections": [
            {
                "number": "1",
                "title": "Запобігання корупції у закупівлях",
                "measures": [
                    measure(
                        "1.1", "Перевіряти тендерну документацію", "Постійно", "Тендерний комітет"
                    ),
                ],
            },
            {
                "number": "2",
                "title": "Управління ризиками",
                "measures": [
                    measure(
                        "2.1",
                        "Оновити реєстр корупційних ризиків",
                        "IV квартал",
                        "Комісія з оцінки ризиків",
                    ),
                    measure(
                        "2.2",
                        "Звітувати про усунення ризиків",
                        "Щопівроку",
                        "Комісія з оцінки ризиків",
                    ),
                ],
            },
        ],
        "warnings": [LOCAL_NUMBERS],
    }

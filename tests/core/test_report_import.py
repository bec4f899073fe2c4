from core.models import Enterprise, EnterpriseKind, Measure, MeasureStatus
from core.periods import Period
from core.report_import import ImportedRow, guess_enterprises, match_rows, parse_caption
from demo.plan_data import DIRECTIONS

MEASURES = [
    Measure(
        id=d * 100 + m,
        plan_id=1,
        section_number=str(d),
        section_title=direction,
        number=f"{d}.{m}",
        text=text,
        position=d * 100 + m,
    )
    for d, (direction, measures) in enumerate(DIRECTIONS, start=1)
    for m, (text, _, _, _) in enumerate(measures, start=1)
]
BY_NUMBER = {m.number: m for m in MEASURES}


def row(number: str, text: str, progress: str = "Проведено 2 заходи.") -> ImportedRow:
    return ImportedRow(number, text, progress)


def test_rows_match_by_number_when_their_text_agrees() -> None:
    found = match_rows([row("1.1", "Актуалізувати перелік уповноважених осіб")], MEASURES)
    assert [(m.measure.number, m.by_number) for m in found.matched] == [("1.1", True)]
    assert len(found.missing) == len(MEASURES) - 1 and found.unmatched == ()


def test_a_number_whose_text_is_another_measure_falls_back_to_text() -> None:
    # The organisation numbers its rows 1, 2, 3… straight through; its «2.1» is the plan's 3.1.
    rows = [
        row("2.1", "Вести облік повідомлень про конфлікт інтересів"),
        row("1", "Проведення службових розслідувань за фактами порушень"),
    ]
    found = match_rows(rows, MEASURES)
    assert [(m.measure.number, m.by_number) for m in found.matched] == [
        ("3.1", False),
        ("5.3", False),
    ]


def test_a_row_like_no_measure_is_unmatched_and_each_measure_takes_one_row() -> None:
    rows = [
        row("", "Провести конкурс дитячих малюнків «Скажи корупції ні»"),
        row("", "Надавати консультації щодо заповнення декларацій", "Надано 14 консультацій."),
        row("", "Консультації щодо заповнення декларацій", "Ще раз."),
    ]
    found = match_rows(rows, MEASURES)
    assert [m.measure.number for m in found.matched] == ["2.3"]
    assert found.matched[0].row.progress == "Надано 14 консультацій."
    assert [r.text[:20] for r in found.unmatched] == [
        "Провести конкурс дит",
        "Консультації щодо за",
    ]


def test_statuses_are_guessed_and_an_empty_narrative_counts_as_missing() -> None:
    rows = [
        row("1.1", "Актуалізувати перелік", "Актуалізовано 05.03.2026."),
        row("1.2", "Розглянути стан виконання плану", "Не проведено через відпустки."),
        row("1.3", "Оприлюднити контактні дані", "Постійно здійснюється оновлення."),
        row("3.2", "Перевіряти склад тендерних комітетів", "Не застосовується."),
        row("2.1", "Провести навчання працівників", ""),
    ]
    found = match_rows(rows, MEASURES)
    statuses = {m.measure.number: m.status for m in found.matched}
    assert statuses == {
        "1.1": MeasureStatus.DONE,
        "1.2": MeasureStatus.NOT_DONE,
        "1.3": MeasureStatus.IN_PROGRESS,
        "3.2": MeasureStatus.NOT_APPLICABLE,
    }
    assert BY_NUMBER["2.1"] in found.missing and found.unmatched == ()
    assert found.count(MeasureStatus.DONE) == found.count("done") == 1 and found.by_number == 4


def test_the_caption_gives_a_code_a_period_and_words() -> None:
    caption = parse_caption("Ліцей № 7, 44105644 за 2026Q1")
    assert caption.edrpou == "44105644"
    assert caption.period == Period.quarter(2026, 1)
    assert caption.words == "Ліцей № 7, за"
    assert parse_caption(None) == parse_caption("")
    assert parse_caption("звіт за 2026 рік").period is None
    # No such half-year: the words stay words, and nothing raises.
    assert parse_caption("44105644 2026H3").period is None


LYCEUM_7 = Enterprise(4, "44105644", "Ліцей № 7 Вербівської міської ради", "Ліцей № 7",
                      EnterpriseKind.EDUCATION)  # fmt: skip
LYCEUM_17 = Enterprise(5, "44105655", "Ліцей № 17 Вербівської міської ради", "Ліцей № 17",
                       EnterpriseKind.EDUCATION)  # fmt: skip
WATER = Enterprise(1, "44102318", "Комунальне підприємство «Міськводоканал» Вербівської міської "
                   "ради", "КП «Міськводоканал»", EnterpriseKind.MUNICIPAL)  # fmt: skip
REGISTRY = [WATER, LYCEUM_7, LYCEUM_17]


def test_the_organisation_is_guessed_from_the_documents_title() -> None:
    title = "ЗВІТ про виконання плану заходів Ліцею № 7 Вербівської міської ради за I квартал"
    assert guess_enterprises(title, REGISTRY) == [LYCEUM_7]
    assert guess_enterprises("КП Міськводоканал, звіт.docx", REGISTRY) == [WATER]


def test_an_unsure_guess_offers_candidates_and_no_words_none() -> None:
    assert guess_enterprises("Ліцей", REGISTRY) == []  # neither number stands in the text
    assert set(guess_enterprises("Ліцей № 7 та Ліцей № 17", REGISTRY)) == {LYCEUM_7, LYCEUM_17}
    assert guess_enterprises("", REGISTRY) == []

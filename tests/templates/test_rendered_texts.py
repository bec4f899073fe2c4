from datetime import datetime
from types import SimpleNamespace

import pytest

from core.models import Enterprise, EnterpriseKind
from emulator.html_entities import parse_html
from templates import render

ALERT_LIMIT = 200  # Telegram's limit for answerCallbackQuery text

LYCEUM = Enterprise(7, "44105644", "Ліцей № 7", "Ліцей № 7", EnterpriseKind.EDUCATION)


def test_a_rejected_registry_cell_with_markup_is_shown_as_typed() -> None:
    outcome = SimpleNamespace(
        created=0, updated=0, unchanged=0, persons_created=0, persons_updated=0,
        rejected=[SimpleNamespace(line=3, problem="unknown_kind", value="<ТОВ> & Ко")],
    )  # fmt: skip
    text, _ = parse_html(render("registry/import_result.html", outcome=outcome, filename="r.csv"))
    assert "невідомий тип «<ТОВ> & Ко»" in text


def test_alerts_listing_many_measures_or_enterprises_fit_in_a_callback_answer() -> None:
    numbers = [f"{section}.{n}" for section in range(1, 9) for n in range(1, 11)]
    names = ["КНП «Центральна міська лікарня» Броварської міської ради"] * 20
    missing = render("questionnaire/missing.txt", missing=numbers)
    nudged = render("reminders/nudged.txt", queued=0, already=0, unreachable=names)
    assert missing.startswith("Ще без відповіді: 1.1, 1.2") and len(missing) <= ALERT_LIMIT
    assert nudged.startswith("Немає кому написати") and len(nudged) <= ALERT_LIMIT


def test_plain_text_labels_show_the_apostrophe_not_an_entity() -> None:
    button = render("circulars/buttons.txt", name="kind", kind="health", checked=False)
    alert = render("reminders/snoozed.txt", until=datetime(2026, 11, 27, 9, 0))
    assert button.endswith("заклад охорони здоров'я")
    assert "(п'ятниця) о 09:00" in alert


def test_a_circular_to_many_picked_enterprises_previews_in_one_message() -> None:
    circular = SimpleNamespace(id=12, audience="enterprises", kinds=[], file_kind=None,
                               file_name="", text_html="Текст")  # fmt: skip
    names = [f"КНП «Центральна міська лікарня № {n}» Броварської міської ради" for n in range(70)]
    text = render("circulars/preview.html", circular=circular, names=names, total=70, bound=70,
                  later=None)  # fmt: skip
    assert "обрані організації (70)" in text and "та ще 50" in text and len(text) <= 4096


def test_today_is_the_last_day_only_on_the_deadline_itself() -> None:
    """Quarter's edges, case 4: on Friday 26.06 a Sunday deadline is not «today»."""
    from datetime import date

    context = {
        "mode": "deadline",
        "enterprise": LYCEUM,
        "period": SimpleNamespace(kind="Q", number=2, year=2026),
        "deadline": date(2026, 6, 28),
        "returned": False,
        "after_deadline": False,
        "overdue": False,
        "working_days_left": 0,
        "unanswered": 0,
        "measures": 13,
    }
    friday = render("reminders/reminder.html", deadline_today=False, **context)
    sunday = render("reminders/reminder.html", deadline_today=True, **context)

    assert "Сьогодні останній робочий день перед строком подання" in friday
    assert "Сьогодні останній день подання" not in friday
    assert "Сьогодні останній день подання: <b>28.06.2026 (неділя)</b>" in sunday


def test_an_evidence_photo_is_called_a_photo_and_a_file_by_its_name() -> None:
    measure = SimpleNamespace(number="2.1")
    photo = render("questionnaire/evidence_saved.html", name="photo-AgADx7wx.jpg", measure=measure)
    document = render("questionnaire/evidence_saved.html", name="наказ.pdf", measure=measure)
    assert photo == "📎 Фото додано до заходу 2.1 як підтвердження."
    assert document == "📎 Файл «наказ.pdf» додано до заходу 2.1 як підтвердження."


def test_a_negative_or_huge_indicator_value_is_told_apart_from_a_word() -> None:
    def refusal(text: str) -> str:
        return render("questionnaire/not_a_number.html", text=text)

    assert refusal("-5").startswith("Число не може бути від'ємним: «-5».")
    assert "завелике число" in refusal("1234567890")
    assert "«2,5» — не ціле число" in refusal("2,5")
    assert all(r.endswith("Нічого не змінено.") for r in map(refusal, ("-5", "1e10", "x")))


@pytest.mark.parametrize(
    ("title", "heading"),
    [
        ("План заходів", "про виконання плану заходів, затвердженого"),
        ("План заходів щодо запобігання корупції", "плану заходів щодо запобігання корупції,"),
        ("Антикорупційна програма", "про виконання плану заходів (Антикорупційна програма),"),
    ],
)
def test_the_document_heading_reads_right_whatever_the_plan_is_called(
    title: str, heading: str
) -> None:
    from datetime import date

    plan = SimpleNamespace(title=title, order_number="98", order_date=date(2026, 1, 12))
    line = render("summary/title.txt", plan=plan, period_label="I квартал 2026 року")
    own = render("summary/own_title.txt", plan=plan, name="ЦНАП", period_label="2026 рік")
    assert heading in line and line.endswith("№\u00a098, за I квартал 2026 року")
    assert "  " not in line + own and " ," not in line and "заходів план" not in line.lower()
    assert own.endswith("— ЦНАП за 2026 рік")


def test_the_report_choice_button_names_the_period_as_people_say_it() -> None:
    from core.periods import Period

    def button(period: Period) -> str:
        session = SimpleNamespace(enterprise=SimpleNamespace(short_name="Гімназія № 3"),
                                  period=period)  # fmt: skip
        return render("questionnaire/buttons.txt", name="report", session=session)

    assert button(Period.quarter(2026, 1)) == "Гімназія № 3 · I кв. 2026"
    assert button(Period.half(2026, 2)) == "Гімназія № 3 · II півр. 2026"
    assert button(Period.whole_year(2026)) == "Гімназія № 3 · 2026 рік"

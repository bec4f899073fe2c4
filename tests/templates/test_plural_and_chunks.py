import pytest

from core.models import Enterprise, EnterpriseKind
from emulator.html_entities import HtmlParseError, parse_html
from templates import amount, lower_first, plural
from templates.chunks import split_html

LYCEUM = Enterprise(7, "44105644", "Ліцей № 7", "Ліцей № 7", EnterpriseKind.EDUCATION)


@pytest.mark.parametrize(
    ("count", "expected"),
    [(1, "1 захід"), (2, "2 заходи"), (5, "5 заходів"), (11, "11 заходів"), (21, "21 захід"),
     (22, "22 заходи"), (12, "12 заходів"), (111, "111 заходів"), (0, "0 заходів")],
)  # fmt: skip
def test_ukrainian_plural_forms(count: int, expected: str) -> None:
    assert plural(count, "захід", "заходи", "заходів") == expected


COUNTS = (1, 2, 5, 11, 21, 22, 25)


def test_persons_and_organisations_agree_with_every_count() -> None:
    assert [amount(n, "осіб").replace("\u00a0", " ") for n in COUNTS] == [
        "1 особа", "2 особи", "5 осіб", "11 осіб", "21 особа", "22 особи", "25 осіб",
    ]  # fmt: skip
    assert [plural(n, "організація", "організації", "організацій") for n in COUNTS] == [
        "1 організація", "2 організації", "5 організацій", "11 організацій",
        "21 організація", "22 організації", "25 організацій",
    ]  # fmt: skip
    assert amount(3, "од.") == "3\u00a0од." and amount(4, "") == "4"


def test_verbs_agree_with_numbers_too() -> None:
    """Quarter's edges, case 23: «залишилось 1 робочий день», «отримають 1 особа»."""
    from templates import render

    context = {
        "mode": "before", "returned": False, "after_deadline": False, "overdue": False,
        "deadline_today": False, "unanswered": 0, "measures": 13,
        "enterprise": LYCEUM,
        "period": {"kind": "Q", "number": 1, "year": 2026},
    }  # fmt: skip
    from datetime import date

    left = [
        render(
            "reminders/reminder.html", deadline=date(2026, 3, 25), working_days_left=n, **context
        )
        for n in (1, 3, 21)
    ]
    assert "залишився 1 робочий день" in left[0] and "залишилося 3 робочі дні" in left[1]
    assert "залишився 21 робочий день" in left[2]


def test_a_truncated_text_ends_with_an_ellipsis_not_three_dots() -> None:
    from templates import environment

    text = (
        environment()
        .from_string("{{ t|truncate(20) }}")
        .render(t="Актуалізувати перелік осіб з питань")
    )
    assert text.endswith("…") and "..." not in text


def test_the_reports_counted_words_agree_in_the_rendered_texts() -> None:
    from templates import render

    lines = [
        render("summary/letter_lead.txt", sentence="Навчання", count=n, in_progress=False)
        for n in COUNTS
    ]
    assert lines[0].endswith("(1 організація)") and lines[4].endswith("(21 організація)")
    assert lines[1].endswith("(2 організації)") and lines[6].endswith("(25 організацій)")


def _long_digest() -> str:
    lines = ["<b>Зведення за I квартал 2026 року</b>"]
    for n in range(300):
        lines.append(
            f"<b>{n}.</b> <i>Ліцей № {n} &amp; партнери</i> — "
            f"<a href='https://example.org/{n}'>звіт</a> " + "виконано " * 8
        )
    return "\n".join(lines)


def test_a_long_message_is_split_under_the_limit_into_valid_html() -> None:
    chunks = split_html(_long_digest())
    assert len(chunks) > 1
    for chunk in chunks:
        assert len(chunk) <= 4096
        parse_html(chunk)  # raises on a broken tag or entity, exactly as Telegram would refuse


def test_nothing_is_lost_or_duplicated_when_splitting() -> None:
    text = _long_digest()
    plain_whole, _ = parse_html(text)
    plain_parts = [parse_html(chunk)[0] for chunk in split_html(text, 700)]
    assert " ".join(plain_parts).split() == plain_whole.split()


def test_a_tag_open_across_a_cut_is_closed_and_reopened() -> None:
    text = "<b>" + "слово " * 1500 + "</b>"
    chunks = split_html(text)
    assert len(chunks) == 3
    assert all(chunk.startswith("<b>") and chunk.endswith("</b>") for chunk in chunks)


def test_a_word_longer_than_a_message_is_cut_without_splitting_an_entity() -> None:
    text = "&amp;" * 2000
    chunks = split_html(text, 1000)
    for chunk in chunks:
        try:
            parse_html(chunk)
        except HtmlParseError as error:  # pragma: no cover - the assertion explains
            pytest.fail(f"broken entity in chunk: {error}")


def test_a_label_continuing_a_sentence_is_lowered_but_an_abbreviation_is_kept() -> None:
    assert lower_first("Надано консультацій — 7\u00a0од.") == "надано консультацій — 7\u00a0од."
    assert lower_first("НАЗК повідомлено — 2") == "НАЗК повідомлено — 2"
    assert lower_first("ЦНАП: надано послуг") == "ЦНАП: надано послуг"
    assert lower_first("") == ""

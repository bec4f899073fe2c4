"""One measure's consolidated text: bounded, counted right, and stating only what answers hold."""

from __future__ import annotations

import re
from dataclasses import replace

from rapidfuzz import fuzz

from core.consolidation import (
    SIMILARITY,
    basis,
    measure_facts,
    merged_sentence,
    sentences,
    share,
)
from core.edrpou import with_check_digit
from core.models import Enterprise, EnterpriseKind, MeasureStatus
from core.summary import Summary, build_summary
from reports.consolidated_text import TEXT_LIMIT, draft_text
from tests.summary.fixtures import (
    CONSULTATIONS,
    CONSULTING,
    GENERATED_AT,
    IP,
    NA,
    ND,
    PLAN,
    Q1,
    D,
    Said,
    make_report,
)

# What organisations write about consultations, in a few shapes, with their own numbers.
SHAPES = (
    "Надано {n} індивідуальних консультацій працівникам щодо подання декларацій.",
    "Проведено нараду з працівниками щодо декларування {d}.03.2026, протокол № {n}.",
    "Розміщено пам'ятку щодо декларування на інформаційному стенді.",
    "Оновлено сторінку «Запобігання корупції» на вебсайті закладу.",
)


def city(size: int) -> tuple[Enterprise, ...]:
    return tuple(
        Enterprise(
            1000 + i,
            with_check_digit(f"{4_000_000 + i:07d}"),
            f"Ліцей № {i} міської ради",
            f"Ліцей № {i}",
            EnterpriseKind.EDUCATION,
        )
        for i in range(1, size + 1)
    )


def status_of(i: int) -> MeasureStatus | None:
    """180 of 200 report: 150 done, 15 in progress, 10 not done, 5 not applicable."""
    if i > 180:
        return None
    return D if i <= 150 else IP if i <= 165 else ND if i <= 175 else NA


def narrative_of(i: int, status: MeasureStatus) -> str:
    if status is NA:
        return ""
    if status is ND:
        return f"Не виконано: уповноважена особа {i} у відпустці; заплановано на квітень."
    first = SHAPES[i % 4].format(n=i % 9 + 1, d=i % 27 + 1)
    second = SHAPES[(i + 1) % 4].format(n=i % 5 + 2, d=i % 20 + 1)
    return f"{first} {second}"


def big_summary(size: int = 200) -> Summary:
    enterprises = city(size)
    reports = []
    for i, enterprise in enumerate(enterprises, start=1):
        status = status_of(i)
        if status is None:
            continue
        reports.append(
            make_report(
                enterprise,
                Q1,
                {CONSULTING: Said(status, narrative_of(i, status))},
                indicators={"consultations": i % 7},
            )
        )
    return build_summary(
        period=Q1,
        plan=PLAN,
        measures=[CONSULTING],
        enterprises=enterprises,
        reports=reports,
        indicators=[replace(CONSULTATIONS, measure_number="2.2")],
        generated_at=GENERATED_AT,
    )


def test_two_hundred_organisations_give_a_bounded_text_with_the_right_counts_and_total() -> None:
    summary = big_summary()
    facts = measure_facts(summary.measures[0], summary.indicators)
    text = draft_text(facts)

    assert len(text) <= TEXT_LIMIT
    total = sum(i % 7 for i in range(1, 181))
    assert text.splitlines()[:2] == [
        "Виконано у 150 з 195 організацій (77\u00a0%), виконується — 15, не виконано — 10, "
        "не подали — 20; ще 5 — захід не стосується.",
        f"Надано консультацій — {total}\u00a0од. (дані від 180 організацій).",
    ]
    assert text.endswith("Стан виконання – 77\u00a0%.")
    assert "Не виконали: Ліцей № 166 («Не виконано: уповноважена особа 166 у відпустці;" in text
    assert "та ще 7." in text  # ten failed; three are named


def test_every_group_names_organisations_that_wrote_it() -> None:
    summary = big_summary()
    facts = measure_facts(summary.measures[0], summary.indicators)
    written = {n.enterprise.id: n.parts[0].text for n in summary.measures[0].narratives}

    assert facts.groups and len(facts.groups[0].enterprises) > 30
    for group in facts.groups:
        pattern = re.sub(r"\d+", "0", group.sentence.replace("усього ", "").replace("…", "0"))
        for enterprise in group.enterprises:
            own = [re.sub(r"\d+", "0", s) for s in sentences(written[enterprise.id])]
            assert max(fuzz.token_sort_ratio(pattern, s) for s in own) >= SIMILARITY - 10, (
                group.sentence,
                enterprise.short_name,
            )


def test_no_number_appears_that_no_answer_or_count_holds() -> None:
    summary = big_summary()
    item = summary.measures[0]
    facts = measure_facts(item, summary.indicators)
    text = draft_text(facts)
    c = item.counts
    allowed = {c.done, c.in_progress, c.not_done, c.not_reported, c.not_applicable}
    allowed |= {c.total - c.not_applicable, share(c.done, c.total - c.not_applicable) or 0}
    allowed |= {i.total for i in facts.indicators} | {i.reported for i in facts.indicators}
    allowed |= {len(g.enterprises) for g in facts.groups}
    allowed |= {len(g.enterprises) - 2 for g in facts.groups}  # «та ще N»
    allowed |= {facts.shortfalls_total - len(facts.shortfalls)}
    answered = " ".join(n.parts[0].text for n in item.narratives) + " ".join(
        e.short_name for e in summary.enterprises
    )
    allowed_text = {int(n) for n in re.findall(r"\d+", answered)}
    summed = set()
    for group in facts.groups:
        summed |= {int(n) for n in re.findall(r"усього (\d+)", group.sentence)}

    for number in re.findall(r"\d+", text.replace("2.2", "")):
        assert int(number) in allowed | allowed_text | summed, number


def test_numbers_that_differ_in_a_group_are_elided_never_added_up() -> None:
    written = [
        "Надано 4 консультації працівникам.",
        "Надано 7 консультацій працівникам.",
    ]

    assert merged_sentence(written) == "Надано … консультації працівникам."
    assert merged_sentence(
        ["Нарада 15 березня, протокол № 4.", "Нарада 20 березня, протокол № 4."]
    ) == ("Нарада … березня, протокол № 4.")
    assert merged_sentence(["Наказ № 12 від 15.01.2026.", "Наказ № 12 від 15.01.2026."]) == (
        "Наказ № 12 від 15.01.2026."
    )
    # Numbers in other places: none is kept, not even one that both happen to contain.
    assert merged_sentence(["Навчено 5 осіб, проведено 2 наради.", "Навчено 2 осіб."]) == (
        "Навчено … осіб, проведено … наради."
    )


def test_a_negation_or_a_plan_never_joins_the_work_done() -> None:
    enterprises = city(4)
    said = {
        enterprises[0]: Said(D, "Семінар для працівників проведено у березні."),
        enterprises[1]: Said(D, "Семінар для працівників ще не проведено у березні."),
        enterprises[2]: Said(D, "Заплановано семінар для працівників у березні."),
        enterprises[3]: Said(IP, "Семінар для працівників проведено у березні."),
    }
    summary = build_summary(
        period=Q1,
        plan=PLAN,
        measures=[CONSULTING],
        enterprises=enterprises,
        reports=[make_report(e, Q1, {CONSULTING: answer}) for e, answer in said.items()],
        indicators=[],
        generated_at=GENERATED_AT,
    )
    groups = measure_facts(summary.measures[0], ()).groups

    done = [g for g in groups if "ще не" not in g.sentence and not g.in_progress]
    assert [[e.short_name for e in g.enterprises] for g in done] == [["Ліцей № 1"]]
    assert [g.in_progress for g in groups].count(True) == 1
    assert "виконується: Ліцей № 4" in draft_text(measure_facts(summary.measures[0], ()))


def test_shares_round_half_up_and_nothing_of_nothing() -> None:
    assert [share(52, 60), share(1, 8), share(1, 3), share(0, 0)] == [87, 13, 33, None]


def test_an_indicator_nobody_reported_says_no_data_never_zero() -> None:
    summary = big_summary(3)
    nobody = replace(summary.indicators[0], values=tuple(
        replace(v, value=None) for v in summary.indicators[0].values
    ), total=0)  # fmt: skip
    facts = measure_facts(summary.measures[0], (nobody,))

    assert "Надано консультацій — даних немає." in draft_text(facts)


def test_the_basis_changes_when_a_count_or_an_attached_total_changes() -> None:
    one, more = big_summary(150), big_summary(200)
    assert basis(one.measures[0], one.indicators) != basis(more.measures[0], more.indicators)
    assert basis(one.measures[0], one.indicators) == basis(
        big_summary(150).measures[0], big_summary(150).indicators
    )

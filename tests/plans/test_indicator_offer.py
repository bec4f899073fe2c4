"""The indicators offered with a plan: the measure proposed for each, the coordinator's toggles,
and a preview that stays within Telegram's limits whatever the files say."""

from __future__ import annotations

import pytest

from core.indicator_offer import (
    MAX_OFFERED,
    Offered,
    PendingPlan,
    choose,
    chosen_indicators,
    offer,
    propose_measure,
    toggled,
)
from core.models import IndicatorDef, MeasureDraft, PlanDraft, SectionDraft
from demo.plan_data import plan_docx
from reports.indicator_reader import default_indicators
from reports.plan_reader import read_plan
from ui.plans import indicators_screen

DEMO = read_plan("plan.docx", plan_docx(), default_title="План")
MEASURES = [m for s in DEMO.sections for m in s.measures]


def draft(*measures: MeasureDraft) -> PlanDraft:
    return PlanDraft("План", (SectionDraft("1", "Розділ", measures),))


def test_each_default_indicator_is_proposed_for_the_demo_measure_its_words_match() -> None:
    proposed = {i.code: propose_measure(i.label, MEASURES) for i in default_indicators()}
    assert proposed == {
        "consultations": "2.3",  # not 1.1, which says «з питань запобігання корупції» too
        "decl_annual": "4.1",
        "decl_before_dismissal": "4.2",
        "decl_after_dismissal": "4.2",
        "decl_candidate": "",  # declarations are 4.1 and 4.2 alike: no clear measure
        "nazk_nonsubmission": "4.1",
        "trainings_held": "2.1",
        "trainings_attended": "2.1",
        "whistleblower_reports": "5.2",
        "coi_identified": "",  # 3.1 and 3.2 both speak of conflicts of interest
        "coi_settled": "",
        "internal_investigations": "5.3",
        "acts_vetted": "",  # «Акти розслідувань» shares one word of three
        "persons_liable": "",
    }  # fmt: skip


def test_the_plans_own_indicator_column_counts() -> None:
    measures = [
        MeasureDraft("1", "Забезпечити роботу з громадянами", indicator="Кількість консультацій"),
        MeasureDraft("2", "Забезпечити роботу внутрішніх каналів", indicator="Канали працюють"),
    ]
    assert propose_measure("Надано консультацій з питань запобігання корупції", measures) == "1"


def test_no_measure_when_nothing_matches_or_there_is_nothing() -> None:
    assert propose_measure("Притягнуто осіб до відповідальності", MEASURES) == ""
    assert propose_measure("Надано консультацій", []) == ""
    assert propose_measure("з і на", MEASURES) == ""  # no word long enough to say anything


def test_a_first_plan_is_offered_the_default_list_with_nothing_on() -> None:
    offered = offer(default_indicators(), DEMO)
    assert [o.indicator.code for o in offered] == [i.code for i in default_indicators()]
    assert not any(o.chosen for o in offered)
    assert [o.indicator.position for o in offered] == list(range(1, 15))
    assert chosen_indicators(offered) == ()


def test_a_new_version_offers_the_previous_ones_on_at_their_measures() -> None:
    previous = (
        IndicatorDef("consultations", "Надано консультацій", "од.", 1, "1.1"),
        IndicatorDef("own_count", "Власний показник ради", "од.", 2, "9.9"),  # 9.9 is gone
    )
    offered = offer(default_indicators(), DEMO, previous)
    by_code = {o.indicator.code: o for o in offered}
    assert len(offered) == 15 and offered[-1].indicator.code == "own_count"
    assert (
        by_code["consultations"].chosen
        and by_code["consultations"].indicator.measure_number == "1.1"
    )
    assert by_code["consultations"].indicator.label == default_indicators()[0].label
    assert by_code["own_count"].chosen and by_code["own_count"].indicator.measure_number == ""
    assert not by_code["decl_annual"].chosen
    assert [i.code for i in chosen_indicators(offered)] == ["consultations", "own_count"]
    assert [i.position for i in chosen_indicators(offered)] == [1, 2]


def test_toggling_switches_one_and_refuses_an_index_out_of_range() -> None:
    offered = offer(default_indicators(), DEMO)
    on = toggled(offered, 8)
    assert on is not None and [o.chosen for o in on].count(True) == 1 and on[8].chosen
    off = toggled(on, 8)
    assert off == offered
    assert toggled(offered, 14) is None and toggled(offered, -1) is None


def test_choose_sets_exactly_the_codes_and_names_an_unknown_one() -> None:
    offered = offer(default_indicators(), DEMO)
    chosen = choose(offered, ["whistleblower_reports", "consultations"])
    assert not isinstance(chosen, str)
    assert [(i.code, i.measure_number) for i in chosen_indicators(chosen)] == [
        ("consultations", "2.3"),
        ("whistleblower_reports", "5.2"),
    ]
    assert choose(offered, ["consultations", "nope"]) == "nope"


@pytest.mark.parametrize("upload_id", [1, 2**63 - 1])
def test_the_largest_offer_fits_one_message_and_its_buttons(upload_id: int) -> None:
    """Twenty long indicators at measures with long numbers and texts, full of characters HTML
    escapes: one message under 4096 characters, callback data under 64 bytes."""
    long = "Показник & <значення> " * 40
    measure = MeasureDraft("10.10.10", "Захід «" + "дуже довгий текст " * 200, "Постійно", "Усі")
    unit = "одиниць " * 20
    offered = tuple(
        Offered(IndicatorDef(f"code_{n:02}_{'x' * 40}", long, unit, n, "10.10.10"), chosen=True)
        for n in range(MAX_OFFERED)
    )
    text, markup = indicators_screen(PendingPlan(upload_id, "plan.docx", draft(measure), offered))
    assert len(text) <= 4096
    buttons = [b for row in markup.inline_keyboard for b in row]
    assert len(buttons) == MAX_OFFERED + 2
    assert all(len((b.callback_data or "").encode()) <= 64 for b in buttons)
    assert all(len(b.text) <= 45 for b in buttons)


def test_an_offer_never_grows_past_the_limit() -> None:
    previous = tuple(IndicatorDef(f"own_{n}", f"Показник {n}", "од.", n) for n in range(30))
    assert len(offer(default_indicators(), DEMO, previous)) == MAX_OFFERED

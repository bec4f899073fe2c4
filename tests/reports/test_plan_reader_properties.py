"""Whatever a plan sheet holds, the reader either refuses it or numbers every measure uniquely
across the plan."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from demo.plan_documents import csv_bytes
from reports.plan_reader import read_plan
from reports.tabular import DocumentError

HEADERS = ["№ з/п", "Назва напрямку", "Найменування заходу", "Строк", "Відповідальні", ""]
CELLS = st.sampled_from(
    [
        "",
        "1",
        "1.",
        "2",
        "1.1",
        "1.2",
        "2.1",
        "2.10",
        "ІІ.",
        "3. Провести навчання",
        "Розділ 2. Навчання",
        "Перевірити декларації",
        "Постійно",
        "Відділ кадрів",
        "Найменування заходу",
        "Строк виконання",
    ]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    header=st.permutations(HEADERS),
    rows=st.lists(st.lists(CELLS, min_size=6, max_size=6), max_size=12),
)
def test_every_measure_gets_a_number_unique_in_the_plan(
    header: list[str], rows: list[list[str]]
) -> None:
    data = csv_bytes([header, *rows], delimiter=";", encoding="utf-8")
    try:
        draft = read_plan("plan.csv", data, default_title="План")
    except DocumentError:
        return
    numbers = [m.number for s in draft.sections for m in s.measures]
    assert len(numbers) == len(set(numbers))
    assert set(draft.generated) <= set(numbers)
    for section in draft.sections:
        assert section.measures
        for measure in section.measures:
            if measure.number in draft.generated:  # made up: «S.M» inside its section
                assert measure.number.startswith(section.number + ".")
            assert measure.text
    assert len({s.number for s in draft.sections}) == len(draft.sections)

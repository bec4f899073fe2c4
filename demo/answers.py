"""What the simulated authorized persons answer: invented, varied, and full of numbers."""

from __future__ import annotations

from dataclasses import dataclass

DONE = "✅ Виконано"
IN_PROGRESS = "🔄 Виконується"
NOT_DONE = "❌ Не виконано"
NOT_APPLICABLE = "➖ Не застосовується"
ZERO = "0 — не було"  # an indicator's button

_PHRASES = (
    "Проведено заходів: {n}; ознайомлено під підпис працівників: {m} ({d}.03.2026).",
    "Наказ № {n}-к від {d}.02.2026; інформацію оприлюднено на вебсайті.",
    "Надано консультацій: {m}, зауважень немає.",
    "Питання розглянуто на нараді {d}.03.2026, протокол № {n}.",
    "Перевірено документів: {m}, порушень не виявлено.",
    "Навчання «Етика і доброчесність» ({d}.02.2026), учасників — {m}, тест склали всі.",
)


@dataclass(frozen=True, slots=True)
class Reply:
    button: str
    text: str = ""


def reply_for(person_index: int, measure_index: int) -> Reply:
    """A deterministic but varied answer for one person and one measure."""
    seed = person_index * 7 + measure_index * 3
    if measure_index == 7 and person_index % 3 == 0:
        return Reply(NOT_APPLICABLE)  # no procurement committee in a school or archive
    phrase = _PHRASES[seed % len(_PHRASES)].format(
        n=seed % 9 + 1, m=seed % 40 + 3, d=seed % 27 + 1
    )
    if (person_index + measure_index) % 11 == 0:
        return Reply(IN_PROGRESS, "Роботу розпочато, завершимо в наступному кварталі. " + phrase)
    if (person_index * measure_index) % 23 == 5:
        return Reply(NOT_DONE, "Не виконано через відсутність фахівця; заплановано на травень.")
    return Reply(DONE, phrase)


def indicator_value(person_index: int, indicator_index: int) -> int:
    return (person_index * 5 + indicator_index * 3) % 17

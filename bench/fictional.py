"""Invented but realistic benchmark inputs: a 60-measure plan, narratives of 300–800 characters."""

from __future__ import annotations

import random

from core.models import MeasureDraft, PlanDraft, SectionDraft

MEASURES = 60
SECTIONS = (
    "Організаційне забезпечення діяльності уповноважених осіб",
    "Запобігання та врегулювання конфлікту інтересів",
    "Публічні закупівлі та управління майном",
    "Навчання та роз'яснювальна робота",
    "Фінансовий контроль і декларування",
    "Викривачі та доброчесність",
)
_VERBS = ("Забезпечити", "Провести", "Оприлюднити", "Перевірити", "Організувати", "Актуалізувати")
_OBJECTS = (
    "моніторинг дотримання антикорупційних обмежень працівниками",
    "навчання для працівників щодо обмежень після звільнення",
    "перелік посад з високим корупційним ризиком",
    "звіти про договори, укладені за результатами закупівель",
    "перевірку факту подання декларацій суб'єктами декларування",
    "роз'яснення щодо повідомлення про можливі факти корупції",
)
_PHRASES = (
    "Проведено {n} заходів, ознайомлено під підпис {m} працівників ({d}.03.2026).",
    "Видано наказ № {n}-к від {d}.02.2026; інформацію оприлюднено на офіційному вебсайті.",
    "Надано {m} індивідуальних консультацій з питань конфлікту інтересів, зауважень немає.",
    "Питання розглянуто на нараді при керівникові {d}.03.2026, протокол № {n}.",
    "Перевірено {m} договорів і додаткових угод, порушень антикорупційного законодавства "
    "не виявлено.",
    "Навчання «Етика і доброчесність» ({d}.02.2026), учасників — {m}, підсумковий тест "
    "склали всі.",
    "Оновлено сторінку «Запобігання корупції» на сайті: контакти уповноваженої особи, "
    "порядок повідомлення, зразки документів.",
    "Складено реєстр ризиків на {n} позицій; заходи з усунення включено до плану на квартал.",
)


def plan_draft(measures: int = MEASURES) -> PlanDraft:
    """A plan of `measures` measures in six sections, applying to every kind of enterprise."""
    per_section = -(-measures // len(SECTIONS))
    sections = []
    for s, title in enumerate(SECTIONS, start=1):
        items = []
        for m in range(1, per_section + 1):
            index = (s - 1) * per_section + m
            if index > measures:
                break
            items.append(
                MeasureDraft(
                    number=f"{s}.{m}",
                    text=f"{_VERBS[index % 6]} {_OBJECTS[(index * 5) % 6]} (захід {s}.{m})",
                    term="Щокварталу" if index % 3 else "Протягом року",
                    responsible="Керівники підприємств, установ, закладів; уповноважені особи",
                    indicator="Інформацію надано до відділу з питань запобігання корупції",
                )
            )
        if items:
            sections.append(SectionDraft(f"{s}.", title, tuple(items)))
    title = "План заходів щодо запобігання корупції на 2026 рік"
    return PlanDraft(title=title, sections=tuple(sections))


def narrative(rng: random.Random, low: int = 300, high: int = 800) -> str:
    """A report narrative of `low`..`high` characters, varied and full of numbers."""
    target = rng.randint(low, high)
    parts: list[str] = []
    length = 0
    while length < target:
        phrase = rng.choice(_PHRASES).format(
            n=rng.randint(1, 40), m=rng.randint(3, 250), d=rng.randint(1, 28)
        )
        parts.append(phrase)
        length += len(phrase) + 1
    text = " ".join(parts)
    return text[:high].rstrip(" ,;") if len(text) > high else text

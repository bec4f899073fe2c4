"""The plan draft as plain JSON data: what the CLI prints and the tests compare."""

from __future__ import annotations

from core.models import MeasureDraft, PlanDraft


def plan_to_json(draft: PlanDraft) -> dict[str, object]:
    """The draft as JSON; a measure's subsection and the generated numbers appear only where
    the plan has them, so a plain two-level plan reads as plainly as it is."""
    data: dict[str, object] = {
        "title": draft.title,
        "sections": [
            {
                "number": section.number,
                "title": section.title,
                "measures": [_measure(measure) for measure in section.measures],
            }
            for section in draft.sections
        ],
        "warnings": list(draft.warnings),
    }
    if draft.generated:
        data["generated"] = list(draft.generated)
    return data


def _measure(measure: MeasureDraft) -> dict[str, str]:
    data = {
        "number": measure.number,
        "text": measure.text,
        "term": measure.term,
        "responsible": measure.responsible,
        "indicator": measure.indicator,
    }
    if measure.subsection_number:
        data["subsection"] = f"{measure.subsection_number} {measure.subsection_title}".strip()
    return data

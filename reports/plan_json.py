"""The plan draft as plain JSON data: what the CLI prints and the tests compare."""

from __future__ import annotations

from core.models import PlanDraft


def plan_to_json(draft: PlanDraft) -> dict[str, object]:
    return {
        "title": draft.title,
        "sections": [
            {
                "number": section.number,
                "title": section.title,
                "measures": [
                    {
                        "number": measure.number,
                        "text": measure.text,
                        "term": measure.term,
                        "responsible": measure.responsible,
                        "indicator": measure.indicator,
                    }
                    for measure in section.measures
                ],
            }
            for section in draft.sections
        ],
        "warnings": list(draft.warnings),
    }

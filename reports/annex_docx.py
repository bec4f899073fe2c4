"""The annex (dodatok_<period>.docx): every organisation's own answers, measure by measure."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from core.plans import headed_groups
from core.summary import MeasureSummary, Summary
from reports.consolidated_text import display_name
from reports.docx_render import made_on, render_docx, xml_text
from reports.requisites import Requisites
from reports.summary_digest import (
    as_of,
    narrative_text,
    status_label,
    status_line,
    title_line,
)
from templates import render


@dataclass(frozen=True, slots=True)
class AnnexAnswer:
    heading: str  # "Ліцей № 7 (виконується):"
    text: str


@dataclass(frozen=True, slots=True)
class AnnexMeasure:
    heading: str  # "1.2. Провести навчання …"
    status_line: str
    answers: tuple[AnnexAnswer, ...]
    missing_line: str  # who did not report, or ""


@dataclass(frozen=True, slots=True)
class AnnexSection:
    heading: str
    measures: tuple[AnnexMeasure, ...]


def _measure(item: MeasureSummary, *, rollup: bool) -> AnnexMeasure:
    missing = [display_name(s.enterprise) for s in item.states if s.applies and s.status is None]
    return AnnexMeasure(
        heading=xml_text(f"{item.measure.number.rstrip('.')}. {item.measure.text}"),
        status_line=status_line(item.counts),
        answers=tuple(
            AnnexAnswer(
                heading=xml_text(
                    render(
                        "summary/narrative_heading.txt",
                        name=display_name(n.enterprise),
                        status=n.status,
                        word=status_label(n.status, "count"),
                    )
                ),
                text=xml_text(narrative_text(n, rollup=rollup)),
            )
            for n in item.narratives
        ),
        missing_line=xml_text(render("summary/annex_missing.txt", names=missing)),
    )


def render_annex_docx(
    summary: Summary, requisites: Requisites, measure_ids: Iterable[int] | None = None
) -> bytes:
    """The annex for every measure, or only for ``measure_ids`` (one measure's answers)."""
    wanted = set(measure_ids) if measure_ids is not None else None
    chosen = [
        m
        for section in summary.sections
        for m in section.measures
        if wanted is None or m.measure.id in wanted
    ]
    sections = []
    for heading, items in headed_groups(chosen, lambda m: m.measure):
        text = render("summary/section_heading.txt", number=heading.number, title=heading.title)
        measures = tuple(_measure(m, rollup=summary.is_rollup) for m in items)
        sections.append(AnnexSection(xml_text(text), measures))
    context = {
        "title_line": xml_text(title_line(summary)),
        "as_of": as_of(summary.period),
        "sections": sections,
        "made_on": made_on(summary.generated_at, requisites.zone),
    }
    return render_docx("dodatok.docx", context)

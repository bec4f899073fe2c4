"""The consolidated report (zvit_<period>.docx): the plan's table, one text per measure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from core.plans import headed_groups
from core.summary import IndicatorSummary, Summary
from reports.consolidated_text import MeasureText
from reports.docx_render import made_on, render_docx, xml_text
from reports.requisites import Requisites
from reports.summary_digest import as_of, indicators_intro, submission_lines, title_line
from templates import lower_first, render


@dataclass(frozen=True, slots=True)
class Row:
    number: str
    text: str
    term: str
    responsible: str
    state: str  # the «Стан виконання» cell


@dataclass(frozen=True, slots=True)
class Section:
    number: str
    title: str
    measures: tuple[Row, ...]


def indicator_lines(items: tuple[IndicatorSummary, ...]) -> list[str]:
    """The items of the list after «Зведені показники за …:», each continuing that sentence."""
    return [
        xml_text(lower_first(render("summary/indicator_line.txt", item=item))) for item in items
    ]


def table_sections(summary: Summary, state_of: Mapping[int, str]) -> list[Section]:
    """The plan's sections (and subsections) and measures, each measure's state cell from
    ``state_of`` by id."""
    measures = [m for section in summary.sections for m in section.measures]
    return [
        Section(
            number=xml_text(heading.number),
            title=xml_text(heading.title),
            measures=tuple(
                Row(
                    number=xml_text(m.measure.number),
                    text=xml_text(m.measure.text),
                    term=xml_text(m.measure.term),
                    responsible=xml_text(m.measure.responsible),
                    state=xml_text(state_of[m.measure.id]),
                )
                for m in items
            ),
        )
        for heading, items in headed_groups(measures, lambda m: m.measure)
    ]


def render_summary_docx(
    summary: Summary, texts: Mapping[int, MeasureText], requisites: Requisites
) -> bytes:
    """The report the department signs: its length grows with measures, not organisations."""
    context = {
        "title_line": xml_text(title_line(summary)),
        "as_of": as_of(summary.period),
        "sections": table_sections(summary, {k: t.text for k, t in texts.items()}),
        "indicators_intro": xml_text(indicators_intro(summary)),
        "indicator_lines": indicator_lines(summary.loose_indicators),
        "submission_lines": [xml_text(line) for line in submission_lines(summary)],
        "annex_note": render("summary/annex_note.txt"),
        "signer_position": xml_text(requisites.signer_position),
        "signer_name": xml_text(requisites.signer_name),
        "made_on": made_on(summary.generated_at, requisites.zone),
    }
    return render_docx("zvit.docx", context)

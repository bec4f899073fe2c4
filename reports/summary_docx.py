"""The consolidated report as DOCX, rendered with docxtpl from templates/summary/zvit.docx."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from docxtpl import DocxTemplate
from jinja2 import Environment, StrictUndefined

from core.summary import MeasureSummary, Summary
from reports.summary_digest import (
    indicators_intro,
    narrative_text,
    status_label,
    status_line,
    submission_lines,
    title_line,
)
from templates import TEMPLATES_DIR, render

TEMPLATE_PATH = TEMPLATES_DIR / "summary" / "zvit.docx"

# Characters XML 1.0 forbids. docxtpl would also turn \a and \f into paragraph and page breaks.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


@dataclass(frozen=True, slots=True)
class Signer:
    position: str
    name: str


def xml_text(text: str) -> str:
    """User text made safe to put into a document: line ends unified, forbidden characters gone."""
    return _NOT_XML.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


@dataclass(frozen=True, slots=True)
class _Narrative:
    heading: str  # "Ліцей № 7 (виконується):"
    text: str


@dataclass(frozen=True, slots=True)
class _Row:
    number: str
    text: str
    term: str
    responsible: str
    status_line: str
    narratives: tuple[_Narrative, ...]


@dataclass(frozen=True, slots=True)
class _Section:
    number: str
    title: str
    measures: tuple[_Row, ...]


def _row(item: MeasureSummary, *, rollup: bool) -> _Row:
    measure = item.measure
    return _Row(
        number=xml_text(measure.number),
        text=xml_text(measure.text),
        term=xml_text(measure.term),
        responsible=xml_text(measure.responsible),
        status_line=status_line(item.counts),
        narratives=tuple(
            _Narrative(
                heading=xml_text(
                    render(
                        "summary/narrative_heading.txt",
                        name=n.enterprise.short_name or n.enterprise.name,
                        status=n.status,
                        word=status_label(n.status, "count"),
                    )
                ),
                text=xml_text(narrative_text(n, rollup=rollup)),
            )
            for n in item.narratives
        ),
    )


def render_summary_docx(summary: Summary, signer: Signer) -> bytes:
    """The report the coordinator signs: title, the plan-shaped table, totals and signature.

    Every value reaches docxtpl only as a context value and is XML-escaped by Jinja's
    autoescape, so a narrative such as "{{ x }}" or "a < b & c" is printed as typed.
    """
    rollup = summary.is_rollup
    context = {
        "title_line": xml_text(title_line(summary)),
        "sections": [
            _Section(
                number=xml_text(section.number),
                title=xml_text(section.title),
                measures=tuple(_row(m, rollup=rollup) for m in section.measures),
            )
            for section in summary.sections
        ],
        "indicators_intro": xml_text(indicators_intro(summary)),
        "indicator_lines": [
            xml_text(render("summary/indicator_line.txt", item=item))
            for item in summary.indicators
        ],
        "submission_lines": [xml_text(line) for line in submission_lines(summary)],
        "signer_position": xml_text(signer.position),
        "signer_name": xml_text(signer.name),
    }
    template = DocxTemplate(TEMPLATE_PATH)
    # StrictUndefined: a tag mistyped while editing the template in Word fails loudly instead
    # of leaving a silent blank in a signed document.
    environment = Environment(autoescape=True, undefined=StrictUndefined)
    template.render(context, jinja_env=environment, autoescape=True)
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()

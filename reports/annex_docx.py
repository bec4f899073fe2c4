"""The annex (dodatok_<period>.docx): every organisation's own answers, measure by measure.

The annex grows with the organisations (every answer of every one), so it is not rendered by
docxtpl as one string: the template's paragraphs are filled and streamed into the zip one
measure at a time (reports/docx_stream.py), to the same XML docxtpl would make.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from core.plans import headed_groups
from core.summary import MeasureSummary, Summary
from reports.consolidated_text import display_name
from reports.docx_render import made_on, xml_text
from reports.docx_stream import StreamTemplate, fill, stream_template, write_docx
from reports.requisites import Requisites
from reports.summary_digest import (
    as_of,
    narrative_text,
    status_label,
    status_line,
    title_line,
)
from templates import render

TEMPLATE = "dodatok.docx"
# The template's {%p %} statements in order; the paragraphs between them are written per loop.
BLOCKS = (
    "for section in sections",
    "for m in section.measures",
    "for a in m.answers",
    "endfor",
    "if m.missing_line",
    "endif",
    "endfor",
    "endfor",
)


def _template() -> StreamTemplate:
    template = stream_template(TEMPLATE)
    if tuple(template.blocks) != BLOCKS:
        raise ValueError(f"{TEMPLATE}: its loops changed to {template.blocks}")
    return template


def _measure(template: StreamTemplate, item: MeasureSummary, *, rollup: bool) -> Iterator[str]:
    runs = template.runs
    heading = xml_text(f"{item.measure.number.rstrip('.')}. {item.measure.text}")
    values = {"m.heading": heading, "m.status_line": status_line(item.counts)}
    yield "".join(fill(p, values) for p in runs[2])
    for n in item.narratives:
        answer = {
            "a.heading": xml_text(
                render(
                    "summary/narrative_heading.txt",
                    name=display_name(n.enterprise),
                    status=n.status,
                    word=status_label(n.status, "count"),
                )
            ),
            "a.text": xml_text(narrative_text(n, rollup=rollup)),
        }
        yield "".join(fill(p, answer) for p in runs[3])
    yield "".join(runs[4])  # between the answers' endfor and the if
    missing = [display_name(s.enterprise) for s in item.states if s.applies and s.status is None]
    line = xml_text(render("summary/annex_missing.txt", names=missing))
    if line:
        yield "".join(fill(p, {"m.missing_line": line}) for p in runs[5])
    yield "".join(runs[6])


def _body(
    template: StreamTemplate, summary: Summary, chosen: list[MeasureSummary], made: str
) -> Iterator[str]:
    runs = template.runs
    opening = {"title_line": xml_text(title_line(summary)), "as_of": as_of(summary.period)}
    yield "".join(fill(p, opening) for p in runs[0])
    for heading, items in headed_groups(chosen, lambda m: m.measure):
        text = render("summary/section_heading.txt", number=heading.number, title=heading.title)
        yield "".join(fill(p, {"section.heading": xml_text(text)}) for p in runs[1])
        for item in items:
            yield "".join(_measure(template, item, rollup=summary.is_rollup))
        yield "".join(runs[7])
    yield "".join(fill(p, {"made_on": made}) for p in runs[8])


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
    template = _template()
    made = made_on(summary.generated_at, requisites.zone)
    return write_docx(template, _body(template, summary, chosen, made))

"""The streamed annex is the document docxtpl makes from the same template, escaping included."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from typing import Any

import docx
import pytest
from lxml import etree

from core.models import Enterprise
from core.plans import headed_groups
from core.summary import MeasureSummary, Summary, build_summary
from reports.annex_docx import render_annex_docx
from reports.consolidated_text import display_name
from reports.docx_render import made_on, render_docx, xml_text
from reports.docx_stream import fill
from reports.requisites import Requisites
from reports.summary_digest import as_of, narrative_text, status_label, status_line, title_line
from templates import render
from tests.summary.fixtures import (
    GENERATED_AT,
    INDICATORS,
    IP,
    PERSONS,
    PLAN,
    PROCUREMENT,
    Q1,
    Q2,
    VODOKANAL,
    YEAR,
    D,
    Said,
    make_report,
    q1_summary,
    synthetic_summary,
)

REQUISITES = Requisites("Начальник відділу", "Олена КОВАЛЬ", "Міському голові", "Петро ІВАНЕНКО")
TRICKY = (
    "{{ x }} {% if true %}так{% endif %} a & b < c > d \"лапки\" 'апостроф' "
    "</w:t></w:r></w:p><w:p><w:r><w:t>вставка</w:t>\tтаб\nрядок\x07дзвінок\x0cсторінка"
)


def _measure(item: MeasureSummary, *, rollup: bool) -> dict[str, Any]:
    """The context the annex was rendered with through docxtpl before it was streamed."""
    missing = [display_name(s.enterprise) for s in item.states if s.applies and s.status is None]
    answers = [
        {
            "heading": xml_text(
                render(
                    "summary/narrative_heading.txt",
                    name=display_name(n.enterprise),
                    status=n.status,
                    word=status_label(n.status, "count"),
                )
            ),
            "text": xml_text(narrative_text(n, rollup=rollup)),
        }
        for n in item.narratives
    ]
    return {
        "heading": xml_text(f"{item.measure.number.rstrip('.')}. {item.measure.text}"),
        "status_line": status_line(item.counts),
        "answers": answers,
        "missing_line": xml_text(render("summary/annex_missing.txt", names=missing)),
    }


def _docxtpl_annex(summary: Summary) -> bytes:
    chosen = [m for section in summary.sections for m in section.measures]
    sections = []
    for heading, items in headed_groups(chosen, lambda m: m.measure):
        text = render("summary/section_heading.txt", number=heading.number, title=heading.title)
        measures = [_measure(m, rollup=summary.is_rollup) for m in items]
        sections.append({"heading": xml_text(text), "measures": measures})
    context = {
        "title_line": xml_text(title_line(summary)),
        "as_of": as_of(summary.period),
        "sections": sections,
        "made_on": made_on(summary.generated_at, REQUISITES.zone),
    }
    return render_docx("dodatok.docx", context)


def _body(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    return etree.tostring(root, method="c14n")


def _tricky_summary() -> Summary:
    sly = Enterprise(9, "00000000", "{{ 7*7 }} & Co", '<w:p>Хитрий</w:p> & "Co"', VODOKANAL.kind)
    measure = replace(PERSONS, text="Захід {{ plan }} & <b>\tз табом")
    return build_summary(
        period=Q1,
        plan=replace(PLAN, title="План {{ title }} & <x>"),
        measures=[measure, PROCUREMENT],
        enterprises=[sly, VODOKANAL],
        reports=[
            make_report(sly, Q1, {measure: Said(D, TRICKY), PROCUREMENT: Said(IP, "\r\nа\r\n")})
        ],
        indicators=INDICATORS,
        generated_at=GENERATED_AT,
    )


def _rollup_summary() -> Summary:
    return build_summary(
        period=YEAR,
        plan=PLAN,
        measures=[PERSONS, PROCUREMENT],
        enterprises=[VODOKANAL],
        reports=[
            make_report(VODOKANAL, Q1, {PERSONS: Said(IP, "Розпочато.")}),
            make_report(VODOKANAL, Q2, {PERSONS: Said(D, "Завершено.\nЗвіт подано.")}),
        ],
        indicators=INDICATORS,
        generated_at=GENERATED_AT,
    )


@pytest.mark.parametrize(
    "summary",
    [q1_summary(), _tricky_summary(), _rollup_summary(), synthetic_summary(12, 14)],
    ids=["q1", "tricky", "rollup", "synthetic"],
)
def test_the_streamed_annex_is_the_xml_docxtpl_makes(summary: Summary) -> None:
    assert _body(render_annex_docx(summary, REQUISITES)) == _body(_docxtpl_annex(summary))


def test_the_streamed_annex_keeps_every_other_part_of_the_template() -> None:
    streamed = zipfile.ZipFile(io.BytesIO(render_annex_docx(q1_summary(), REQUISITES)))
    template = zipfile.ZipFile("templates/summary/dodatok.docx")

    assert streamed.namelist() == template.namelist()
    for name in template.namelist():
        if name != "word/document.xml":
            assert streamed.read(name) == template.read(name)


def test_user_text_in_the_annex_stays_literal_and_cannot_add_paragraphs() -> None:
    document = docx.Document(io.BytesIO(render_annex_docx(_tricky_summary(), REQUISITES)))
    texts = [p.text for p in document.paragraphs]

    assert "Захід {{ plan }} & <b>\tз табом" in [t.removeprefix("1.1. ") for t in texts]
    [answer] = [t for t in texts if "вставка" in t]
    assert answer.startswith('<w:p>Хитрий</w:p> & "Co"')
    assert "{{ x }} {% if true %}так{% endif %} a & b < c > d \"лапки\" 'апостроф' " in answer
    assert "</w:t></w:r></w:p><w:p><w:r><w:t>вставка</w:t>\tтаб\nрядок" in answer
    assert not any(t == "вставка" for t in texts)


def test_a_missing_value_fails_loudly() -> None:
    with pytest.raises(KeyError):
        fill("<w:p><w:r><w:t>{{ m.heading }}</w:t></w:r></w:p>", {})

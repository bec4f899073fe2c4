"""One organisation's own report (zvit_<ЄДРПОУ>_<period>.docx), in the councils' table form."""

from __future__ import annotations

from core.models import Measure
from core.periods import Period
from core.plans import headed_groups
from core.summary import OwnReport
from reports.docx_render import made_on, render_docx, xml_text
from reports.requisites import Requisites
from reports.summary_digest import as_of, period_label, status_label
from reports.summary_docx import Row, Section
from templates import lower_first, render


def file_name(edrpou: str, period: Period) -> str:
    return f"zvit_{edrpou}_{period.code}.docx"


def _state(report: OwnReport, measure: Measure) -> str:
    answer = report.answers.get(measure.id)
    status = answer.status if answer is not None else None
    numbers = [
        render("summary/own_value.txt", indicator=i, value=report.values.get(i.code))
        for i in report.indicators
        if i.measure_number == measure.number
    ]
    return render(
        "summary/own_state.txt",
        label=status_label(status),
        narrative=answer.narrative.strip() if answer is not None else "",
        numbers=numbers,
    )


def render_own_report_docx(report: OwnReport, requisites: Requisites) -> bytes:
    numbers = {m.number for m in report.measures}
    loose = [i for i in report.indicators if i.measure_number not in numbers]
    context = {
        "title_line": xml_text(
            render(
                "summary/own_title.txt",
                plan=report.plan,
                name=report.enterprise.name,
                period_label=period_label(report.period),
            )
        ),
        "as_of": as_of(report.period),
        "sections": [
            Section(
                xml_text(heading.number),
                xml_text(heading.title),
                tuple(
                    Row(
                        number=xml_text(measure.number),
                        text=xml_text(measure.text),
                        term=xml_text(measure.term),
                        responsible=xml_text(measure.responsible),
                        state=xml_text(_state(report, measure)),
                    )
                    for measure in measures
                ),
            )
            for heading, measures in headed_groups(report.measures, lambda m: m)
        ],
        "indicators_intro": render("summary/own_indicators_intro.txt"),
        "indicator_lines": [
            xml_text(
                lower_first(
                    render("summary/own_value.txt", indicator=i, value=report.values.get(i.code))
                )
            )
            for i in loose
        ],
        "person_name": xml_text(report.person_name),
        "made_on": made_on(report.made_at, requisites.zone),
    }
    return render_docx("zvit_org.docx", context)

"""The summary's wording: the chat digest and the text pieces the DOCX, XLSX and chart share.

Every Ukrainian word comes from templates/summary/; this module only picks the template.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from core.models import MeasureStatus
from core.periods import Period
from core.summary import EnterpriseNarrative, StatusCounts, Submission, Summary
from reports.consolidated_text import MeasureText, display_name
from templates import render

StatusForm = Literal["label", "code", "count"]
# Names of organisations that did not report, before «та ще N»: a bound, not the whole list.
MISSING_SHOWN = 10


def word(name: str) -> str:
    """A fixed word of the sheets and the chart (templates/summary/words.txt)."""
    return render("summary/words.txt", name=name)


def period_label(period: Period, *, short: bool = False) -> str:
    """ "I квартал 2026 року" / "2026 рік"; short: "I квартал" (a roll-up's narrative prefix)."""
    return render("summary/period.txt", period=period, form="short" if short else "title")


def as_of(period: Period) -> str:
    """ "станом на 31.03.2026": the period's last day, digits as ДСТУ 4163 allows."""
    return period.end.strftime("%d.%m.%Y")


def status_label(status: MeasureStatus | None, form: StatusForm = "label") -> str:
    """A status's label, matrix code or counting word; None means "did not report"."""
    return render("summary/status.txt", status=status, form=form)


def status_line(counts: StatusCounts) -> str:
    """ "Виконано — 31, виконується — 4, не подали — 2 (усього 37)." Zero counts are left out."""
    return render("summary/status_line.txt", counts=counts)


def narrative_text(narrative: EnterpriseNarrative, *, rollup: bool) -> str:
    """The narrative's parts on separate lines; in a roll-up each starts with its quarter."""
    parts = [
        (period_label(part.period, short=True) if rollup else "", part.text)
        for part in narrative.parts
    ]
    return render("summary/narrative.txt", parts=parts)


def submission_line(submission: Submission, *, labelled: bool) -> str:
    label = period_label(submission.period, short=True) if labelled else ""
    missing = [display_name(e) for e in submission.missing]
    return render(
        "summary/submission_line.txt",
        submission=submission,
        label=label,
        missing=missing[:MISSING_SHOWN],
        hidden=max(0, len(missing) - MISSING_SHOWN),
    )


def title_line(summary: Summary) -> str:
    """ "про виконання плану заходів … за I квартал 2026 року" """
    label = period_label(summary.period)
    return render("summary/title.txt", plan=summary.plan, period_label=label)


def indicators_intro(summary: Summary) -> str:
    return render(
        "summary/indicators_intro.txt",
        period_label=period_label(summary.period),
        summed=summary.indicators_summed_over_quarters,
    )


def submission_lines(summary: Summary) -> list[str]:
    """One line per quarter in a roll-up, a single unlabelled line otherwise."""
    labelled = len(summary.submissions) > 1
    return [submission_line(s, labelled=labelled) for s in summary.submissions]


ATTENTION_SHOWN = 12


def render_digest(summary: Summary, texts: Mapping[int, MeasureText]) -> str:
    """The coordinator's chat digest (Telegram HTML); the caller splits long messages.

    Bounded like the report: it names at most MISSING_SHOWN organisations and lists at most
    ATTENTION_SHOWN measures, whatever the size of the city.
    """
    measures = summary.measures
    missing = [display_name(e) for e in summary.submission.missing]
    lagging = [
        texts[m.measure.id]
        for m in measures
        if not m.fully_done and texts[m.measure.id].facts.done_share is not None
    ]
    edited = [t for t in texts.values() if t.edit is not None]
    return render(
        "summary/digest.html",
        summary=summary,
        period_label=period_label(summary.period),
        submission=summary.submission,
        submission_lines=submission_lines(summary) if summary.is_rollup else [],
        missing=missing[:MISSING_SHOWN],
        missing_hidden=max(0, len(missing) - MISSING_SHOWN),
        status_line=status_line(summary.counts),
        measure_count=len(measures),
        sections=summary.sections,
        lagging=lagging[:ATTENTION_SHOWN],
        lagging_hidden=max(0, len(lagging) - ATTENTION_SHOWN),
        edited=len(edited),
        stale=[t.facts.summary.measure.number for t in edited if t.stale],
        indicator_lines=[
            render("summary/indicator_line.txt", item=item) for item in summary.indicators
        ],
        summed=summary.indicators_summed_over_quarters,
    )

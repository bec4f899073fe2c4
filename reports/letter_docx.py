"""The covering letter to the mayor (lyst_<period>.docx), built from the consolidated texts."""

from __future__ import annotations

from collections.abc import Mapping

from core.consolidation import sentences, shorten
from core.summary import PROPOSAL_SLOT, SectionSummary, Summary
from reports.consolidated_text import MeasureText, display_name
from reports.docx_render import made_on, render_docx, xml_text
from reports.requisites import Requisites
from reports.summary_digest import MISSING_SHOWN, period_label
from templates import render

LEAD_LIMIT = 300


def default_proposal(summary: Summary) -> str:
    """The closing proposal when the coordinator wrote none: off control at the plan's end."""
    return render("summary/letter_proposal.txt", plan=summary.plan, closes=summary.closes_plan)


def proposal(summary: Summary) -> str:
    edit = summary.edits.get(PROPOSAL_SLOT)
    return edit.text if edit is not None else default_proposal(summary)


def _lead(text: MeasureText) -> str:
    """One sentence for a measure: the coordinator's own first sentence, else the top group."""
    if text.edit is not None:
        first = sentences(text.edit.text)
        return shorten(first[0], LEAD_LIMIT).rstrip(".;") if first else ""
    if not text.facts.groups:
        return ""
    # Work done before work in progress; a sentence with all its numbers before one with «…».
    ranked = sorted(text.facts.groups, key=lambda g: (g.in_progress, "…" in g.sentence))
    group = ranked[0]
    return render(
        "summary/letter_lead.txt",
        sentence=shorten(group.sentence, LEAD_LIMIT),
        count=len(group.enterprises),
        in_progress=group.in_progress,
    )


def _direction(section: SectionSummary, texts: Mapping[int, MeasureText]) -> str:
    items = [
        (m.measure.number, texts[m.measure.id].facts.done_share, _lead(texts[m.measure.id]))
        for m in section.measures
    ]
    # A measure that applies to nobody (or that all called inapplicable) has nothing to say.
    items = [(number, share, lead) for number, share, lead in items if share is not None or lead]
    return render(
        "summary/letter_direction.txt",
        section=section,
        fully_done=section.fully_done,
        items=items,
    )


def letter_paragraphs(summary: Summary, texts: Mapping[int, MeasureText]) -> list[str]:
    """The body: the opening, a paragraph per direction, the totals, the proposal."""
    submission = summary.submission
    missing = [display_name(e) for e in submission.missing]
    paragraphs = [
        render(
            "summary/letter_opening.txt",
            plan=summary.plan,
            period_label=period_label(summary.period),
            submission=submission,
            missing=missing[:MISSING_SHOWN],
            hidden=max(0, len(missing) - MISSING_SHOWN),
        )
    ]
    paragraphs += [_direction(section, texts) for section in summary.sections]
    if any(item.reported for item in summary.indicators):
        paragraphs.append(
            render(
                "summary/letter_totals.txt",
                items=summary.indicators,
                period_label=period_label(summary.period),
            )
        )
    closing = proposal(summary)
    if closing:
        paragraphs.append(closing)
    return [xml_text(p) for p in paragraphs if p]


def render_letter_docx(
    summary: Summary, texts: Mapping[int, MeasureText], requisites: Requisites
) -> bytes:
    context = {
        "addressee_position": xml_text(requisites.addressee_position),
        "addressee_name": xml_text(requisites.addressee_name),
        "made_on_digits": summary.generated_at.astimezone(requisites.zone).strftime("%d.%m.%Y"),
        "outgoing_number": "______",
        "subject": xml_text(render("summary/letter_subject.txt", plan=summary.plan)),
        "paragraphs": letter_paragraphs(summary, texts),
        "annex_note": render("summary/letter_annex.txt"),
        "signer_position": xml_text(requisites.signer_position),
        "signer_name": xml_text(requisites.signer_name),
        "made_on": made_on(summary.generated_at, requisites.zone),
    }
    return render_docx("lyst.docx", context)

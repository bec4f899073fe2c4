"""A summary's deliverables: the chat digest and the documents, named by period."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from core.summary import Summary
from reports.annex_docx import render_annex_docx
from reports.consolidated_text import MeasureText, measure_texts
from reports.letter_docx import render_letter_docx
from reports.requisites import Requisites
from reports.summary_digest import render_digest
from reports.summary_docx import render_summary_docx
from reports.summary_xlsx import render_summary_xlsx

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True, slots=True)
class SummaryFile:
    kind: str  # "report", "letter", "annex", "matrix", "chart"
    name: str  # "zvit_2026Q1.docx"
    data: bytes


@dataclass(frozen=True, slots=True)
class SummaryFiles:
    summary: Summary
    texts: dict[int, MeasureText]  # by measure id
    digest: str  # Telegram HTML; split it before sending
    files: tuple[SummaryFile, ...]  # the order they are sent in

    def by_name(self) -> dict[str, bytes]:
        return {f.name: f.data for f in self.files}


@dataclass(frozen=True, slots=True)
class FileNames:
    report: str
    annex: str
    letter: str
    matrix: str
    chart: str


def file_names(code: str) -> FileNames:
    """The names for a period code such as "2026Q1", "2026H1" or "2026"."""
    return FileNames(
        report=f"zvit_{code}.docx",
        annex=f"dodatok_{code}.docx",
        letter=f"lyst_{code}.docx",
        matrix=f"zvit_{code}.xlsx",
        chart=f"progress_{code}.png",
    )


def render_summary_files(summary: Summary, requisites: Requisites) -> SummaryFiles:
    """Render everything at once; seconds of CPU for a big city, so call it off the event loop."""
    # Imported here: matplotlib takes about half a second to load, and the bot should not wait
    # for it at every start when nobody asks for a summary.
    from reports.progress_chart import render_progress_png

    names = file_names(summary.period.code)
    texts = measure_texts(summary)
    return SummaryFiles(
        summary=summary,
        texts=texts,
        digest=render_digest(summary, texts),
        files=(
            SummaryFile("report", names.report, render_summary_docx(summary, texts, requisites)),
            SummaryFile("letter", names.letter, render_letter_docx(summary, texts, requisites)),
            SummaryFile("annex", names.annex, render_annex_docx(summary, requisites)),
            SummaryFile(
                "matrix", names.matrix, render_summary_xlsx(summary, zone=requisites.zone)
            ),
            SummaryFile("chart", names.chart, render_progress_png(summary)),
        ),
    )


async def summary_files(summary: Summary, requisites: Requisites) -> SummaryFiles:
    """render_summary_files in a worker thread, so the bot keeps answering meanwhile."""
    return await asyncio.to_thread(render_summary_files, summary, requisites)

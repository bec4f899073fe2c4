"""A summary's deliverables: the chat digest and the DOCX, XLSX and PNG files, named by period."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import tzinfo

from core.summary import Summary
from reports.summary_digest import render_digest
from reports.summary_docx import Signer, render_summary_docx
from reports.summary_xlsx import KYIV, render_summary_xlsx

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True, slots=True)
class SummaryFile:
    name: str  # "zvit_2026Q1.docx"
    data: bytes


@dataclass(frozen=True, slots=True)
class SummaryFiles:
    summary: Summary
    digest: str  # Telegram HTML; split it before sending
    files: tuple[SummaryFile, ...]  # DOCX, XLSX, PNG: the order they are sent in

    def by_name(self) -> dict[str, bytes]:
        return {f.name: f.data for f in self.files}


def file_names(code: str) -> tuple[str, str, str]:
    """The three names for a period code such as "2026Q1", "2026H1" or "2026"."""
    return f"zvit_{code}.docx", f"zvit_{code}.xlsx", f"progress_{code}.png"


def render_summary_files(summary: Summary, signer: Signer, zone: tzinfo = KYIV) -> SummaryFiles:
    """Render everything at once; seconds of CPU for a big city, so call it off the event loop."""
    # Imported here: matplotlib takes about half a second to load, and the bot should not wait
    # for it at every start when nobody asks for a summary.
    from reports.progress_chart import render_progress_png

    docx_name, xlsx_name, png_name = file_names(summary.period.code)
    return SummaryFiles(
        summary=summary,
        digest=render_digest(summary),
        files=(
            SummaryFile(docx_name, render_summary_docx(summary, signer)),
            SummaryFile(xlsx_name, render_summary_xlsx(summary, zone=zone)),
            SummaryFile(png_name, render_progress_png(summary)),
        ),
    )


async def summary_files(summary: Summary, signer: Signer, zone: tzinfo = KYIV) -> SummaryFiles:
    """render_summary_files in a worker thread, so the bot keeps answering meanwhile."""
    return await asyncio.to_thread(render_summary_files, summary, signer, zone)

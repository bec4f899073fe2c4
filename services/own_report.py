"""An organisation's own report as a DOCX to sign: made after submission, and on request from
the review card."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from core.summary import OwnReport
from reports.own_report_docx import file_name, render_own_report_docx
from services.deps import Deps
from storage.summaries import load_own_report


@dataclass(frozen=True, slots=True)
class OwnReportFile:
    """The document's bytes and name, and the report it was made from (for its caption)."""

    report: OwnReport
    data: bytes
    file_name: str


async def own_report_file(deps: Deps, report_id: int) -> OwnReportFile | None:
    """zvit_<ЄДРПОУ>_<period>.docx of a handed-in report; None when it is not handed in.

    The document is rendered in a worker thread, so the bot keeps answering meanwhile.
    """
    report = await load_own_report(deps.db, report_id, deps.now())
    if report is None:
        return None
    data = await asyncio.to_thread(render_own_report_docx, report, deps.requisites)
    return OwnReportFile(report, data, file_name(report.enterprise.edrpou, report.period))

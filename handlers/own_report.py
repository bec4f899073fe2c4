"""Sending an organisation its own report to sign: after submission and from the review card."""

from __future__ import annotations

import asyncio

from aiogram import Bot
from aiogram.types import BufferedInputFile

from core.clock import Clock
from reports.own_report_docx import file_name, render_own_report_docx
from reports.requisites import Requisites
from reports.summary_digest import period_label
from storage.database import Database
from storage.summaries import load_own_report
from templates import render


async def send_own_report(
    bot: Bot, chat_id: int, db: Database, clock: Clock, requisites: Requisites, report_id: int
) -> bool:
    """Send zvit_<ЄДРПОУ>_<period>.docx to ``chat_id``; False when the report is not handed in."""
    report = await load_own_report(db, report_id, clock.now())
    if report is None:
        return False
    data = await asyncio.to_thread(render_own_report_docx, report, requisites)
    await bot.send_document(
        chat_id,
        BufferedInputFile(data, filename=file_name(report.enterprise.edrpou, report.period)),
        caption=render(
            "summary/own_caption.html",
            name=report.enterprise.display_name,
            period_label=period_label(report.period),
        ),
    )
    return True

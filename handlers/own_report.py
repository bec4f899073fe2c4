"""Sending an organisation its own report to sign: after submission and from the review card."""

from __future__ import annotations

from aiogram import Bot
from aiogram.types import BufferedInputFile

from reports.summary_digest import period_label
from services.deps import Deps
from services.own_report import own_report_file
from templates import render


async def send_own_report(bot: Bot, chat_id: int, deps: Deps, report_id: int) -> bool:
    """Send zvit_<ЄДРПОУ>_<period>.docx to ``chat_id``; False when the report is not handed in."""
    made = await own_report_file(deps, report_id)
    if made is None:
        return False
    await bot.send_document(
        chat_id,
        BufferedInputFile(made.data, filename=made.file_name),
        caption=render(
            "summary/own_caption.html",
            name=made.report.enterprise.display_name,
            period_label=period_label(made.report.period),
        ),
    )
    return True

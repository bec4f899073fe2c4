"""The coordinator replaces a measure's drafted text, or the letter's proposal, page by page.

The edits live in the database (storage/summary_texts.py) and survive a restart; which page is
open is the caller's FSM state (`OpenPage`): losing it costs one tap, not a text.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

import aiosqlite

from core.consolidation import attached, basis
from core.models import Measure
from core.periods import Period
from core.summary import PROPOSAL_SLOT, Summary, TextEdit, measure_slot
from reports.annex_docx import render_annex_docx
from reports.consolidated_text import TEXT_LIMIT, measure_text
from reports.letter_docx import proposal
from reports.summary_digest import period_label, status_line
from services.deps import Deps
from services.summary import NoRounds, summary_in
from storage import summary_texts

# A page left open longer than this no longer catches typed text.
EDIT_WINDOW = timedelta(hours=1)
# Characters a client lets one send that show nothing: such a text is empty.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"


@dataclass(frozen=True, slots=True)
class EditorPage:
    """One page as shown: a measure's text, or (one past the last measure) the proposal."""

    code: str  # the period's code, "2026Q1"
    period_label: str
    index: int
    total: int  # the measures; index == total is the letter's proposal
    slot: str  # measure_slot(number) or PROPOSAL_SLOT: what a typed text replaces
    basis: str  # the counts the text is written against ("" for the proposal)
    opened_at: datetime
    edit: TextEdit | None
    text: str
    measure: Measure | None = None  # None: the proposal
    status_line: str = ""
    stale: bool = False
    draft: str = ""


@dataclass(frozen=True, slots=True)
class OpenPage:
    """The page typed text goes to, as it was shown (kept in the caller's FSM state)."""

    period: str
    index: int
    slot: str | None
    basis: str
    opened: float  # a timestamp


class Refusal(StrEnum):
    GONE = "gone"  # the period or the page is no more
    MOVED = "moved"  # the plan moved the measure since the page was shown: the page closes
    LATE = "late"  # the page was left open too long: the text is not for it, the page closes
    EMPTY = "empty"
    TOO_LONG = "too_long"


@dataclass(frozen=True, slots=True)
class Refused:
    why: Refusal
    length: int = 0  # of a text too long


@dataclass(frozen=True, slots=True)
class AnswersFile:
    """A measure's answers of every organisation: the annex's part for it, as a DOCX."""

    data: bytes
    name: str
    number: str
    period_label: str


@dataclass(frozen=True, slots=True)
class Finished:
    code: str
    period_label: str
    edited: int  # measures whose text the coordinator replaced


async def open_page(deps: Deps, code: str, index: int) -> EditorPage | None:
    """A page of the editor; None when its period or page is gone."""
    now = deps.now()
    async with deps.db.reading() as conn:
        summary = await _summary(conn, code, now)
    return _page(summary, index, now) if summary is not None else None


async def revert(
    deps: Deps, actor_id: int, code: str, index: int, shown_slot: str | None
) -> EditorPage | Refused:
    """«↩ Повернути чернетку»: drop the coordinator's text for this page.

    `shown_slot` is the slot of this page as it was shown (None: unknown): if the plan has
    moved the measure since, nothing is reverted blindly.
    """
    now = deps.now()
    async with deps.db.transaction() as conn:
        summary = await _summary(conn, code, now)
        if summary is None or _page(summary, index, now) is None:
            return Refused(Refusal.GONE)
        slot = _slot(summary, index)
        if shown_slot not in (None, slot):
            return Refused(Refusal.MOVED)
        await summary_texts.revert(conn, summary.period.code, slot, actor_id=actor_id, now=now)
        summary = await _summary(conn, code, now)
    assert summary is not None
    page = _page(summary, index, now)
    assert page is not None
    return page


async def replace_text(
    deps: Deps, actor_id: int, shown: OpenPage, typed: str
) -> EditorPage | Refused:
    """A typed text replaces the open page's text; too long or empty changes nothing."""
    now = deps.now()
    if now.timestamp() - shown.opened > EDIT_WINDOW.total_seconds():
        return Refused(Refusal.LATE)
    text = typed.strip().strip(_INVISIBLE).strip()
    if not text:
        return Refused(Refusal.EMPTY)
    if len(text) > TEXT_LIMIT:
        return Refused(Refusal.TOO_LONG, length=len(text))
    async with deps.db.transaction() as conn:
        summary = await _summary(conn, shown.period, now)
        if summary is None or not 0 <= shown.index <= len(summary.measures):
            return Refused(Refusal.GONE)
        slot = _slot(summary, shown.index)
        if slot != shown.slot:
            return Refused(Refusal.GONE)
        await summary_texts.save(
            conn,
            summary.period.code,
            slot,
            text,
            shown.basis,
            actor_id=actor_id,
            now=now,
        )
        summary = await _summary(conn, summary.period.code, now)
    assert summary is not None
    page = _page(summary, shown.index, now)
    assert page is not None
    return page


async def measure_answers(deps: Deps, code: str, index: int) -> AnswersFile | None:
    """«📄 Відповіді організацій»: the measure's answers as a DOCX; None when it is gone."""
    now = deps.now()
    async with deps.db.reading() as conn:
        summary = await _summary(conn, code, now)
    if summary is None or not 0 <= index < len(summary.measures):
        return None
    measure = summary.measures[index].measure
    data = await asyncio.to_thread(render_annex_docx, summary, deps.requisites, [measure.id])
    number = measure.number.rstrip(".")
    return AnswersFile(
        data=data,
        name=f"vidpovidi_{summary.period.code}_{number}.docx",
        number=measure.number,
        period_label=period_label(summary.period),
    )


async def finish(deps: Deps, code: str) -> Finished | None:
    """«✅ Готово»: how many texts of the period are the coordinator's; None when it is gone."""
    async with deps.db.reading() as conn:
        summary = await _summary(conn, code, deps.now())
    if summary is None:
        return None
    return Finished(
        code=summary.period.code,
        period_label=period_label(summary.period),
        edited=sum(1 for slot in summary.edits if slot != PROPOSAL_SLOT),
    )


async def _summary(conn: aiosqlite.Connection, code: str, now: datetime) -> Summary | None:
    try:
        period = Period.parse(code)
    except ValueError:
        return None
    loaded = await summary_in(conn, period, now)
    return None if isinstance(loaded, NoRounds) else loaded


def _slot(summary: Summary, index: int) -> str:
    if index >= len(summary.measures):
        return PROPOSAL_SLOT
    return measure_slot(summary.measures[index].measure.number)


def _page(summary: Summary, index: int, now: datetime) -> EditorPage | None:
    measures = summary.measures
    if not 0 <= index <= len(measures):
        return None
    code, label, total = summary.period.code, period_label(summary.period), len(measures)
    slot = _slot(summary, index)
    if index == total:
        return EditorPage(
            code=code, period_label=label, index=index, total=total, slot=slot, basis="",
            opened_at=now, edit=summary.edits.get(PROPOSAL_SLOT), text=proposal(summary),
        )  # fmt: skip
    item = measures[index]
    shown = measure_text(summary, item)
    return EditorPage(
        code=code, period_label=label, index=index, total=total, slot=slot,
        basis=basis(item, attached(item, summary.indicators)), opened_at=now, edit=shown.edit,
        text=shown.text, measure=item.measure, status_line=status_line(item.counts),
        stale=shown.stale, draft=shown.draft,
    )  # fmt: skip

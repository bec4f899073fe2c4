"""An organisation's own report document sent by the coordinator: whose it is and for which
round, kept pending with what it says against the plan, then saved as that organisation's
submitted report (a new version) or dropped. The pending import lives in the database."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import PurePath

import aiosqlite

from core.deadlines import is_late
from core.models import Actor, Enterprise, Report, Round
from core.periods import Period
from core.report_import import Caption, guess_enterprises
from reports.report_document import ReportDocument
from services.deps import Deps
from storage import registry, report_imports
from storage import rounds as round_rows
from storage.report_imports import PendingImport, Prepared, Refusal

__all__ = [
    "Cancelled", "NoEnterprise", "NoRound", "PendingImport", "Pick", "Prepared", "Preview",
    "Received", "Refusal", "Refused", "Saved", "UnknownCode", "cancel", "pick", "receive",
    "save",
]  # fmt: skip


@dataclass(frozen=True, slots=True)
class NoRound:
    """No round for the period the caption names (None: no round was ever opened)."""

    period: Period | None


@dataclass(frozen=True, slots=True)
class UnknownCode:
    edrpou: str


@dataclass(frozen=True, slots=True)
class NoEnterprise:
    """Neither the caption nor the document names an organisation of the registry."""

    filename: str


@dataclass(frozen=True, slots=True)
class Preview:
    """The pending import, whose report it fills and what it says; `guessed`: the
    organisation was told from words, not from its code."""

    prepared: Prepared
    guessed: bool


@dataclass(frozen=True, slots=True)
class Pick:
    """Several organisations may be meant: the coordinator chooses."""

    import_id: int
    filename: str
    candidates: tuple[Enterprise, ...]


@dataclass(frozen=True, slots=True)
class Refused:
    """The document cannot be saved (the import is dropped, unless only its organisation is
    still to be chosen)."""

    refusal: Refusal
    round: Round
    enterprise: Enterprise | None


@dataclass(frozen=True, slots=True)
class Cancelled:
    filename: str


@dataclass(frozen=True, slots=True)
class Saved:
    prepared: Prepared
    report: Report  # as submitted, with its new version
    evidence: bool  # the file is kept as each answer's evidence


Received = NoRound | UnknownCode | NoEnterprise | Preview | Pick | Refused


async def receive(
    deps: Deps,
    actor: Actor,
    caption: Caption,
    *,
    filename: str,
    file_id: str,
    data: bytes,
    read: ReportDocument,
) -> Received:
    """A report table arrived: find its round (the caption's period, else the latest) and
    organisation (the caption's code, else its words, the file's name and the heading), and
    keep it pending."""
    async with deps.db.transaction() as conn:
        if caption.period is not None:
            round_ = await round_rows.round_for(conn, caption.period)
        else:
            round_ = await round_rows.latest_round(conn)
        if round_ is None:
            return NoRound(caption.period)
        if caption.edrpou is not None:
            found = await registry.enterprise_by_edrpou(conn, caption.edrpou)
            if found is None:
                return UnknownCode(caption.edrpou)
            candidates = [found]
        else:
            enterprises = await registry.list_enterprises(conn, active_only=True)
            words = (caption.words, f"{PurePath(filename).stem}\n{read.heading}")
            candidates = next((c for w in words if (c := guess_enterprises(w, enterprises))), [])
        if not candidates:
            return NoEnterprise(filename)
        pending = PendingImport(
            id=0,
            filename=filename,
            file_id=file_id,
            file_size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            round_id=round_.id,
            enterprise_id=candidates[0].id if len(candidates) == 1 else None,
            rows=read.rows,
        )
        import_id = await report_imports.stash(
            conn, pending, telegram_id=actor.telegram_id, now=deps.now()
        )
        prepared = await report_imports.prepare(conn, import_id)
        if isinstance(prepared, Prepared):
            return Preview(prepared, guessed=caption.edrpou is None)
        if prepared is Refusal.NO_ENTERPRISE:
            return Pick(import_id, filename, tuple(candidates))
        await report_imports.cancel(conn, import_id)
        return Refused(prepared, round_, candidates[0])


async def cancel(deps: Deps, import_id: int) -> Cancelled | None:
    """«Скасувати»; None if the import is no longer pending."""
    async with deps.db.transaction() as conn:
        found = await _pending(conn, import_id)
        if found is None:
            return None
        await report_imports.cancel(conn, import_id)
        return Cancelled(found[0].filename)


async def pick(deps: Deps, import_id: int, enterprise_id: int) -> Refused | Preview | None:
    """The coordinator says whose the document is: the preview, or why it cannot be saved;
    None if the import is no longer pending."""
    async with deps.db.transaction() as conn:
        found = await _pending(conn, import_id)
        if found is None:
            return None
        pending, round_ = found
        if enterprise_id and await registry.get_enterprise(conn, enterprise_id) is not None:
            await report_imports.choose_enterprise(conn, import_id, enterprise_id)
        prepared = await _prepare(conn, import_id, round_, enterprise_id or pending.enterprise_id)
        return prepared if isinstance(prepared, Refused) else Preview(prepared, guessed=False)


async def save(deps: Deps, actor: Actor, import_id: int) -> Refused | Saved | None:
    """«Зберегти»: the document's answers become the report's submitted new version (late by
    the round's deadline); None if the import is no longer pending."""
    now = deps.now()
    async with deps.db.transaction() as conn:
        found = await _pending(conn, import_id)
        if found is None:
            return None
        pending, round_ = found
        prepared = await _prepare(conn, import_id, round_, pending.enterprise_id)
        if isinstance(prepared, Refused):
            return prepared
        saved = await report_imports.save(
            conn,
            prepared,
            late=is_late(now, prepared.round.deadline, deps.calendar),
            person_id=actor.person.id if actor.person else None,
            actor_id=actor.telegram_id,
            now=now,
        )
        return Saved(prepared, saved, evidence=bool(pending.file_id))


async def _pending(
    conn: aiosqlite.Connection, import_id: int
) -> tuple[PendingImport, Round] | None:
    pending = await report_imports.pending_import(conn, import_id)
    round_ = await round_rows.get_round(conn, pending.round_id) if pending else None
    return (pending, round_) if pending is not None and round_ is not None else None


async def _prepare(
    conn: aiosqlite.Connection, import_id: int, round_: Round, enterprise_id: int | None
) -> Prepared | Refused:
    """The pending import matched, or why not; a refusal other than «choose the organisation»
    drops the import."""
    enterprise = await registry.get_enterprise(conn, enterprise_id or 0)
    prepared = await report_imports.prepare(conn, import_id)
    if isinstance(prepared, Prepared):
        return prepared
    if prepared is not Refusal.NO_ENTERPRISE:
        await report_imports.cancel(conn, import_id)
    return Refused(prepared, round_, enterprise)

"""Circulars' use cases up to sending: composing a draft, choosing its audience, the preview,
sending and cancelling. Each opens one transaction and audits its change; tracking, reminding
and acknowledging a sent circular are in services/circular_tracking.py."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

import aiosqlite

from core.calendar import WorkCalendar
from core.circulars import (
    Audience,
    Circular,
    CircularState,
    Content,
    FileKind,
    Recipient,
)
from core.models import Enterprise, EnterpriseKind
from core.paging import Page, page_of
from services import notify
from services.deps import Deps
from storage import audit, circulars, registry
from ui.callbacks import CircularStep
from ui.circulars import ack_keyboard
from ui.keyboards import as_payload

log = logging.getLogger(__name__)

PICK_PAGE_SIZE = 8


# --- Composing --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Stored:
    """The draft after a message's content; None when its text is too long for a caption."""

    circular: Circular | None
    length: int  # the visible length of the text


async def store_content(
    deps: Deps, author_id: int, draft_id: int | None, content: Content
) -> Stored:
    """Put a message's content into the draft being composed, or start a new draft."""
    now = deps.now()
    async with deps.db.transaction() as conn:
        draft = await circulars.get(conn, draft_id) if draft_id else None
        if draft is not None and draft.state is not CircularState.DRAFT:
            draft = None
        merged = content.over(draft)
        if not merged.fits:
            return Stored(None, merged.length)
        if draft is not None:
            changed = await circulars.set_content(
                conn, draft, text_html=merged.text_html, file_kind=merged.file_kind,
                file_id=merged.file_id, file_name=merged.file_name, now=now,
            )  # fmt: skip
            return Stored(changed, merged.length)
        created = await circulars.create_draft(
            conn, author_id=author_id, text_html=merged.text_html, file_kind=merged.file_kind,
            file_id=merged.file_id, file_name=merged.file_name, now=now,
        )  # fmt: skip
        await audit.record(
            conn, at=now, actor_id=author_id, action="circular.draft",
            entity="circular", entity_id=created.id, after=created,
        )  # fmt: skip
        return Stored(created, merged.length)


class Next(StrEnum):
    """The screen an audience button leads to."""

    AUDIENCE = "audience"
    KINDS = "kinds"
    PICK = "pick"
    PREVIEW = "preview"


class Refusal(StrEnum):
    """Why a preview is not shown (the values are the choose_first template's)."""

    NOT_DRAFT = "not_draft"
    CHOOSE_KINDS = "kinds"
    CHOOSE_ENTERPRISES = "pick"


@dataclass(frozen=True, slots=True)
class Preview:
    """The draft as it would go: to whom, how many (and how many have a chat), and when."""

    circular: Circular
    names: tuple[str, ...]  # the organisations picked, as shown
    total: int
    bound: int
    later: datetime | None  # when sending starts (local time), if not at once


@dataclass(frozen=True, slots=True)
class AudienceStep:
    circular: Circular
    next: Next
    enterprises: Page[Enterprise] | None = None  # the page shown when picking
    preview: Preview | None = None


async def choose_audience(
    deps: Deps,
    circular_id: int,
    step: CircularStep,
    *,
    kind: EnterpriseKind | None = None,
    enterprise_id: int = 0,
    page: int = 0,
) -> AudienceStep | None:
    """An audience button: everyone (then the preview), kinds (toggled) or organisations (paged
    and toggled); any other step goes back to the choice. None if it is not a draft."""
    now = deps.now()
    async with deps.db.transaction() as conn:
        circular = await circulars.get(conn, circular_id)
        if circular is None or circular.state is not CircularState.DRAFT:
            return None
        if step is CircularStep.ALL:
            await circulars.set_audience(conn, circular.id, Audience.ALL, now=now)
        elif step is CircularStep.KINDS:
            await circulars.set_audience(conn, circular.id, Audience.KINDS, now=now)
        elif step is CircularStep.KIND and kind is not None:
            kinds = set(circular.kinds) ^ {kind}
            await circulars.set_audience(conn, circular.id, Audience.KINDS, kinds=kinds, now=now)
        elif step is CircularStep.ENTERPRISE:
            if await registry.get_enterprise(conn, enterprise_id) is not None:
                await circulars.toggle_enterprise(conn, circular.id, enterprise_id, now=now)
        elif step is CircularStep.PICK:
            await circulars.set_audience(conn, circular.id, Audience.ENTERPRISES, now=now)
        circular = await circulars.get(conn, circular.id)
        assert circular is not None
        if step is CircularStep.ALL:
            shown = await _preview(conn, circular, deps.calendar, now)
            return AudienceStep(circular, Next.PREVIEW, preview=shown)
        if step in (CircularStep.KINDS, CircularStep.KIND):
            return AudienceStep(circular, Next.KINDS)
        if step in (CircularStep.PICK, CircularStep.ENTERPRISE):
            enterprises = await registry.list_enterprises(conn, active_only=True)
            picked = page_of(enterprises, page, PICK_PAGE_SIZE)
            return AudienceStep(circular, Next.PICK, enterprises=picked)
        return AudienceStep(circular, Next.AUDIENCE)


async def preview(deps: Deps, circular_id: int) -> Preview | Refusal:
    """«Готово»: the draft as recipients will get it, once its audience is filled in."""
    async with deps.db.reading() as conn:
        circular = await circulars.get(conn, circular_id)
        if circular is None or circular.state is not CircularState.DRAFT:
            return Refusal.NOT_DRAFT
        if circular.unchosen is Audience.KINDS:
            return Refusal.CHOOSE_KINDS
        if circular.unchosen is Audience.ENTERPRISES:
            return Refusal.CHOOSE_ENTERPRISES
        return await _preview(conn, circular, deps.calendar, deps.now())


async def _preview(
    conn: aiosqlite.Connection, circular: Circular, calendar: WorkCalendar, now: datetime
) -> Preview:
    people = await circulars.recipients(conn, circular)
    names = []
    for enterprise_id in circular.enterprise_ids:
        enterprise = await registry.get_enterprise(conn, enterprise_id)
        if enterprise is not None:
            names.append(enterprise.display_name)
    later = calendar.next_allowed_moment(now)
    return Preview(
        circular,
        tuple(names),
        total=len(people),
        bound=sum(1 for r in people if r.person.telegram_id is not None),
        later=later.astimezone(calendar.tz) if later > now else None,
    )


# --- Sending ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Sent:
    circular: Circular
    queued: int
    unbound: int  # recipients without a chat: nothing could be sent to them


async def send(deps: Deps, actor_id: int, circular_id: int) -> Sent | None:
    """«Надіслати»: fix the recipients and queue one copy each; None if it is no longer a draft
    (a second press sends nothing)."""
    now = deps.now()
    async with deps.db.transaction() as conn:
        circular = await circulars.get(conn, circular_id)
        if circular is None or circular.state is not CircularState.DRAFT:
            return None
        people = await circulars.recipients(conn, circular)
        if not people or not await circulars.mark_sent(conn, circular, people, now=now):
            return None
        queued, unbound = await _deliver(conn, circular, people, deps.calendar, now)
        after = await circulars.get(conn, circular.id)
        await audit.record(
            conn, at=now, actor_id=actor_id, action="circular.send",
            entity="circular", entity_id=circular.id, before=circular,
            after={**(audit.snapshot(after) or {}), "queued": queued, "unbound": unbound},
        )  # fmt: skip
    log.info("circular %d sent: %d queued, %d not bound", circular.id, queued, unbound)
    return Sent(circular, queued, unbound)


async def cancel(deps: Deps, actor_id: int, circular_id: int) -> bool:
    """«Скасувати»: the draft is kept as cancelled, nothing is sent; False if not a draft."""
    now = deps.now()
    async with deps.db.transaction() as conn:
        cancelled = await circulars.cancel(conn, circular_id, now=now)
        if cancelled:
            await audit.record(
                conn, at=now, actor_id=actor_id, action="circular.cancel",
                entity="circular", entity_id=circular_id,
            )  # fmt: skip
    return cancelled


def delivery(circular: Circular, person_id: int) -> tuple[notify.Method, dict[str, object]]:
    """The Bot API method and payload of one person's copy.

    By file_id, not copyMessage: the draft in the DB is the whole circular, so delivery does not
    depend on the coordinator's message staying in their chat, and text and file may come from
    two messages.
    """
    markup = as_payload(ack_keyboard(circular.id, person_id))
    if circular.file_kind is None or circular.file_id is None:
        return notify.Method.SEND_MESSAGE, {"text": circular.text_html, "reply_markup": markup}
    payload: dict[str, object] = {"reply_markup": markup}
    if circular.text_html:
        payload["caption"] = circular.text_html
    if circular.file_kind is FileKind.PHOTO:
        payload["photo"] = circular.file_id
        return notify.Method.SEND_PHOTO, payload
    payload["document"] = circular.file_id
    return notify.Method.SEND_DOCUMENT, payload


async def _deliver(
    conn: aiosqlite.Connection,
    circular: Circular,
    people: Sequence[Recipient],
    calendar: WorkCalendar,
    now: datetime,
) -> tuple[int, int]:
    """Queue one copy to each recipient who has a chat: (queued, without a chat)."""
    queued = unbound = 0
    for recipient in people:
        person = recipient.person
        if person.telegram_id is None:
            unbound += 1
            continue
        method, payload = delivery(circular, person.id)
        queued += await notify.send_payload(
            conn,
            key=notify.circular_key(circular.id, person.id),
            kind=notify.Kind.CIRCULAR,
            chat_id=person.telegram_id,
            person_id=person.id,
            method=method,
            payload=payload,
            calendar=calendar,
            now=now,
        )
    return queued, unbound

"""The coordinator's registry: its pages, finding a person, invites, status changes and
unbinding, and the import of a registry sheet."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

import aiosqlite

from core.invites import new_code
from core.models import Actor, Enterprise, Person, PersonStatus
from core.paging import page_of
from core.registry import ImportOutcome, RegistrySheet, record_number
from services.deps import Deps
from storage import invites, registry

PAGE_SIZE = 20
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class EnterpriseLine:
    position: int
    enterprise: Enterprise
    persons: int
    bound: int


@dataclass(frozen=True, slots=True)
class PersonLine:
    person: Person
    enterprise_name: str


@dataclass(frozen=True, slots=True)
class Listing(Generic[T]):
    """One page of a registry list, as the list templates show it."""

    items: list[T]
    query: str
    total: int
    page: int
    pages: int


@dataclass(frozen=True, slots=True)
class NotFound:
    """No one person answers the words: the candidates to choose from (none: nobody)."""

    query: str
    candidates: tuple[Person, ...] = ()


@dataclass(frozen=True, slots=True)
class PersonView:
    person: Person
    enterprise_name: str


@dataclass(frozen=True, slots=True)
class NotInvitable:
    """Only an active person may be invited."""

    person: Person


@dataclass(frozen=True, slots=True)
class Invite:
    person: Person
    enterprise_name: str
    link: str
    expires: datetime  # in the council's time zone
    revoked: bool  # a live earlier invite of the person stopped working


@dataclass(frozen=True, slots=True)
class InviteLine:
    person: Person
    enterprise_name: str
    link: str


@dataclass(frozen=True, slots=True)
class BulkInvites:
    lines: list[InviteLine]  # new links, one per person
    holding: list[Person]  # persons who still hold a live link, left alone
    expires: datetime  # in the council's time zone


@dataclass(frozen=True, slots=True)
class CardChange:
    """A card button's outcome: the person now, and whether anything changed."""

    person: Person
    enterprise_name: str
    changed: bool


def invite_link(bot_username: str, code: str) -> str:
    return f"https://t.me/{bot_username}?start={code}"


async def enterprise_page(deps: Deps, query: str, page: int) -> Listing[EnterpriseLine]:
    """The registry of organisations (or those matching the words), one page of it."""
    async with deps.db.reading() as conn:
        found = await registry.list_enterprises(conn, search=query)
        people = await registry.list_persons(conn)
    shown = page_of(found, page, PAGE_SIZE)
    lines = []
    for index, enterprise in enumerate(shown.items):
        own = [p for p in people if p.enterprise_id == enterprise.id]
        bound = sum(1 for p in own if p.telegram_id is not None)
        lines.append(EnterpriseLine(shown.position(index), enterprise, len(own), bound))
    return Listing(lines, query, len(found), shown.number, shown.count)


async def person_page(deps: Deps, query: str, page: int) -> Listing[PersonLine]:
    """Authorized persons (or those matching the words), one page of them."""
    async with deps.db.reading() as conn:
        found = await registry.list_persons(conn, search=query)
        names = {e.id: e.short_name for e in await registry.list_enterprises(conn)}
    shown = page_of(found, page, PAGE_SIZE)
    lines = [PersonLine(p, names.get(p.enterprise_id or 0, "—")) for p in shown.items]
    return Listing(lines, query, len(found), shown.number, shown.count)


async def person_card(deps: Deps, argument: str) -> PersonView | NotFound:
    """The person the coordinator means by number or words, with their organisation's name."""
    async with deps.db.reading() as conn:
        found = await _find_person(conn, argument)
        if isinstance(found, NotFound):
            return found
        return PersonView(found, await _enterprise_name(conn, found))


async def invite(deps: Deps, actor: Actor, argument: str) -> Invite | NotInvitable | NotFound:
    """/invite: a new single-use link for the person meant (an earlier live one is revoked)."""
    async with deps.db.transaction() as conn:
        found = await _find_person(conn, argument)
        if isinstance(found, NotFound):
            return found
        return await _issue_invite(conn, deps, actor, found)


async def invite_by_id(deps: Deps, actor: Actor, person_id: int) -> Invite | NotInvitable | None:
    """The card's «invite» button; None if the person is gone."""
    async with deps.db.transaction() as conn:
        person = await registry.get_person(conn, person_id)
        if person is None:
            return None
        return await _issue_invite(conn, deps, actor, person)


async def invite_all_unbound(deps: Deps, actor: Actor) -> BulkInvites:
    """Links for every active person of an active organisation not yet bound and holding no
    live link. Links already forwarded stay valid: re-issuing one is /invite N."""
    now = deps.now()
    lines: list[InviteLine] = []
    holding: list[Person] = []
    async with deps.db.transaction() as conn:
        names = {e.id: e for e in await registry.list_enterprises(conn)}
        for person in await registry.list_persons(conn, unbound_only=True):
            enterprise = names.get(person.enterprise_id or 0)
            if person.status is not PersonStatus.ACTIVE or enterprise is None:
                continue
            if not enterprise.active:
                continue
            if await invites.has_live_invite(conn, person.id, now):
                holding.append(person)
                continue
            code = new_code()
            await invites.create_invite(
                conn,
                person,
                code,
                ttl=deps.access_policy.invite_ttl,
                actor_id=actor.telegram_id,
                now=now,
            )
            link = invite_link(deps.bot_username, code)
            lines.append(InviteLine(person, enterprise.short_name, link))
    expires = (now + deps.access_policy.invite_ttl).astimezone(deps.calendar.tz)
    return BulkInvites(lines, holding, expires)


async def unbind(deps: Deps, actor: Actor, argument: str) -> Person | NotFound:
    """/unbind: detach the person's Telegram account (their live invites go with it)."""
    async with deps.db.transaction() as conn:
        found = await _find_person(conn, argument)
        if isinstance(found, NotFound):
            return found
        return await registry.unbind_person(
            conn, found, actor_id=actor.telegram_id, now=deps.now()
        )


async def change_person(
    deps: Deps, actor: Actor, person_id: int, *, unbind: bool, status: PersonStatus | None
) -> CardChange | None:
    """A card button: unbind, or set the status. Nothing changes when the person is not bound
    or already has that status. None if the person is gone."""
    async with deps.db.transaction() as conn:
        person = await registry.get_person(conn, person_id)
        if person is None:
            return None
        if unbind:
            unchanged = person.telegram_id is None
        else:
            unchanged = status is None or status == person.status
        if unchanged:
            return CardChange(person, await _enterprise_name(conn, person), changed=False)
        if unbind:
            person = await registry.unbind_person(
                conn, person, actor_id=actor.telegram_id, now=deps.now()
            )
        elif status is not None:
            person = await registry.set_person_status(
                conn, person, status, actor_id=actor.telegram_id, now=deps.now()
            )
        return CardChange(person, await _enterprise_name(conn, person), changed=True)


async def import_registry(deps: Deps, actor: Actor, sheet: RegistrySheet) -> ImportOutcome:
    """Create or update organisations and persons by ЄДРПОУ; bad rows are told, good kept."""
    async with deps.db.transaction() as conn:
        return await registry.import_sheet(conn, sheet, actor_id=actor.telegram_id, now=deps.now())


async def _find_person(conn: aiosqlite.Connection, argument: str) -> Person | NotFound:
    """A person by number, or by words that match one person only."""
    number = record_number(argument)
    if number is not None or argument.lstrip("#").isdigit():
        person = await registry.get_person(conn, number) if number is not None else None
        return person if person is not None else NotFound(argument)
    if not argument:
        return NotFound(argument)
    found = await registry.list_persons(conn, search=argument)
    return found[0] if len(found) == 1 else NotFound(argument, tuple(found))


async def _enterprise_name(conn: aiosqlite.Connection, person: Person) -> str:
    if person.enterprise_id is None:
        return "—"
    enterprise = await registry.get_enterprise(conn, person.enterprise_id)
    return enterprise.short_name if enterprise else "—"


async def _issue_invite(
    conn: aiosqlite.Connection, deps: Deps, actor: Actor, person: Person
) -> Invite | NotInvitable:
    if person.status is not PersonStatus.ACTIVE:
        return NotInvitable(person)
    code, now = new_code(), deps.now()
    revoked = await invites.has_live_invite(conn, person.id, now)
    expires = await invites.create_invite(
        conn, person, code, ttl=deps.access_policy.invite_ttl, actor_id=actor.telegram_id, now=now
    )
    return Invite(
        person,
        await _enterprise_name(conn, person),
        invite_link(deps.bot_username, code),
        expires.astimezone(deps.calendar.tz),
        revoked,
    )

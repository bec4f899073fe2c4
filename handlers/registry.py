"""Coordinator's registry: enterprises and persons, their statuses, invites and unbinding."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message

from core.access import AccessPolicy
from core.calendar import WorkCalendar
from core.clock import Clock
from core.invites import new_code
from core.models import Actor, Enterprise, Person, PersonStatus
from core.paging import page_of
from core.registry import record_number
from handlers.access import coordinator_only
from storage import invites, registry
from storage.database import Database
from templates import render
from ui.callbacks import ListKind, ListPage, PersonAction, PersonCard
from ui.keyboards import pager, person_card
from ui.replies import answer_long, edit_or_answer

PAGE_SIZE = 20


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
class InviteLine:
    person: Person
    enterprise_name: str
    link: str


def invite_link(bot_username: str, code: str) -> str:
    return f"https://t.me/{bot_username}?start={code}"


async def _enterprise_page(db: Database, query: str, page: int) -> tuple[str, int, int]:
    async with db.reading() as conn:
        found = await registry.list_enterprises(conn, search=query)
        people = await registry.list_persons(conn)
    shown = page_of(found, page, PAGE_SIZE)
    lines = []
    for index, enterprise in enumerate(shown.items):
        own = [p for p in people if p.enterprise_id == enterprise.id]
        bound = sum(1 for p in own if p.telegram_id is not None)
        lines.append(EnterpriseLine(shown.position(index), enterprise, len(own), bound))
    text = render(
        "registry/enterprises.html",
        items=lines,
        query=query,
        total=len(found),
        page=shown.number,
        pages=shown.count,
    )
    return text, shown.number, shown.count


async def _person_page(db: Database, query: str, page: int) -> tuple[str, int, int]:
    async with db.reading() as conn:
        found = await registry.list_persons(conn, search=query)
        names = {e.id: e.short_name for e in await registry.list_enterprises(conn)}
    shown = page_of(found, page, PAGE_SIZE)
    lines = [PersonLine(p, names.get(p.enterprise_id or 0, "—")) for p in shown.items]
    text = render(
        "registry/persons.html",
        items=lines,
        query=query,
        total=len(found),
        page=shown.number,
        pages=shown.count,
    )
    return text, shown.number, shown.count


async def list_enterprises(message: Message, command: CommandObject, db: Database) -> None:
    """Show the registry of enterprises, or those matching the search words."""
    query = (command.args or "").strip()
    text, _, pages = await _enterprise_page(db, query, 0)
    markup = None if query else pager(ListKind.ENTERPRISES, 0, pages)
    await message.answer(text, reply_markup=markup)


async def list_persons(message: Message, command: CommandObject, db: Database) -> None:
    """Show authorized persons, or those matching the search words."""
    query = (command.args or "").strip()
    text, _, pages = await _person_page(db, query, 0)
    markup = None if query else pager(ListKind.PERSONS, 0, pages)
    await message.answer(text, reply_markup=markup)


async def turn_page(query: CallbackQuery, callback_data: ListPage, db: Database) -> None:
    """Edit a list in place to show another page."""
    if callback_data.kind is ListKind.ENTERPRISES:
        text, page, pages = await _enterprise_page(db, "", callback_data.page)
    else:
        text, page, pages = await _person_page(db, "", callback_data.page)
    await edit_or_answer(query, text, pager(callback_data.kind, page, pages))
    await query.answer()


async def _find_person(db: Database, argument: str) -> tuple[Person | None, list[Person]]:
    """A person by number, or by unique search words; else the candidates."""
    async with db.reading() as conn:
        number = record_number(argument)
        if number is not None or argument.lstrip("#").isdigit():
            person = await registry.get_person(conn, number) if number is not None else None
            return person, []
        if not argument:
            return None, []
        found = await registry.list_persons(conn, search=argument)
    return (found[0], []) if len(found) == 1 else (None, found)


async def _enterprise_name(db: Database, person: Person) -> str:
    if person.enterprise_id is None:
        return "—"
    async with db.reading() as conn:
        enterprise = await registry.get_enterprise(conn, person.enterprise_id)
    return enterprise.short_name if enterprise else "—"


async def _resolve_or_explain(
    message: Message, command: CommandObject, db: Database
) -> Person | None:
    argument = (command.args or "").strip()
    person, candidates = await _find_person(db, argument)
    if person is None and candidates:
        await message.answer(
            render("registry/person_choose.html", query=argument, persons=candidates[:30])
        )
    elif person is None:
        await message.answer(render("registry/person_not_found.html", command=command.command))
    return person


async def show_person(message: Message, command: CommandObject, db: Database) -> None:
    """Show a person's card with status, invite and unbind buttons."""
    person = await _resolve_or_explain(message, command, db)
    if person is None:
        return
    text = render(
        "registry/person_card.html",
        person=person,
        enterprise_name=await _enterprise_name(db, person),
    )
    await message.answer(text, reply_markup=person_card(person))


async def _issue_invite(
    db: Database, person: Person, actor: Actor, clock: Clock, policy: AccessPolicy
) -> tuple[str, datetime, bool]:
    """A new code for the person, when it expires, and whether a live earlier one was revoked."""
    code = new_code()
    now = clock.now()
    async with db.transaction() as conn:
        revoked = await invites.has_live_invite(conn, person.id, now)
        expires = await invites.create_invite(
            conn, person, code, ttl=policy.invite_ttl, actor_id=actor.telegram_id, now=now
        )
    return code, expires, revoked


async def invite_person(
    message: Message,
    command: CommandObject,
    actor: Actor,
    db: Database,
    clock: Clock,
    calendar: WorkCalendar,
    access_policy: AccessPolicy,
    bot_username: str,
) -> None:
    """Make a personal single-use invite link for one person."""
    person = await _resolve_or_explain(message, command, db)
    if person is not None:
        await message.answer(
            await _invite_text(person, actor, db, clock, calendar, access_policy, bot_username)
        )


async def _invite_text(
    person: Person,
    actor: Actor,
    db: Database,
    clock: Clock,
    calendar: WorkCalendar,
    policy: AccessPolicy,
    bot_username: str,
) -> str:
    if person.status is not PersonStatus.ACTIVE:
        return render("registry/invite_needs_person.html", person=person)
    code, expires, revoked = await _issue_invite(db, person, actor, clock, policy)
    return render(
        "registry/invite.html",
        person=person,
        enterprise_name=await _enterprise_name(db, person),
        link=invite_link(bot_username, code),
        expires=expires.astimezone(calendar.tz),
        revoked=revoked,
    )


async def invite_all_unbound(
    message: Message,
    actor: Actor,
    db: Database,
    clock: Clock,
    calendar: WorkCalendar,
    access_policy: AccessPolicy,
    bot_username: str,
) -> None:
    """Make invite links for every active person not yet bound and holding no live link.

    Links already forwarded stay valid: re-issuing one is /invite N, which says it cancels it.
    """
    now = clock.now()
    lines: list[InviteLine] = []
    holding: list[Person] = []
    async with db.transaction() as conn:
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
                ttl=access_policy.invite_ttl,
                actor_id=actor.telegram_id,
                now=now,
            )
            lines.append(
                InviteLine(person, enterprise.short_name, invite_link(bot_username, code))
            )
    if not lines:
        await message.answer(render("registry/invites_none.html", holding=holding))
        return
    await answer_long(
        message,
        render(
            "registry/invites_bulk.html",
            items=lines,
            holding=holding,
            expires=(now + access_policy.invite_ttl).astimezone(calendar.tz),
        ),
    )


async def unbind_person(
    message: Message, command: CommandObject, actor: Actor, db: Database, clock: Clock
) -> None:
    """Detach a person's Telegram account, e.g. when they leave."""
    person = await _resolve_or_explain(message, command, db)
    if person is None:
        return
    async with db.transaction() as conn:
        person = await registry.unbind_person(
            conn, person, actor_id=actor.telegram_id, now=clock.now()
        )
    await message.answer(render("registry/unbound.html", person=person))


async def act_on_person(
    query: CallbackQuery,
    callback_data: PersonCard,
    actor: Actor,
    db: Database,
    clock: Clock,
    calendar: WorkCalendar,
    access_policy: AccessPolicy,
    bot_username: str,
) -> None:
    """Apply a button from a person's card: change status, invite, or unbind."""
    async with db.reading() as conn:
        person = await registry.get_person(conn, callback_data.person_id)
    if person is None:
        await query.answer(render("access/stale.txt"), show_alert=True)
        return
    if callback_data.action is PersonAction.INVITE:
        await query.answer()
        if query.message is not None:
            await query.message.answer(
                await _invite_text(person, actor, db, clock, calendar, access_policy, bot_username)
            )
        return
    if callback_data.action is PersonAction.UNBIND:
        unchanged = person.telegram_id is None
    else:
        unchanged = callback_data.status is None or callback_data.status == person.status
    if unchanged:
        # Editing the card to the same text is a 400 from Telegram; the toast says it all.
        await query.answer(render("registry/status_changed.txt", person=person))
        return
    async with db.transaction() as conn:
        if callback_data.action is PersonAction.UNBIND:
            person = await registry.unbind_person(
                conn, person, actor_id=actor.telegram_id, now=clock.now()
            )
        elif callback_data.status is not None:
            person = await registry.set_person_status(
                conn, person, callback_data.status, actor_id=actor.telegram_id, now=clock.now()
            )
    text = render(
        "registry/person_card.html",
        person=person,
        enterprise_name=await _enterprise_name(db, person),
    )
    await edit_or_answer(query, text, person_card(person))
    await query.answer(render("registry/status_changed.txt", person=person))


def create_router() -> Router:
    """The registry use case as a fresh Router (one per Dispatcher)."""
    router = Router(name="registry")
    router.message.filter(coordinator_only)
    router.callback_query.filter(coordinator_only)
    router.message.register(list_enterprises, Command("enterprises"))
    router.message.register(list_persons, Command("persons"))
    router.callback_query.register(turn_page, ListPage.filter())
    router.message.register(show_person, Command("person"))
    router.message.register(invite_person, Command("invite"))
    router.message.register(invite_all_unbound, Command("invites"))
    router.message.register(unbind_person, Command("unbind"))
    router.callback_query.register(act_on_person, PersonCard.filter())
    return router

"""Coordinator's registry: enterprises and persons, their statuses, invites and unbinding."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message

from core.models import Actor
from services import registry
from services.deps import Deps
from services.registry import EnterpriseLine, Invite, Listing, NotFound, NotInvitable, PersonLine
from templates import render
from ui.callbacks import ListKind, ListPage, PersonAction, PersonCard
from ui.keyboards import pager, person_card
from ui.replies import answer_long, edit_or_answer


def _list_text(kind: ListKind, shown: Listing[EnterpriseLine] | Listing[PersonLine]) -> str:
    name = "enterprises" if kind is ListKind.ENTERPRISES else "persons"
    return render(
        f"registry/{name}.html",
        items=shown.items,
        query=shown.query,
        total=shown.total,
        page=shown.page,
        pages=shown.pages,
    )


async def _list_page(
    deps: Deps, kind: ListKind, query: str, page: int
) -> Listing[EnterpriseLine] | Listing[PersonLine]:
    if kind is ListKind.ENTERPRISES:
        return await registry.enterprise_page(deps, query, page)
    return await registry.person_page(deps, query, page)


async def _show_list(message: Message, command: CommandObject, deps: Deps, kind: ListKind) -> None:
    query = (command.args or "").strip()
    shown = await _list_page(deps, kind, query, 0)
    markup = None if query else pager(kind, 0, shown.pages)
    await message.answer(_list_text(kind, shown), reply_markup=markup)


async def list_enterprises(message: Message, command: CommandObject, deps: Deps) -> None:
    """Show the registry of enterprises, or those matching the search words."""
    await _show_list(message, command, deps, ListKind.ENTERPRISES)


async def list_persons(message: Message, command: CommandObject, deps: Deps) -> None:
    """Show authorized persons, or those matching the search words."""
    await _show_list(message, command, deps, ListKind.PERSONS)


async def turn_page(query: CallbackQuery, callback_data: ListPage, deps: Deps) -> None:
    """Edit a list in place to show another page."""
    shown = await _list_page(deps, callback_data.kind, "", callback_data.page)
    text = _list_text(callback_data.kind, shown)
    await edit_or_answer(query, text, pager(callback_data.kind, shown.page, shown.pages))
    await query.answer()


def _argument(command: CommandObject) -> str:
    return (command.args or "").strip()


def _not_found_text(command: CommandObject, missing: NotFound) -> str:
    if missing.candidates:
        return render(
            "registry/person_choose.html", query=missing.query, persons=missing.candidates[:30]
        )
    return render("registry/person_not_found.html", command=command.command)


def _invite_text(outcome: Invite | NotInvitable) -> str:
    if isinstance(outcome, NotInvitable):
        return render("registry/invite_needs_person.html", person=outcome.person)
    return render(
        "registry/invite.html",
        person=outcome.person,
        enterprise_name=outcome.enterprise_name,
        link=outcome.link,
        expires=outcome.expires,
        revoked=outcome.revoked,
    )


async def show_person(message: Message, command: CommandObject, deps: Deps) -> None:
    """Show a person's card with status, invite and unbind buttons."""
    found = await registry.person_card(deps, _argument(command))
    if isinstance(found, NotFound):
        await message.answer(_not_found_text(command, found))
        return
    text = render(
        "registry/person_card.html", person=found.person, enterprise_name=found.enterprise_name
    )
    await message.answer(text, reply_markup=person_card(found.person))


async def invite_person(
    message: Message, command: CommandObject, actor: Actor, deps: Deps
) -> None:
    """Make a personal single-use invite link for one person."""
    outcome = await registry.invite(deps, actor, _argument(command))
    if isinstance(outcome, NotFound):
        await message.answer(_not_found_text(command, outcome))
        return
    await message.answer(_invite_text(outcome))


async def invite_all_unbound(message: Message, actor: Actor, deps: Deps) -> None:
    """Make invite links for every active person not yet bound and holding no live link.

    Links already forwarded stay valid: re-issuing one is /invite N, which says it cancels it.
    """
    bulk = await registry.invite_all_unbound(deps, actor)
    if not bulk.lines:
        await message.answer(render("registry/invites_none.html", holding=bulk.holding))
        return
    await answer_long(
        message,
        render(
            "registry/invites_bulk.html",
            items=bulk.lines,
            holding=bulk.holding,
            expires=bulk.expires,
        ),
    )


async def unbind_person(
    message: Message, command: CommandObject, actor: Actor, deps: Deps
) -> None:
    """Detach a person's Telegram account, e.g. when they leave."""
    outcome = await registry.unbind(deps, actor, _argument(command))
    if isinstance(outcome, NotFound):
        await message.answer(_not_found_text(command, outcome))
        return
    await message.answer(render("registry/unbound.html", person=outcome))


async def act_on_person(
    query: CallbackQuery, callback_data: PersonCard, actor: Actor, deps: Deps
) -> None:
    """Apply a button from a person's card: change status, invite, or unbind."""
    if callback_data.action is PersonAction.INVITE:
        invited = await registry.invite_by_id(deps, actor, callback_data.person_id)
        if invited is None:
            await query.answer(render("access/stale.txt"), show_alert=True)
            return
        await query.answer()
        if query.message is not None:
            await query.message.answer(_invite_text(invited))
        return
    change = await registry.change_person(
        deps,
        actor,
        callback_data.person_id,
        unbind=callback_data.action is PersonAction.UNBIND,
        status=callback_data.status,
    )
    if change is None:
        await query.answer(render("access/stale.txt"), show_alert=True)
        return
    if change.changed:
        # Editing the card to the same text is a 400 from Telegram; the toast says it all.
        text = render(
            "registry/person_card.html",
            person=change.person,
            enterprise_name=change.enterprise_name,
        )
        await edit_or_answer(query, text, person_card(change.person))
    await query.answer(render("registry/status_changed.txt", person=change.person))


def create_router() -> Router:
    """The registry use case as a fresh Router (one per Dispatcher)."""
    router = Router(name="registry")
    router.message.register(list_enterprises, Command("enterprises"))
    router.message.register(list_persons, Command("persons"))
    router.callback_query.register(turn_page, ListPage.filter())
    router.message.register(show_person, Command("person"))
    router.message.register(invite_person, Command("invite"))
    router.message.register(invite_all_unbound, Command("invites"))
    router.message.register(unbind_person, Command("unbind"))
    router.callback_query.register(act_on_person, PersonCard.filter())
    return router

"""/promote and /demote: the settings' coordinators grant and take back the coordinator role."""

from __future__ import annotations

import logging
from typing import Any

from aiogram import Bot, Router
from aiogram.filters import Command, CommandObject, Filter
from aiogram.types import Message

from core.clock import Clock
from core.models import Actor, PersonRole, PersonStatus
from core.registry import record_number
from handlers.access import coordinator_only
from handlers.menus import set_chat_menu
from storage import promotions, registry
from storage.database import Database
from templates import render

log = logging.getLogger(__name__)


class FromSettings(Filter):
    """Passes for the coordinators named in settings: only they may change who coordinates,
    so a promoted coordinator cannot promote others or demote the one who promoted them."""

    async def __call__(self, event: Any, actor: Actor, coordinator_ids: frozenset[int]) -> bool:
        return actor.telegram_id in coordinator_ids


async def change_role(
    message: Message,
    command: CommandObject,
    actor: Actor,
    bot: Bot,
    db: Database,
    clock: Clock,
    coordinator_ids: frozenset[int],
) -> None:
    """Promote or demote the person whose id follows the command."""
    promote = command.command == "promote"
    argument = (command.args or "").strip()
    number = record_number(argument)
    if number is None or argument.startswith("#"):
        await message.answer(render("promotions/usage.html", command=command.command))
        return
    role = PersonRole.COORDINATOR if promote else PersonRole.AUTHORIZED
    async with db.transaction() as conn:
        person = await registry.get_person(conn, number)
        if person is None:
            outcome = "not_found"
        elif promote and person.status is PersonStatus.DISMISSED:
            outcome = "dismissed"
        elif person.role is role:
            outcome = "already"
        else:
            person = await promotions.set_role(
                conn, person, role, actor_id=actor.telegram_id, now=clock.now()
            )
            outcome = "done"
    await message.answer(
        render(
            "promotions/result.html",
            promote=promote,
            outcome=outcome,
            person=person,
            in_settings=person is not None and person.telegram_id in coordinator_ids,
        )
    )
    if outcome == "done" and person is not None and person.telegram_id is not None:
        log.info("person %s %s by %s", person.id, role.value, actor.telegram_id)
        menu = "coordinator" if promote or person.telegram_id in coordinator_ids else "person"
        await set_chat_menu(bot, person.telegram_id, menu)


async def refuse_promoted(message: Message) -> None:
    """A coordinator by promotion may not hand the role on."""
    await message.answer(render("promotions/settings_only.html"))


def create_router() -> Router:
    """The promotions use case as a fresh Router (one per Dispatcher)."""
    router = Router(name="promotions")
    router.message.filter(coordinator_only)
    router.message.register(change_role, Command("promote", "demote"), FromSettings())
    router.message.register(refuse_promoted, Command("promote", "demote"))
    return router

"""/promote and /demote: the settings' coordinators grant and take back the coordinator role."""

from __future__ import annotations

from typing import Any

from aiogram import Bot, Router
from aiogram.filters import Command, CommandObject, Filter
from aiogram.types import Message

from core.models import Actor
from core.registry import record_number
from handlers.menus import set_chat_menu
from services import promotions
from services.deps import Deps
from templates import render


class FromSettings(Filter):
    """Passes for the coordinators who may change who coordinates (`services.promotions`)."""

    async def __call__(self, event: Any, actor: Actor, deps: Deps) -> bool:
        return promotions.may_promote(deps, actor)


async def change_role(
    message: Message, command: CommandObject, actor: Actor, bot: Bot, deps: Deps
) -> None:
    """Promote or demote the person whose id follows the command."""
    promote = command.command == "promote"
    argument = (command.args or "").strip()
    number = record_number(argument)
    if number is None or argument.startswith("#"):
        await message.answer(render("promotions/usage.html", command=command.command))
        return
    change = await promotions.change_role(deps, actor, number, promote=promote)
    await message.answer(
        render(
            "promotions/result.html",
            promote=promote,
            outcome=change.outcome.value,
            person=change.person,
            in_settings=change.in_settings,
        )
    )
    if change.chat is not None:
        await set_chat_menu(bot, change.chat, "coordinator" if change.coordinates else "person")


async def refuse_promoted(message: Message) -> None:
    """A coordinator by promotion may not hand the role on."""
    await message.answer(render("promotions/settings_only.html"))


def create_router() -> Router:
    """The promotions use case as a fresh Router (one per Dispatcher)."""
    router = Router(name="promotions")
    router.message.register(change_role, Command("promote", "demote"), FromSettings())
    router.message.register(refuse_promoted, Command("promote", "demote"))
    return router

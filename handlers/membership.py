"""Telegram's news that a person blocked the bot: they are marked unreachable at once, and the
coordinators hear of it the same day instead of at the next reminder that bounces."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import KICKED, ChatMemberUpdatedFilter
from aiogram.types import ChatMemberUpdated

from core.models import Actor
from services import reachability
from services.deps import Deps


async def blocked(event: ChatMemberUpdated, actor: Actor, deps: Deps) -> None:
    """Nothing is sent back: a blocked chat cannot be written to."""
    await reachability.blocked(deps, actor.person)


def create_router() -> Router:
    """The membership use case as a fresh Router (one per Dispatcher)."""
    router = Router(name="membership")
    router.my_chat_member.register(blocked, ChatMemberUpdatedFilter(KICKED))
    return router

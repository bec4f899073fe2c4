"""The last router: strangers get a polite refusal, known users guidance, old buttons no."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery, Message

from core.models import Actor, Role
from handlers.access import HasRole
from handlers.onboarding import person_help
from services.deps import Deps
from templates import render

COORDINATOR_COMMANDS = frozenset(
    {
        "enterprises",
        "persons",
        "person",
        "invite",
        "invites",
        "unbind",
        "plan",
        "planorder",
        "kinds",
        "indicator",
        "backup",
        "round",
        "assign",
        "review",
        "status",
        "summary",
        "remind",
        "circular",
        "circulars",
        "promote",
        "demote",
    }
)


async def refuse_stranger(message: Message, actor: Actor) -> None:
    """Explain how to get access, and nothing else."""
    if actor.person is not None and actor.person.telegram_id == actor.telegram_id:
        await message.answer(render("access/inactive.html", status=actor.person.status))
        return
    await message.answer(render("access/stranger.html"))


async def refuse_stranger_button(query: CallbackQuery) -> None:
    """A stranger pressing a button (an old or forged one) learns nothing."""
    await query.answer(render("access/denied_alert.txt"), show_alert=True)


# The person's own commands; a coordinator who sends one is told whose they are.
PERSON_COMMANDS = frozenset({"report", "history"})
EVERYONES_COMMANDS = frozenset({"start", "help"})


async def guide_known_user(message: Message, actor: Actor, deps: Deps) -> None:
    """A registered user sent something no handler expects: say what is wrong, and a few
    commands to go on with (the whole help is /help)."""
    text = (message.text or "").strip()
    coordinator = actor.role is Role.COORDINATOR
    if not text.startswith("/") and not coordinator:
        await message.answer(await person_help(deps, actor))
        return
    typed = text.split(maxsplit=1)[0] if text.startswith("/") else None
    command = typed.removeprefix("/").split("@")[0] if typed else ""
    if command in COORDINATOR_COMMANDS and not coordinator:
        await message.answer(render("access/coordinator_only.html"))
        return
    own = (COORDINATOR_COMMANDS if coordinator else PERSON_COMMANDS) | EVERYONES_COMMANDS
    await message.answer(
        render(
            "onboarding/unknown.html",
            role=actor.role.value,
            command=typed,
            for_persons=coordinator and command in PERSON_COMMANDS,
            # Commands are case-sensitive: «/Status» names the one meant.
            meant=command.lower() if command.lower() in own - {command} else None,
        )
    )


async def answer_stale_button(query: CallbackQuery) -> None:
    """Buttons nobody handles are old, forged, or not this user's: refuse, change nothing."""
    await query.answer(render("access/stale.txt"), show_alert=True)


def create_router() -> Router:
    """The fallback use case as a fresh Router (one per Dispatcher)."""
    router = Router(name="fallback")
    router.message.register(refuse_stranger, HasRole(Role.STRANGER))
    router.callback_query.register(refuse_stranger_button, HasRole(Role.STRANGER))
    router.message.register(guide_known_user)
    router.callback_query.register(answer_stale_button)
    return router

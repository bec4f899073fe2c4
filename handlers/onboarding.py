"""Onboarding: redeeming a personal invite link, and /start and /help for known users."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from core.invites import InviteOutcome
from core.models import Actor, PersonRole, Role
from handlers.access import HasRole
from handlers.menus import set_chat_menu
from services import onboarding
from services.deps import Deps
from templates import render
from ui.callbacks import InviteMove


async def redeem_invite(
    message: Message, command: CommandObject, actor: Actor, bot: Bot, deps: Deps
) -> None:
    """Bind the sender's account to the person the invite was made for; if a round is open,
    its invitation follows at once."""
    code = (command.args or "").strip()
    redemption = await onboarding.redeem_invite(deps, actor, code)
    if redemption.for_coordinator:
        await message.answer(render("onboarding/invite_for_coordinator.html"))
        return
    await _answer(message, actor, bot, redemption, code)


async def confirm_move(
    query: CallbackQuery, callback_data: InviteMove, actor: Actor, bot: Bot, deps: Deps
) -> None:
    """«Так, прив'язати»: the account leaves its person for the one the invite was made for."""
    await query.answer()
    if not isinstance(query.message, Message):
        return
    code = callback_data.code
    redemption = await onboarding.redeem_invite(deps, actor, code, move=True)
    if not redemption.for_coordinator:
        await _answer(query.message, actor, bot, redemption, code)


async def _answer(
    message: Message, actor: Actor, bot: Bot, redemption: onboarding.Redemption, code: str
) -> None:
    outcome, person, enterprise = redemption.outcome, redemption.person, redemption.enterprise
    if outcome is InviteOutcome.MOVE_ASKED and person is not None:
        await message.answer(
            render(
                "onboarding/move_question.html",
                current=actor.person,
                current_enterprise=actor.enterprise,
                person=person,
                enterprise=enterprise,
            ),
            reply_markup=_move_keyboard(code),
        )
        return
    if outcome is InviteOutcome.ALREADY_BOUND and enterprise is not None:
        await message.answer(
            render("onboarding/already_bound.html", enterprise_name=enterprise.name)
        )
        return
    if outcome is not InviteOutcome.BOUND or person is None:
        await message.answer(render("onboarding/refused.html", outcome=outcome.value))
        return
    if person.role is PersonRole.COORDINATOR:
        await message.answer(render("onboarding/coordinator_bound.html", person=person))
        await set_chat_menu(bot, actor.telegram_id, "coordinator")
        return
    open_round = redemption.open_round
    await message.answer(
        render(
            "onboarding/bound.html",
            person=person,
            enterprise=enterprise,
            period=open_round.period if open_round else None,
        )
    )
    await set_chat_menu(bot, actor.telegram_id, "person")


def _move_keyboard(code: str) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=render("onboarding/buttons.txt", name="move"), callback_data=InviteMove(code=code)
    )
    return builder.as_markup()


async def person_help(deps: Deps, actor: Actor) -> str:
    """Who the person is and what to do next, by where their organisation's report stands:
    no round, an open round not started, being filled, returned, submitted or accepted."""
    found = await onboarding.standing(deps, actor)
    return render(
        "onboarding/person_help.html",
        person=actor.person,
        enterprise=actor.enterprise,
        report=found.report,
        period=found.round.period if found.round else None,
        deadline=found.round.deadline if found.round else None,
    )


async def show_person_help(message: Message, actor: Actor, deps: Deps) -> None:
    """Remind a bound person who they are and what they can do now."""
    await message.answer(await person_help(deps, actor))


async def show_coordinator_help(message: Message) -> None:
    """List the coordinator's commands."""
    await message.answer(render("onboarding/coordinator_help.html"))


def create_router() -> Router:
    """The onboarding use case as a fresh Router (one per Dispatcher)."""
    router = Router(name="onboarding")
    router.message.register(redeem_invite, CommandStart(deep_link=True), F.chat.type == "private")
    router.callback_query.register(confirm_move, InviteMove.filter())
    router.message.register(show_person_help, CommandStart(), HasRole(Role.PERSON))
    router.message.register(show_person_help, Command("help"), HasRole(Role.PERSON))
    router.message.register(show_coordinator_help, CommandStart(), HasRole(Role.COORDINATOR))
    router.message.register(show_coordinator_help, Command("help"), HasRole(Role.COORDINATOR))
    return router

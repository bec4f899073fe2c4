"""What a person types or sends into the questionnaire: a narrative, a number, evidence; and
guidance for what it cannot take (stickers, voice and the like)."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.types import Message

from core.models import Actor
from core.questionnaire import (
    MAX_EVIDENCE_BYTES,
    MAX_NARRATIVE,
    NarrativeProblem,
    narrative_excess,
)
from handlers import questionnaire_window as window
from handlers.onboarding import person_help
from services.deps import Deps
from services.questionnaire_input import (
    Evidence,
    InputProblem,
    NoForm,
    Rejected,
    add_evidence,
    answer_text,
    current_step,
)
from templates import render


async def receive_text(message: Message, actor: Actor, bot: Bot, deps: Deps) -> None:
    """A narrative for the current measure, or a number for the current indicator; the text
    that was saved goes from the chat and shows on the screen instead."""
    text = (message.text or "").strip()
    result = await answer_text(deps, actor, text)
    if isinstance(result, NoForm):
        await message.answer(await person_help(deps, actor))
    elif isinstance(result, Rejected):
        await message.answer(_rejection(result, text))
    else:
        await window.after_input(bot, deps, message, result)


def _rejection(rejected: Rejected, text: str) -> str:
    step = rejected.step.kind if rejected.step else ""
    match rejected.problem:
        case InputProblem.STATUS_FIRST:
            return render("questionnaire/choose_status_first.html")
        case NarrativeProblem.TOO_LONG:
            return render(
                "questionnaire/too_long.html",
                length=len(text),
                limit=MAX_NARRATIVE,
                excess=narrative_excess(text),
            )
        case NarrativeProblem.TOO_THIN:
            return render("questionnaire/narrative_too_thin.html", text=text)
        case InputProblem.NOT_A_NUMBER:
            return render("questionnaire/not_a_number.html", text=text)
        case InputProblem.EVIDENCE_NOT_NOW:
            return render("questionnaire/evidence_not_now.html")
        case InputProblem.EVIDENCE_TOO_LARGE:
            return render(
                "questionnaire/evidence_too_large.html", limit_mb=MAX_EVIDENCE_BYTES >> 20
            )
    return render("questionnaire/wrong_input.html", step=step)  # empty, or not expected here


async def receive_evidence(message: Message, actor: Actor, bot: Bot, deps: Deps) -> None:
    """A document or photo while on a measure: kept as that measure's evidence, and the window
    comes below it."""
    if message.document is not None:
        document = message.document
        name = document.file_name or render("questionnaire/unnamed_document.txt")
        evidence = Evidence(document.file_id, name, document.file_size or 0, "document")
    elif message.photo:
        largest = message.photo[-1]
        name = f"photo-{largest.file_unique_id}.jpg"
        evidence = Evidence(largest.file_id, name, largest.file_size or 0, "photo")
    else:
        return
    result = await add_evidence(deps, actor, evidence)
    if isinstance(result, Rejected):
        await message.answer(_rejection(result, ""))
        return
    await window.replace(bot, deps, message.chat.id, result)


async def reject_other_input(message: Message, actor: Actor, deps: Deps) -> None:
    """Stickers, voice, locations and the like: say what the current step expects."""
    step = await current_step(deps, actor)
    await message.answer(render("questionnaire/wrong_input.html", step=step.kind if step else ""))


def create_router() -> Router:
    """Typed input and files, after the questionnaire's commands and buttons."""
    router = Router(name="questionnaire_input")
    router.message.register(receive_text, F.text & ~F.text.startswith("/"))
    router.message.register(receive_evidence, F.document | F.photo)
    router.message.register(
        reject_other_input,
        F.sticker
        | F.voice
        | F.location
        | F.video
        | F.video_note
        | F.audio
        | F.contact
        | F.animation,
    )
    return router

"""Telegram adapters: Routers only, each turning updates into one use-case call.

The role is checked once, here: every coordinator router sits under one parent that lets
only a coordinator's updates through, every person's router under one for persons, on
every update (the actor is resolved afresh by bot/middlewares.py). Only onboarding, the
membership news and the fallback see everyone, and decide per handler.
"""

from __future__ import annotations

from aiogram import Router

from core.models import Role
from handlers import (
    backup,
    circular_acks,
    circular_tracking,
    circulars,
    errors,
    fallback,
    history,
    membership,
    onboarding,
    plans,
    promotions,
    questionnaire,
    registry,
    reminders,
    report_import,
    review,
    review_queue,
    rounds,
    status,
    summary,
    summary_edit,
    uploads,
)
from handlers.access import HasRole


def get_routers() -> list[Router]:
    """Fresh routers in dispatch order; the fallback takes what others leave, so it is last."""
    return [
        errors.create_router(),
        onboarding.create_router(),
        membership.create_router(),
        _for(
            Role.COORDINATOR,
            registry.create_router(),
            plans.create_router(),
            rounds.create_router(),
            review.create_router(),
            review_queue.create_router(),
            history.create_coordinator_router(),
            status.create_router(),
            summary.create_router(),
            summary_edit.create_router(),
            # Before uploads: while composing a circular, a document is its content.
            circulars.create_router(),
            circular_tracking.create_router(),
            reminders.create_coordinator_router(),
            promotions.create_router(),
            report_import.create_router(),
            uploads.create_router(),
            backup.create_router(),
        ),
        _for(
            Role.PERSON,
            history.create_person_router(),
            questionnaire.create_router(),
            circular_acks.create_router(),
            reminders.create_person_router(),
        ),
        fallback.create_router(),
    ]


def _for(role: Role, *children: Router) -> Router:
    """One parent router that lets through only updates from an actor with this role."""
    parent = Router(name=f"{role.value}s")
    only = HasRole(role)
    parent.message.filter(only)
    parent.callback_query.filter(only)
    parent.include_routers(*children)
    return parent

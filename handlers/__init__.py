"""Telegram adapters: one Router per use case, turning updates into calls on the core."""

from __future__ import annotations

from aiogram import Router

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
    rounds,
    status,
    summary,
    summary_edit,
    uploads,
)


def get_routers() -> list[Router]:
    """Fresh routers in dispatch order; the fallback takes what others leave, so it is last."""
    return [
        errors.create_router(),
        onboarding.create_router(),
        membership.create_router(),
        registry.create_router(),
        plans.create_router(),
        rounds.create_router(),
        review.create_router(),
        history.create_router(),
        questionnaire.create_router(),
        status.create_router(),
        summary.create_router(),
        summary_edit.create_router(),
        # Before uploads: while composing a circular, the coordinator's document is its content.
        circulars.create_router(),
        circular_tracking.create_router(),
        circular_acks.create_router(),
        reminders.create_router(),
        promotions.create_router(),
        report_import.create_router(),
        uploads.create_router(),
        backup.create_router(),
        fallback.create_router(),
    ]

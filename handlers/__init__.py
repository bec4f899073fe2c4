"""Telegram adapters: one Router per use case, turning updates into calls on the core."""

from __future__ import annotations

from aiogram import Router

from handlers import errors, fallback, onboarding, plans, registry, uploads


def get_routers() -> list[Router]:
    """Fresh routers in dispatch order; the fallback takes what others leave, so it is last."""
    return [
        errors.create_router(),
        onboarding.create_router(),
        registry.create_router(),
        plans.create_router(),
        uploads.create_router(),
        fallback.create_router(),
    ]

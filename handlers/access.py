"""The role filter: handlers/__init__.py puts every router under its role's parent with it."""

from __future__ import annotations

from typing import Any

from aiogram.filters import Filter

from core.models import Actor, Role


class HasRole(Filter):
    """Passes when the actor resolved for this update has one of the roles."""

    def __init__(self, *roles: Role) -> None:
        self.roles = frozenset(roles)

    async def __call__(self, event: Any, actor: Actor | None = None) -> bool:
        return actor is not None and actor.role in self.roles

"""Role filters: every router declares who may reach it, checked on every update."""

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


coordinator_only = HasRole(Role.COORDINATOR)
person_only = HasRole(Role.PERSON)

"""/promote and /demote as use cases: who may change who coordinates, and the change itself."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum

from core.coordinators import is_coordinator, may_change_roles
from core.models import Actor, Person, PersonRole, PersonStatus
from services.deps import Deps
from storage import promotions, registry

log = logging.getLogger(__name__)


class RoleOutcome(StrEnum):
    NOT_FOUND = "not_found"
    DISMISSED = "dismissed"  # a dismissed person is never promoted
    ALREADY = "already"  # the person has the role asked for: nothing changed
    DONE = "done"


@dataclass(frozen=True, slots=True)
class RoleChange:
    """What /promote or /demote came to, and the person as they are now."""

    outcome: RoleOutcome
    person: Person | None = None
    in_settings: bool = False  # the person's account is a coordinator by settings, whatever the DB
    chat: int | None = None  # the chat whose menu changes: a changed, bound person's
    coordinates: bool = False  # whether that chat's account coordinates now


def may_promote(deps: Deps, actor: Actor) -> bool:
    """Whether the actor may promote and demote (`core.coordinators.may_change_roles`)."""
    return may_change_roles(actor.telegram_id, deps.coordinator_ids)


async def change_role(deps: Deps, actor: Actor, person_id: int, *, promote: bool) -> RoleChange:
    """Give the person the coordinator role, or take it back; audited with who did it."""
    role = PersonRole.COORDINATOR if promote else PersonRole.AUTHORIZED
    async with deps.db.transaction() as conn:
        person = await registry.get_person(conn, person_id)
        if person is None:
            return RoleChange(RoleOutcome.NOT_FOUND)
        if promote and person.status is PersonStatus.DISMISSED:
            outcome = RoleOutcome.DISMISSED
        elif person.role is role:
            outcome = RoleOutcome.ALREADY
        else:
            person = await promotions.set_role(
                conn, person, role, actor_id=actor.telegram_id, now=deps.now()
            )
            outcome = RoleOutcome.DONE
    chat = person.telegram_id
    in_settings = chat is not None and chat in deps.coordinator_ids
    if outcome is not RoleOutcome.DONE or chat is None:
        return RoleChange(outcome, person, in_settings)
    log.info("person %s %s by %s", person.id, role.value, actor.telegram_id)
    return RoleChange(
        outcome, person, in_settings, chat, is_coordinator(chat, person, deps.coordinator_ids)
    )

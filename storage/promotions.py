"""Coordinators recorded in the DB: promoting and demoting a person, audited, and who they are."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import aiosqlite

from core.models import Person, PersonRole
from storage import audit, registry
from storage.codec import ts
from storage.database import fetch_all


async def set_role(
    conn: aiosqlite.Connection,
    person: Person,
    role: PersonRole,
    *,
    actor_id: int,
    now: datetime,
) -> Person:
    """Give the person a role; the audit entry says who did it, and what it was before."""
    return await audit.updated(
        conn,
        "UPDATE persons SET role = ?, updated_at = ? WHERE id = ?",
        (role.value, ts(now), person.id),
        before=person,
        reread=registry.get_person,
        action="person.promote" if role is PersonRole.COORDINATOR else "person.demote",
        entity="person",
        actor_id=actor_id,
        now=now,
    )


async def notified_coordinators(
    conn: aiosqlite.Connection, configured: Iterable[int]
) -> list[int]:
    """Every coordinator chat to notify: those in settings and those promoted in the DB."""
    return sorted(chat for chat, _ in await coordinators(conn, configured))


async def coordinators(
    conn: aiosqlite.Connection, configured: Iterable[int]
) -> list[tuple[int, int | None]]:
    """(chat, person id) of every coordinator by `core.coordinators.is_coordinator`: those in
    settings (with the person id of a promoted person bound to that chat), then every bound
    person who coordinates (`Person.coordinates`)."""
    rows = await fetch_all(
        conn,
        "SELECT * FROM persons WHERE telegram_id IS NOT NULL AND role = ? ORDER BY id",
        (PersonRole.COORDINATOR.value,),
    )
    chats: dict[int, int | None] = dict.fromkeys(sorted(configured))
    for person in map(registry.person_from_row, rows):
        if person.coordinates and person.telegram_id is not None:
            chats[person.telegram_id] = person.id
    return list(chats.items())

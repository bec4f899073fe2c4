"""Enterprises and authorized persons: reads, idempotent import, status and binding changes."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from core.kinds import normalise_word
from core.models import Enterprise, EnterpriseKind, Person, PersonRole, PersonStatus
from core.registry import EnterpriseRecord, ImportOutcome, PersonRecord, RegistrySheet
from storage import audit
from storage.codec import Row, ts
from storage.database import fetch_all, fetch_one
from storage.json_rows import json_object_sql, one


def enterprise_from_row(row: Row) -> Enterprise:
    return Enterprise(
        id=row["id"],
        edrpou=row["edrpou"],
        name=row["name"],
        short_name=row["short_name"],
        kind=EnterpriseKind(row["kind"]),
        supervisor=row["supervisor"],
        active=bool(row["active"]),
    )


def person_from_row(row: Row) -> Person:
    return Person(
        id=row["id"],
        enterprise_id=row["enterprise_id"],
        full_name=row["full_name"],
        position=row["position"],
        phone=row["phone"],
        email=row["email"],
        telegram_id=row["telegram_id"],
        status=PersonStatus(row["status"]),
        role=PersonRole(row["role"]),
        unreachable=bool(row["unreachable"]),
    )


async def get_enterprise(conn: aiosqlite.Connection, enterprise_id: int) -> Enterprise | None:
    row = await fetch_one(conn, "SELECT * FROM enterprises WHERE id = ?", (enterprise_id,))
    return enterprise_from_row(row) if row else None


async def enterprise_by_edrpou(conn: aiosqlite.Connection, code: str) -> Enterprise | None:
    row = await fetch_one(conn, "SELECT * FROM enterprises WHERE edrpou = ?", (code,))
    return enterprise_from_row(row) if row else None


async def list_enterprises(
    conn: aiosqlite.Connection, *, active_only: bool = False, search: str = ""
) -> list[Enterprise]:
    """Enterprises in registry order; search matches name, short name or code, any case.

    Searching happens in Python: SQLite's LIKE folds case for ASCII only, not for Cyrillic.
    """
    rows = await fetch_all(conn, "SELECT * FROM enterprises ORDER BY position, id")
    found = [enterprise_from_row(row) for row in rows]
    if active_only:
        found = [e for e in found if e.active]
    needle = normalise_word(search)
    if needle:
        found = [
            e
            for e in found
            if needle in normalise_word(e.name)
            or needle in normalise_word(e.short_name)
            or needle in e.edrpou
        ]
    return found


async def get_person(conn: aiosqlite.Connection, person_id: int) -> Person | None:
    row = await fetch_one(conn, "SELECT * FROM persons WHERE id = ?", (person_id,))
    return person_from_row(row) if row else None


async def person_by_telegram(conn: aiosqlite.Connection, telegram_id: int) -> Person | None:
    row = await fetch_one(conn, "SELECT * FROM persons WHERE telegram_id = ?", (telegram_id,))
    return person_from_row(row) if row else None


async def person_with_enterprise(
    conn: aiosqlite.Connection, telegram_id: int
) -> tuple[Person | None, Enterprise | None]:
    """Whoever has this Telegram id, with their organisation, in one statement."""
    enterprise = await json_object_sql(conn, "enterprises", "e")
    row = await fetch_one(
        conn,
        f"SELECT p.*, (SELECT {enterprise} FROM enterprises e WHERE e.id = p.enterprise_id)"  # noqa: S608
        " AS enterprise_json FROM persons p WHERE p.telegram_id = ?",
        (telegram_id,),
    )
    if row is None:
        return None, None
    packed = one(row["enterprise_json"])
    return person_from_row(row), enterprise_from_row(packed) if packed is not None else None


async def persons_of(conn: aiosqlite.Connection, enterprise_id: int) -> list[Person]:
    rows = await fetch_all(
        conn, "SELECT * FROM persons WHERE enterprise_id = ? ORDER BY id", (enterprise_id,)
    )
    return [person_from_row(row) for row in rows]


async def list_persons(
    conn: aiosqlite.Connection, *, search: str = "", unbound_only: bool = False
) -> list[Person]:
    """Persons in registry order of their enterprises; search matches name or enterprise."""
    rows = await fetch_all(
        conn,
        "SELECT p.*, e.name AS e_name, e.short_name AS e_short FROM persons p"
        " LEFT JOIN enterprises e ON e.id = p.enterprise_id"
        " ORDER BY e.position, e.id, p.id",
    )
    needle = normalise_word(search)
    found = []
    for row in rows:
        person = person_from_row(row)
        if unbound_only and (person.telegram_id is not None or person.status.value == "dismissed"):
            continue
        texts = (row["full_name"], row["e_name"] or "", row["e_short"] or "")
        haystack = " ".join(normalise_word(text) for text in texts)
        if needle and needle not in haystack:
            continue
        found.append(person)
    return found


async def import_sheet(
    conn: aiosqlite.Connection, sheet: RegistrySheet, *, actor_id: int | None, now: datetime
) -> ImportOutcome:
    """Apply a parsed sheet: create or update by ЄДРПОУ; call inside one transaction."""
    outcome = ImportOutcome(rejected=list(sheet.rejected))
    applied: dict[str, Enterprise] = {}  # a second row of one organisation adds a person only
    for row in sheet.rows:
        enterprise = applied.get(row.enterprise.edrpou)
        if enterprise is None:
            enterprise = applied[row.enterprise.edrpou] = await _apply_enterprise(
                conn, row.enterprise, outcome, actor_id=actor_id, now=now
            )
        if row.person is not None:
            change = await _upsert_person(conn, enterprise.id, row.person, actor_id, now)
            if change == "created":
                outcome.persons_created += 1
            elif change == "updated":
                outcome.persons_updated += 1
    return outcome


async def _apply_enterprise(
    conn: aiosqlite.Connection,
    record: EnterpriseRecord,
    outcome: ImportOutcome,
    *,
    actor_id: int | None,
    now: datetime,
) -> Enterprise:
    """Create the organisation (last in registry order) or update it by ЄДРПОУ, audited and
    counted in ``outcome``."""
    existing = await enterprise_by_edrpou(conn, record.edrpou)
    if existing is None:
        enterprise = await _create_enterprise(conn, record, await _next_position(conn), now)
        outcome.created += 1
        await audit.record(
            conn,
            at=now,
            actor_id=actor_id,
            action="enterprise.create",
            entity="enterprise",
            entity_id=enterprise.id,
            after=enterprise,
        )
    elif _same_enterprise(existing, record):
        enterprise = existing
        outcome.unchanged += 1
    else:
        enterprise = await _update_enterprise(conn, existing, record, actor_id=actor_id, now=now)
        outcome.updated += 1
    return enterprise


async def _next_position(conn: aiosqlite.Connection) -> int:
    row = await fetch_one(conn, "SELECT COALESCE(MAX(position), 0) + 1 FROM enterprises", ())
    return int(row[0]) if row else 1


async def _create_enterprise(
    conn: aiosqlite.Connection, record: EnterpriseRecord, position: int, now: datetime
) -> Enterprise:
    cursor = await conn.execute(
        "INSERT INTO enterprises"
        " (edrpou, name, short_name, kind, supervisor, active, position, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            record.edrpou,
            record.name,
            record.short_name,
            record.kind.value,
            record.supervisor,
            int(record.active),
            position,
            ts(now),
            ts(now),
        ),
    )
    created = await get_enterprise(conn, int(cursor.lastrowid or 0))
    assert created is not None
    return created


def _same_enterprise(existing: Enterprise, record: EnterpriseRecord) -> bool:
    """Whether the sheet's row says what the registry already holds."""
    fields = (record.name, record.short_name, record.kind, record.supervisor, record.active)
    held = (existing.name, existing.short_name, existing.kind, existing.supervisor)
    return (*held, existing.active) == fields


async def _update_enterprise(
    conn: aiosqlite.Connection,
    existing: Enterprise,
    record: EnterpriseRecord,
    *,
    actor_id: int | None,
    now: datetime,
) -> Enterprise:
    return await audit.updated(
        conn,
        "UPDATE enterprises SET name = ?, short_name = ?, kind = ?, supervisor = ?, active = ?,"
        " updated_at = ? WHERE id = ?",
        (
            record.name,
            record.short_name,
            record.kind.value,
            record.supervisor,
            int(record.active),
            ts(now),
            existing.id,
        ),
        before=existing,
        reread=get_enterprise,
        action="enterprise.update",
        entity="enterprise",
        actor_id=actor_id,
        now=now,
    )


async def _upsert_person(
    conn: aiosqlite.Connection,
    enterprise_id: int,
    record: PersonRecord,
    actor_id: int | None,
    now: datetime,
) -> str:
    """Match a person by enterprise and name; a new name is a new person (the old stays)."""
    for person in await persons_of(conn, enterprise_id):
        if normalise_word(person.full_name) != normalise_word(record.full_name):
            continue
        fields = (record.position, record.phone, record.email)
        if (person.position, person.phone, person.email) == fields:
            return "unchanged"
        await audit.updated(
            conn,
            "UPDATE persons SET position = ?, phone = ?, email = ?, updated_at = ? WHERE id = ?",
            (*fields, ts(now), person.id),
            before=person,
            reread=get_person,
            action="person.update",
            entity="person",
            actor_id=actor_id,
            now=now,
        )
        return "updated"
    cursor = await conn.execute(
        "INSERT INTO persons (enterprise_id, full_name, position, phone, email, created_at,"
        " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            enterprise_id,
            record.full_name,
            record.position,
            record.phone,
            record.email,
            ts(now),
            ts(now),
        ),
    )
    created = await get_person(conn, int(cursor.lastrowid or 0))
    await audit.record(
        conn,
        at=now,
        actor_id=actor_id,
        action="person.create",
        entity="person",
        entity_id=created.id if created else None,
        after=created,
    )
    return "created"


async def set_person_status(
    conn: aiosqlite.Connection,
    person: Person,
    status: PersonStatus,
    *,
    actor_id: int | None,
    now: datetime,
) -> Person:
    return await audit.updated(
        conn,
        "UPDATE persons SET status = ?, updated_at = ? WHERE id = ?",
        (status.value, ts(now), person.id),
        before=person,
        reread=get_person,
        action="person.status",
        entity="person",
        actor_id=actor_id,
        now=now,
    )


async def bind_person(
    conn: aiosqlite.Connection, person: Person, telegram_id: int, *, now: datetime
) -> Person:
    """Attach a Telegram account; one bound elsewhere moves here (one account, one person)."""
    previous = await person_by_telegram(conn, telegram_id)
    if previous is not None and previous.id != person.id:
        await unbind_person(conn, previous, actor_id=telegram_id, now=now)
    return await audit.updated(
        conn,
        "UPDATE persons SET telegram_id = ?, bound_at = ?, unreachable = 0, updated_at = ?"
        " WHERE id = ?",
        (telegram_id, ts(now), ts(now), person.id),
        before=person,
        reread=get_person,
        action="person.bind",
        entity="person",
        actor_id=telegram_id,
        now=now,
    )


async def unbind_person(
    conn: aiosqlite.Connection, person: Person, *, actor_id: int | None, now: datetime
) -> Person:
    await conn.execute(
        "UPDATE invites SET revoked_at = ? WHERE person_id = ? AND used_at IS NULL"
        " AND revoked_at IS NULL",
        (ts(now), person.id),
    )
    return await audit.updated(
        conn,
        "UPDATE persons SET telegram_id = NULL, bound_at = NULL, updated_at = ? WHERE id = ?",
        (ts(now), person.id),
        before=person,
        reread=get_person,
        action="person.unbind",
        entity="person",
        actor_id=actor_id,
        now=now,
    )


async def mark_unreachable(
    conn: aiosqlite.Connection,
    person: Person,
    *,
    unreachable: bool,
    actor_id: int | None,
    now: datetime,
) -> Person:
    """Whether messages reach the person's chat (False once they blocked the bot), audited."""
    return await audit.updated(
        conn,
        "UPDATE persons SET unreachable = ?, updated_at = ? WHERE id = ?",
        (int(unreachable), ts(now), person.id),
        before=person,
        reread=get_person,
        action="person.unreachable" if unreachable else "person.reachable",
        entity="person",
        actor_id=actor_id,
        now=now,
    )

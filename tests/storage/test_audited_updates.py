"""storage.audit.updated: every "UPDATE, read again, audit" change records both states."""

from datetime import UTC, datetime, timedelta

from core.models import PersonStatus
from demo.registry_data import registry_csv
from reports.registry_reader import read_registry
from storage import audit, invites, registry
from storage.database import Database

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


async def test_a_status_change_returns_the_row_as_stored_and_audits_before_and_after(
    db: Database,
) -> None:
    async with db.transaction() as conn:
        await registry.import_sheet(
            conn, read_registry("r.csv", registry_csv()), actor_id=1, now=NOW
        )
        person = (await registry.list_persons(conn))[0]
        after = await registry.set_person_status(
            conn, person, PersonStatus.ON_LEAVE, actor_id=7, now=NOW
        )
        stored = await registry.get_person(conn, person.id)
        entries = await audit.entries(conn, entity="person", entity_id=person.id)
    assert after == stored and after.status is PersonStatus.ON_LEAVE
    last = entries[-1]
    assert (last.action, last.actor_id, last.entity_id) == ("person.status", 7, person.id)
    assert last.before is not None and last.before["status"] == "active"
    assert last.after is not None and last.after["status"] == "on_leave"


async def test_unbinding_revokes_live_invites_and_audits_the_detached_account(
    db: Database,
) -> None:
    async with db.transaction() as conn:
        await registry.import_sheet(
            conn, read_registry("r.csv", registry_csv()), actor_id=1, now=NOW
        )
        person = await registry.bind_person(
            conn, (await registry.list_persons(conn))[0], 5001, now=NOW
        )
        await invites.create_invite(
            conn, person, "code", ttl=timedelta(days=7), actor_id=1, now=NOW
        )
        after = await registry.unbind_person(conn, person, actor_id=7, now=NOW)
        live = await invites.has_live_invite(conn, person.id, NOW)
        last = (await audit.entries(conn, entity="person", entity_id=person.id))[-1]
    assert after.telegram_id is None and not live
    assert last.action == "person.unbind"
    assert last.before is not None and last.before["telegram_id"] == 5001
    assert last.after is not None and last.after["telegram_id"] is None

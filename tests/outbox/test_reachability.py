"""Quarter's edges, case 19: «once a day» for the unreachable notice is the council's day."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from demo.registry_data import registry_csv
from reports.registry_reader import read_registry
from services.reachability import mark_unreachable
from storage import registry
from storage.database import Database, fetch_all

KYIV = ZoneInfo("Europe/Kyiv")
COORDINATOR = 900_001


async def test_two_blocks_in_one_kyiv_night_tell_the_coordinator_once(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "bot.sqlite3")
    try:
        late = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)  # 01:30 on 2 March in Kyiv
        later = datetime(2026, 3, 2, 0, 30, tzinfo=UTC)  # 02:30, the same Kyiv day
        async with db.transaction() as conn:
            sheet = read_registry("registry.csv", registry_csv())
            await registry.import_sheet(conn, sheet, actor_id=None, now=late)
            await mark_unreachable(conn, 1, late, [COORDINATOR], KYIV)
            person = await registry.get_person(conn, 1)
            assert person is not None
            await registry.mark_unreachable(
                conn, person, unreachable=False, actor_id=None, now=late
            )
            await mark_unreachable(conn, 1, later, [COORDINATOR], KYIV)
        async with db.reading() as conn:
            rows = await fetch_all(conn, "SELECT dedupe_key FROM outbox", ())
        assert [r["dedupe_key"] for r in rows] == [f"unreachable:1:2026-03-02:{COORDINATOR}"]
    finally:
        await db.close()

from pathlib import Path

from storage.database import Database, migrations


async def test_migrations_set_the_schema_version(db: Database) -> None:
    assert await db.schema_version() == len(migrations())


async def test_applying_migrations_twice_is_a_no_op(tmp_path: Path) -> None:
    path = tmp_path / "twice.sqlite3"
    first = await Database.open(path)
    async with first.transaction() as conn:
        await conn.execute(
            "INSERT INTO audit_log (at, action, entity) VALUES (?, 'x', 'y')",
            ("2026-01-01T00:00:00+00:00",),
        )
    version = await first.schema_version()
    assert await first.migrate() == version
    await first.close()

    second = await Database.open(path)
    assert await second.schema_version() == version
    async with second.reading() as conn:
        async with conn.execute("SELECT COUNT(*) FROM audit_log") as cursor:
            row = await cursor.fetchone()
    assert row is not None and row[0] == 1
    await second.close()


async def test_pragmas_are_production_settings(db: Database) -> None:
    async with db.reading() as conn:
        values = {}
        for pragma in ("journal_mode", "foreign_keys", "busy_timeout"):
            async with conn.execute(f"PRAGMA {pragma}") as cursor:
                row = await cursor.fetchone()
                assert row is not None
                values[pragma] = row[0]
    assert values == {"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": 10000}

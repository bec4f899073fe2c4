"""The answer write path: answers committed per second, and what each pragma choice costs.

Each answer is what the questionnaire commits: one `Database.transaction()` (BEGIN IMMEDIATE)
holding `save_status` or `save_narrative`, committed before the next one starts.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bench.common import Section, fmt, percentile, publish
from bench.fictional import narrative, plan_draft
from core.clock import ManualClock
from core.models import MeasureStatus, Report
from core.periods import Period
from demo.registry_data import registry_csv
from reports.indicator_reader import default_indicators
from reports.registry_reader import read_registry
from storage import answers as answer_rows
from storage import plans, registry, reporting
from storage import rounds as round_rows
from storage.database import Database, fetch_all, fetch_one

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
STATUSES = (MeasureStatus.DONE, MeasureStatus.IN_PROGRESS, MeasureStatus.NOT_DONE)


@dataclass(frozen=True)
class Config:
    label: str
    journal: str
    synchronous: str
    note: str


CONFIGS = (
    Config("WAL + NORMAL", "wal", "NORMAL", "production"),
    Config("WAL + FULL", "wal", "FULL", "fsync of the WAL at every commit"),
    Config("WAL + OFF", "wal", "OFF", "reference only: no fsync at all"),
    Config("DELETE + FULL", "delete", "FULL", "SQLite's default rollback journal"),
)


@dataclass
class Result:
    config: Config
    writers: int
    commits: int
    seconds: float
    latencies: list[float]
    rows: int

    @property
    def rate(self) -> float:
        return self.commits / self.seconds


async def prepared(path: Path, config: Config) -> tuple[Database, list[Report], list[int]]:
    """The production Database, then the one pragma this configuration changes."""
    db = await Database.open(path)
    # Database.open sets WAL and NORMAL; the pragmas are connection settings that SQLite
    # refuses inside a transaction, so they are set on the connection itself.
    await db._conn.execute(f"PRAGMA journal_mode={config.journal}")
    await db._conn.execute(f"PRAGMA synchronous={config.synchronous}")
    clock = ManualClock(START)
    async with db.transaction() as conn:
        sheet = read_registry("registry.csv", registry_csv())
        await registry.import_sheet(conn, sheet, actor_id=None, now=clock.now())
        plan = await plans.save_plan(
            conn, plan_draft(), years=(2026, 2026), indicators=default_indicators()[:3],
            source_name="bench", actor_id=None, now=clock.now(),
        )  # fmt: skip
        enterprises = await registry.list_enterprises(conn, active_only=True)
        round_ = await round_rows.open_round(
            conn, plan_id=plan.id, period=Period.quarter(2026, 1), deadline=date(2026, 4, 10),
            enterprise_ids=[e.id for e in enterprises], actor_id=None, now=clock.now(),
        )  # fmt: skip
        assert round_ is not None
        reports = await reporting.reports_of_round(conn, round_.id)
        measure_ids = [m.id for m in await plans.measures(conn, plan.id)]
    return db, reports, measure_ids


async def write(
    db: Database, reports: list[Report], measure_ids: list[int], count: int, writers: int
) -> tuple[float, list[float]]:
    """`writers` persons answering at once, `count` answers in all; each one committed."""
    rng = random.Random(7)
    texts = [narrative(rng) for _ in range(64)]
    latencies: list[float] = []

    async def person(index: int) -> None:
        report = reports[index % len(reports)]
        for k in range(index, count, writers):
            measure = measure_ids[(k // writers) % len(measure_ids)]
            now = START + timedelta(seconds=k)
            t0 = time.perf_counter()
            async with db.transaction() as conn:
                if k % 2 == 0:
                    await answer_rows.save_status(
                        conn, report, measure, STATUSES[k % 3], person_id=1, now=now
                    )
                else:
                    await answer_rows.save_narrative(
                        conn, report, measure, texts[k % len(texts)], person_id=1, now=now
                    )
            latencies.append(time.perf_counter() - t0)

    began = time.perf_counter()
    await asyncio.gather(*(person(i) for i in range(writers)))
    return time.perf_counter() - began, sorted(latencies)


async def measure_config(config: Config, count: int, writers: int) -> Result:
    with tempfile.TemporaryDirectory(prefix="zvitbot-write-", dir=bench_dir()) as tmp:
        db, reports, measure_ids = await prepared(Path(tmp) / "bench.sqlite3", config)
        try:
            async with db.reading() as conn:
                mode = await fetch_one(conn, "PRAGMA journal_mode")
                sync = await fetch_one(conn, "PRAGMA synchronous")
            assert mode is not None and mode[0] == config.journal, mode
            expected_sync = {"OFF": 0, "NORMAL": 1, "FULL": 2}[config.synchronous]
            assert sync is not None and sync[0] == expected_sync, sync
            await write(db, reports, measure_ids, min(100, count // 2), writers)  # warm-up
            seconds, latencies = await write(db, reports, measure_ids, count, writers)
            async with db.reading() as conn:
                rows = await fetch_all(conn, "SELECT COUNT(*) FROM answers")
        finally:
            await db.close()
    return Result(config, writers, count, seconds, latencies, int(rows[0][0]))


def bench_dir() -> str | None:
    """Where the database files go: BENCH_DIR if set, else the temp dir (not tmpfs here)."""
    return os.environ.get("BENCH_DIR")


def filesystem_of(path: str) -> str:
    try:
        best = ("", "?")
        for line in Path("/proc/mounts").read_text(encoding="utf-8").splitlines():
            _, mount, kind, *_ = line.split()
            if path.startswith(mount) and len(mount) > len(best[0]):
                best = (mount, kind)
        return f"{best[1]} at {best[0]}"
    except OSError:
        return "unknown"


def run(*, smoke: bool = False, record: bool = True) -> Section:
    count = 60 if smoke else 1_000
    load = os.getloadavg()[0]
    results = []
    for writers in (1, 12):
        for config in CONFIGS:
            results.append(asyncio.run(measure_config(config, count, writers)))
    where = bench_dir() or tempfile.gettempdir()
    section = Section(
        "Answer write path: commits per second and the cost of each pragma",
        setup=[
            f"{count} answers per run (after 100 warm-up), alternating `save_status` and "
            "`save_narrative` (300–800 characters), each in its own `Database.transaction()`; "
            "1 writer, then 12 persons writing at once (the asyncio lock serialises them)",
            f"database files in {where} ({filesystem_of(os.path.realpath(where))}); "
            f"1-min load average {load:.1f} at start",
            "the production `Database.open` (WAL, synchronous=NORMAL, foreign keys, "
            "busy_timeout), then only `journal_mode`/`synchronous` changed per row",
        ],
    )
    ms = 1000.0
    base = {r.writers: r.rate for r in results if r.config is CONFIGS[0]}
    section.table(
        ["journal + synchronous", "writers", "commits/s", "vs production", "p50 ms", "p99 ms",
         "note"],
        [
            [
                r.config.label,
                r.writers,
                fmt(r.rate, 0),
                f"{r.rate / base[r.writers]:.2f}×",
                fmt(percentile(r.latencies, 50) * ms, 2),
                fmt(percentile(r.latencies, 99) * ms, 2),
                r.config.note,
            ]
            for r in results
        ],
    )  # fmt: skip
    publish(section, record=record)
    return section


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="tiny N, nothing recorded")
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args(argv)
    run(smoke=args.smoke, record=not (args.smoke or args.no_record))


if __name__ == "__main__":
    main()

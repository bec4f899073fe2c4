"""Update throughput: the full bot (A) against a bare aiogram echo bot (B) and against B3 (A's
own updates and Bot API calls with one committed write and no reads, `bench.replay`).

Every dispatcher gets the same stream shape: an Update parsed from a dict (as polling would),
then `Dispatcher.feed_update`, over the same fake session (`bench.fake_telegram`), which
answers like Telegram and sends nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import random
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from aiogram import Bot, Dispatcher, F, Router
from aiogram.types import Message, Update

from bench.common import Section, fmt, percentile, publish
from bench.fake_telegram import (
    START,
    TOKEN,
    USER_ID,
    FakeSession,
    button_update,
    fake_bot,
    text_update,
)
from bench.fictional import narrative, plan_draft
from bench.replay import Recorded, Replay
from bot.app import create_dispatcher
from core.clock import ManualClock
from core.models import MeasureStatus
from core.periods import Period
from demo.registry_data import registry_csv
from demo.runtime import emulated_settings
from reports.indicator_reader import default_indicators
from reports.registry_reader import read_registry
from storage import answers as answer_rows
from storage import plans, positions, registry
from storage import rounds as round_rows
from storage.database import Database, fetch_one
from ui.callbacks import Q, QAction

COORDINATOR_ID = 900001
PERSON_ID = 1  # Олена (USER_ID in Telegram), КП «Міськводоканал» in the demo registry
STATUSES = (MeasureStatus.DONE, MeasureStatus.IN_PROGRESS, MeasureStatus.NOT_DONE)


# --- The two configurations -------------------------------------------------------------------


@dataclass
class FullBot:
    """Configuration A: create_dispatcher on a real SQLite file, a person mid-questionnaire."""

    dispatcher: Dispatcher
    bot: Bot
    session: FakeSession
    db: Database
    report_id: int
    measure_ids: list[int]
    live_message: int
    texts: list[str]
    user_message: int = 1000
    window: int = 1  # the live window's token, as set up in `build`

    @classmethod
    async def build(cls, directory: Path) -> FullBot:
        clock = ManualClock(START)
        db_path = directory / "bench.sqlite3"
        db = await Database.open(db_path)
        now = clock.now()
        async with db.transaction() as conn:
            sheet = read_registry("registry.csv", registry_csv())
            await registry.import_sheet(conn, sheet, actor_id=None, now=now)
            plan = await plans.save_plan(
                conn,
                plan_draft(),
                years=(2026, 2026),
                indicators=default_indicators()[:3],
                source_name="bench",
                actor_id=None,
                now=now,
            )
            enterprises = await registry.list_enterprises(conn, active_only=True)
            round_ = await round_rows.open_round(
                conn,
                plan_id=plan.id,
                period=Period.quarter(2026, 1),
                deadline=datetime(2026, 4, 10).date(),
                enterprise_ids=[e.id for e in enterprises],
                actor_id=COORDINATOR_ID,
                now=now,
            )
            assert round_ is not None
            person = await registry.get_person(conn, PERSON_ID)
            assert person is not None and person.enterprise_id is not None
            await registry.bind_person(conn, person, USER_ID, now=now)
            row = await fetch_one(
                conn,
                "SELECT id FROM reports WHERE round_id = ? AND enterprise_id = ?",
                (round_.id, person.enterprise_id),
            )
            assert row is not None
            report_id = int(row["id"])
            measure_ids = [m.id for m in await plans.measures(conn, plan.id)]
            await positions.set_position(
                conn, PERSON_ID, report_id, f"m:{measure_ids[0]}", screen=1, message_id=1, now=now
            )
        settings = emulated_settings("http://127.0.0.1:9", db_path, TOKEN, [COORDINATOR_ID])
        bot, session = fake_bot()
        session.start_ids_at(USER_ID, 2)
        dispatcher = create_dispatcher(
            db=db, clock=clock, settings=settings, bot_username="zvitbot_bench_bot"
        )
        rng = random.Random(20260302)
        texts = [narrative(rng) for _ in range(256)]
        return cls(dispatcher, bot, session, db, report_id, measure_ids, 1, texts)

    def update(self, k: int) -> dict[str, Any]:
        """Even k: a status button on the live message; odd k: the narrative for that measure."""
        pair = k // 2
        if k % 2 == 0:
            measure = self.measure_ids[pair % len(self.measure_ids)]
            status = STATUSES[pair % len(STATUSES)]
            data = Q(
                action=QAction.STATUS,
                report_id=self.report_id,
                ref=measure,
                status=status,
                screen=self.window,
            ).pack()
            return button_update(k + 1, self.live_message, data)
        self.user_message += 1
        return text_update(k + 1, self.user_message, self.texts[pair % len(self.texts)])

    def after(self, k: int) -> None:
        """Every answer moves the one live window on: press its buttons next."""
        self.live_message = self.session.last_sent.get(USER_ID, self.live_message)
        self.window = self.session.last_window.get(USER_ID, self.window)

    async def between(self, k: int) -> None:
        """Untimed: after a pass over every measure the person starts the same form afresh
        (its answers cleared, the live window back on the first measure), so each pass is the
        first filling-in that a status press and a narrative make, not a refused press."""
        if k == 0 or k % (2 * len(self.measure_ids)):
            return
        async with self.db.transaction() as conn:
            await conn.execute("DELETE FROM answers WHERE report_id = ?", (self.report_id,))
            await positions.set_position(
                conn, PERSON_ID, self.report_id, f"m:{self.measure_ids[0]}",
                screen=self.window, message_id=self.live_message, now=START,
            )  # fmt: skip

    async def check(self) -> str:
        """The run was the intended one: no refusals, every measure answered with a text."""
        async with self.db.reading() as conn:
            answers = await answer_rows.answers_of(conn, self.report_id)
        complete = sum(1 for a in answers.values() if a.status and a.narrative)
        if self.session.alerts:
            raise RuntimeError(f"{self.session.alerts} button presses were refused: bench invalid")
        return f"{complete} of {len(self.measure_ids)} measures answered"

    async def close(self) -> None:
        await self.db.close()


@dataclass
class EchoBot:
    """Configuration B: one router, one message handler answering the text."""

    dispatcher: Dispatcher
    bot: Bot
    session: FakeSession
    texts: list[str]

    @classmethod
    def build(cls) -> EchoBot:
        router = Router(name="echo")

        async def echo(message: Message) -> None:
            """Answer the text back."""
            await message.answer(message.text or "")

        router.message.register(echo, F.text)
        dispatcher = Dispatcher()
        dispatcher.include_router(router)
        bot, session = fake_bot()
        rng = random.Random(20260302)
        return cls(dispatcher, bot, session, [narrative(rng) for _ in range(256)])

    def update(self, k: int) -> dict[str, Any]:
        return text_update(k + 1, 1000 + k, self.texts[(k // 2) % len(self.texts)])

    def after(self, k: int) -> None:
        return None

    async def between(self, k: int) -> None:
        return None


@dataclass
class Run:
    """Accumulated over the blocks of one configuration."""

    updates: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0  # this process, all threads (aiosqlite's included)
    latencies: list[float] = field(default_factory=list)  # seconds

    @property
    def rate(self) -> float:
        return self.updates / self.seconds

    @property
    def cpu_rate(self) -> float:
        return self.updates / self.cpu_seconds


async def feed(
    config: FullBot | EchoBot | Replay,
    start: int,
    count: int,
    into: Run,
    recorded: list[Recorded] | None = None,
) -> None:
    """Feed updates one after another (one person cannot press before the bot answered).

    Only parsing and dispatching an update are timed (wall and CPU); the bench's own steps
    between updates are not. With `recorded`, A's updates and requests are kept for B3."""
    dispatcher, bot, between = config.dispatcher, config.bot, config.between
    for k in range(start, start + count):
        await between(k)
        raw = config.update(k)
        if recorded is not None:
            config.session.recording = []
        cpu0, t0 = time.process_time(), time.perf_counter()
        update = Update.model_validate(raw, context={"bot": bot})
        await dispatcher.feed_update(bot, update)
        wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
        into.latencies.append(wall)
        into.seconds += wall
        into.cpu_seconds += cpu
        if recorded is not None and config.session.recording is not None:
            recorded.append(Recorded(raw, config.session.recording))
            config.session.recording = None
        config.after(k)
    into.updates += count


async def measure(
    n: int, warmup: int, block: int, profile: bool
) -> tuple[Run, Run, Run, str, Counter[str], str | None]:
    """A, B and B3 in alternating blocks, so all see the same background load on the machine."""
    a, b, b3 = Run(), Run(), Run()
    with tempfile.TemporaryDirectory(prefix="zvitbot-bench-") as tmp:
        full = await FullBot.build(Path(tmp))
        echo = EchoBot.build()
        script: list[Recorded] = []
        replay: Replay | None = None
        try:
            await feed(full, 0, warmup, Run(), recorded=script)
            replay = await Replay.build(Path(tmp), script)
            await feed(echo, 0, warmup, Run())
            await feed(replay, 0, warmup, Run())
            profiler = None
            if profile:
                from pyinstrument import Profiler

                profiler = Profiler(async_mode="enabled")
            done = 0
            while done < n:
                size = min(block, n - done)
                gc.collect()
                if profiler is not None:
                    profiler.start()
                start = warmup + done
                await feed(full, start, size, a)
                if profiler is not None:
                    profiler.stop()
                gc.collect()
                await feed(echo, start, size, b)
                gc.collect()
                await feed(replay, start, size, b3)
                done += size
            checked = await full.check()
            calls = full.session.calls
        finally:
            await full.close()
            if replay is not None:
                await replay.close()
    for r in (a, b, b3):
        r.latencies.sort()
    profiled = profiler.output_text(unicode=True, show_all=False) if profiler else None
    return a, b, b3, checked, calls, profiled


# Updates per configuration: enough for a steady p99, few enough that make bench stays < 10 min.
UPDATES = 3_000


def run(
    *, smoke: bool = False, record: bool = True, profile: Path | None = None, n: int = UPDATES
) -> Section:
    n, warmup = (100, 10) if smoke else (n, 400)
    load_before = os.getloadavg()[0]
    a, b, b3, checked, calls, profiled = asyncio.run(
        measure(n, warmup, max(n // 20, 50), profile is not None)
    )
    if profile is not None and profiled is not None:
        profile.write_text(profiled, encoding="utf-8")
        print(f"profile of A written to {profile}")
    load_after = os.getloadavg()[0]
    ms = 1000.0
    section = Section(
        "Update throughput: full bot (A) vs A's calls with one write (B3) and an echo (B)",
        setup=[
            f"N = {n} updates per configuration after {warmup} warm-up updates, fed one at a "
            "time with `Dispatcher.feed_update` (parse from dict included in the time, the "
            "bench's own steps between updates not), A, B and B3 alternating in 20 blocks so "
            "all meet the same background load "
            f"(1-min load average {load_before:.1f} before, {load_after:.1f} after)",
            "A: `create_dispatcher` with every middleware and router, SQLite file in a temp dir "
            "(WAL, synchronous=NORMAL), one bound person alternating a status button and a "
            "300–800 character narrative over a 60-measure plan; each answer committed; after "
            "each pass over the 60 measures the form is cleared (untimed) and filled again",
            "B: `Dispatcher()` with one router and one message handler echoing the text",
            "B3: `Dispatcher()` fed A's own updates; per update one committed INSERT "
            "(BEGIN IMMEDIATE … COMMIT, same pragmas) and the Bot API requests A made for that "
            f"update (recorded in A's warm-up, {len(calls)} kinds), no reads",
            "both: a fake `BaseSession` that serialises requests and parses a canned JSON "
            "answer, no HTTP; logging not configured (INFO records discarded)",
            f"A's sanity check: {checked}; Bot API calls made by A: "
            + ", ".join(f"{k} {v}" for k, v in sorted(calls.items())),
        ],
    )
    rows = []
    for name, r in (("A full bot", a), ("B3 A's calls + 1 write", b3), ("B echo", b)):
        lat = r.latencies
        rows.append(
            [
                name,
                r.updates,
                fmt(r.seconds, 2),
                fmt(r.rate, 0),
                fmt(r.cpu_seconds / r.updates * 1e6, 0),
                fmt(percentile(lat, 50) * ms, 2),
                fmt(percentile(lat, 99) * ms, 2),
                fmt(lat[-1] * ms, 1),
            ]
        )
    section.table(
        ["config", "updates", "s", "updates/s", "CPU µs/update", "p50 ms", "p99 ms", "max ms"],
        rows,
    )
    p99 = percentile(a.latencies, 99) * ms
    ratio = a.cpu_rate / b3.cpu_rate
    verdict = "met" if ratio >= 0.7 and p99 <= 8.0 else "NOT met"
    section.notes += [
        f"A/B3 = {ratio:.3f} by CPU time, {a.rate / b3.rate:.3f} by wall time; A p99 "
        f"{p99:.2f} ms (target A/B3 ≥ 0.7 by CPU and p99 ≤ 8 ms: {verdict})",
        f"A/B = {a.cpu_rate / b.cpu_rate:.3f} by CPU time, {a.rate / b.rate:.3f} by wall time",
    ]
    publish(section, record=record)
    return section


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="tiny N, nothing recorded")
    parser.add_argument("--no-record", action="store_true")
    parser.add_argument("--profile", type=Path, help="profile A with pyinstrument into this file")
    parser.add_argument("-n", type=int, default=UPDATES, help="updates per configuration")
    args = parser.parse_args(argv)
    run(
        smoke=args.smoke,
        record=not (args.smoke or args.no_record),
        profile=args.profile,
        n=args.n,
    )


if __name__ == "__main__":
    main()

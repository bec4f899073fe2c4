"""Fan-out: N reminders through the real OutboxSender, over HTTP, to the emulator's flood limits.

Everything runs on one scaled clock: the emulator's (its 30/s window is in emulator seconds),
the business clock the sender schedules retries with, and the sender's own pacing (rate × scale,
per-chat spacing / scale, one Telegram second (retry_after, the sender's window) / scale, lease
× scale so a request never outlives it).
The floor is N / 30 emulator seconds: Telegram's global limit. Each kind of run is repeated:
one run is one draw of the machine's jitter.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer

from bench.common import Section, fmt, publish
from emulator.limits import FloodLimits
from emulator.server import TelegramEmulator
from scheduler.sender import OutboxSender
from services import notify
from storage import outbox
from storage.database import Database, fetch_all
from storage.outbox import OutboxState

TOKEN = "4242424242:fanout-token"
USER0 = 700_000
START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
SCALE = 2.0  # a place costs 1 s / scale + a round trip (~7 ms real here): ×2 keeps it small
FAST_SCALE = 10.0  # "clock ×10": one Telegram second is 100 ms real; only the 429s are judged
RATE = 30.0  # the window's places per Telegram second: Telegram's own limit
REPEATS = 5
LIMIT = 30.0


class LocalSession(AiohttpSession):
    """No TLS to the local emulator, so no need for aiogram's 250 ms wait when closing."""

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()


class ScaledClock:
    """Business time that runs `scale` times faster than real time, like the emulator's."""

    def __init__(self, start: datetime, scale: float) -> None:
        self._start = start
        self._scale = scale
        self._t0 = time.monotonic()

    def now(self) -> datetime:
        return self._start + timedelta(seconds=(time.monotonic() - self._t0) * self._scale)


@dataclass(frozen=True)
class Outcome:
    label: str
    n: int
    rate: float  # the sender's configured rate, per emulator second
    seconds: float  # emulator seconds from the first drain to the last delivery
    real_seconds: float
    errors_429: int
    faults: int
    retried_rows: int
    duplicates: int
    lost: int
    failed_rows: int

    @property
    def floor(self) -> float:
        return self.n / LIMIT

    @property
    def ratio(self) -> float:
        return self.seconds / self.floor


@dataclass(frozen=True)
class Kind:
    label: str
    fault_rate: float
    scale: float
    ratio_target: float | None  # None: only 429s, duplicates and losses are judged


def kinds(scale: float) -> list[Kind]:
    return [
        Kind("clean", 0.0, scale, 1.02),
        Kind("5% 502s", 0.05, scale, 1.10),
        Kind(f"clean, clock ×{FAST_SCALE:g}", 0.0, FAST_SCALE, None),
    ]


def verdict(kind: Kind, runs: list[Outcome]) -> str:
    ratios = sorted(o.ratio for o in runs)
    errors = sum(o.errors_429 for o in runs)
    duplicates = sum(o.duplicates for o in runs)
    lost = sum(o.lost for o in runs)
    met = lost == 0 and (kind.fault_rate > 0 or errors == duplicates == 0)
    if kind.ratio_target is not None:
        met = met and ratios[-1] <= kind.ratio_target
    target = f"ratio ≤ {kind.ratio_target:g}, " if kind.ratio_target is not None else ""
    zeros = "0 lost" if kind.fault_rate else "0 × 429, 0 duplicates, 0 lost"
    return (
        f"{kind.label}: ratio {ratios[0]:.3f}–{ratios[-1]:.3f} over {len(runs)} runs, "
        f"429s {errors}, duplicates {duplicates}, lost {lost} (targets: {target}{zeros} "
        "in every run): " + ("met" if met else "NOT met")
    )


async def fan_out(n: int, *, fault_rate: float, rate: float, scale: float, label: str) -> Outcome:
    emulator = TelegramEmulator(token=TOKEN, clock_scale=scale)
    emulator.set_flood(FloodLimits(global_per_second=LIMIT, per_chat_per_second=1))
    await emulator.start()
    bot = Bot(TOKEN, session=LocalSession(api=TelegramAPIServer.from_base(emulator.base_url)))
    clock = ScaledClock(START, scale)
    chats = list(range(USER0, USER0 + n))
    for chat in chats:
        emulator.create_user(chat, f"U{chat}", started=True)
    with tempfile.TemporaryDirectory(prefix="zvitbot-fanout-") as tmp:
        db = await Database.open(Path(tmp) / "bench.sqlite3")
        try:
            async with db.transaction() as conn:
                for chat in chats:
                    await notify.alert(
                        conn,
                        key=f"bench:{chat}",
                        chat_id=chat,
                        letter=notify.Letter(
                            f"Нагадування: звіт за I квартал 2026 року, <b>{chat}</b>"
                        ),
                        now=clock.now(),
                    )
            if fault_rate:
                emulator.faults.add(
                    "502", count=None, probability=fault_rate, methods=["sendMessage"], seed=7
                )
            sender = OutboxSender(
                db,
                bot,
                clock,
                rate_per_second=rate * scale,
                per_chat_interval=1.0 / scale,
                telegram_second=1.0 / scale,
                lease=timedelta(seconds=60 * scale),
            )
            began_emulator, began_real = emulator.clock.now(), time.monotonic()
            deadline = began_real + max(60.0, 4 * n / LIMIT / scale)  # bounded
            while time.monotonic() < deadline:
                await sender.drain(1.0)
                async with db.reading() as conn:
                    counts = await outbox.counts_by_state(conn)
                if counts[OutboxState.PENDING] == counts[OutboxState.SENDING] == 0:
                    break
            real = time.monotonic() - began_real
            async with db.reading() as conn:
                counts = await outbox.counts_by_state(conn)
                retried = await fetch_all(
                    conn,
                    "SELECT COUNT(DISTINCT outbox_id) FROM outbox_attempts WHERE outcome != 'ok'",
                )
        finally:
            await db.close()
    delivered = Counter(
        c["chat_id"]
        for c in emulator.calls
        if c["method"] == "sendMessage" and c["outcome"] == "ok"
    )
    last = max(
        (
            c["time"]
            for c in emulator.calls
            if c["method"] == "sendMessage" and c["outcome"] == "ok"
        ),
        default=began_emulator,
    )
    stats = emulator.stats()
    await bot.session.close()
    await emulator.stop()
    return Outcome(
        label=label,
        n=n,
        rate=rate,
        seconds=last - began_emulator,
        real_seconds=real,
        errors_429=int(stats["errors_429"]),
        faults=int(stats["faults_injected"]),
        retried_rows=int(retried[0][0]),
        duplicates=sum(max(0, delivered[c] - 1) for c in chats),
        lost=sum(1 for c in chats if delivered[c] == 0),
        failed_rows=counts[OutboxState.FAILED] + counts[OutboxState.PENDING],
    )


def run(
    *,
    smoke: bool = False,
    record: bool = True,
    rate: float = RATE,
    scale: float = SCALE,
    repeats: int = REPEATS,
) -> Section:
    n = 20 if smoke else 2_000
    repeats = 1 if smoke else repeats
    scale = max(scale, FAST_SCALE) if smoke else scale  # smoke checks that it runs, not the limit
    load = os.getloadavg()[0]
    results: list[tuple[Kind, list[Outcome]]] = []
    for kind in kinds(scale):
        runs = [
            asyncio.run(
                fan_out(
                    n,
                    fault_rate=kind.fault_rate,
                    rate=rate,
                    scale=kind.scale,
                    label=f"{kind.label} #{index + 1}",
                )
            )
            for index in range(repeats)
        ]
        results.append((kind, runs))
    section = Section(
        "Fan-out: reminders through OutboxSender to the emulator's flood limits",
        setup=[
            f"N = {n} outbox rows, one per chat, through the real `OutboxSender` over HTTP "
            "(aiohttp, 127.0.0.1) to `TelegramEmulator` with `FloodLimits(30, 1)`; "
            f"{repeats} runs of each kind",
            f"sender: {rate:g} places per Telegram second in its answer-anchored window (a send "
            "starts only a Telegram second after an earlier answer frees a place)",
            f"clock scale ×{scale:g} (×{FAST_SCALE:g} for the last kind) for the emulator, the "
            "business clock and the sender (rate × scale, per-chat spacing 1 s / scale, "
            "retry_after and the window / scale, lease 60 s × scale); drains of 1 s until "
            "nothing is pending",
            "completion = emulator time from the first drain to the last accepted sendMessage; "
            f"floor = N / 30 s; 1-min load average {load:.1f} at start",
            "502s: the emulator fails each sendMessage with probability 0.05 (seeded); the "
            "sender retries with backoff 1 s, 2 s, … on the scaled business clock",
        ],
    )
    section.table(
        [
            "run",
            "N",
            "scale",
            "emulator s",
            "floor s",
            "ratio",
            "real s",
            "429s",
            "502s injected",
            "rows retried",
            "duplicates",
            "lost",
            "failed",
        ],
        [
            [
                o.label,
                o.n,
                f"×{kind.scale:g}",
                fmt(o.seconds, 1),
                fmt(o.floor, 1),
                f"{o.ratio:.3f}",
                fmt(o.real_seconds, 1),
                o.errors_429,
                o.faults,
                o.retried_rows,
                o.duplicates,
                o.lost,
                o.failed_rows,
            ]
            for kind, runs in results
            for o in runs
        ],
    )
    section.notes.extend(verdict(kind, runs) for kind, runs in results)
    publish(section, record=record)
    return section


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="tiny N, nothing recorded")
    parser.add_argument("--no-record", action="store_true")
    parser.add_argument("--rate", type=float, default=RATE, help="places per Telegram second")
    parser.add_argument("--scale", type=float, default=SCALE, help="clock scale")
    parser.add_argument("--repeats", type=int, default=REPEATS, help="runs of each kind")
    args = parser.parse_args(argv)
    record = not (args.smoke or args.no_record)
    run(
        smoke=args.smoke,
        record=record,
        rate=args.rate,
        scale=args.scale,
        repeats=args.repeats,
    )


if __name__ == "__main__":
    main()

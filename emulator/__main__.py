"""Run the emulator standalone: python -m emulator --port 8081 [--flood] [--token T]."""

from __future__ import annotations

import argparse
import asyncio

from emulator.limits import FloodLimits
from emulator.server import TelegramEmulator


async def _serve(args: argparse.Namespace) -> None:
    emulator = TelegramEmulator(
        token=args.token,
        flood=FloodLimits() if args.flood else None,
        clock_scale=args.clock_scale,
    )
    base_url = await emulator.start(args.host, args.port)
    print(base_url, flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await emulator.stop()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m emulator", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", default=None, help="accept only this bot token")
    parser.add_argument("--flood", action="store_true", help="enforce 30/s and 1/s per chat")
    parser.add_argument("--clock-scale", type=float, default=1.0)
    args = parser.parse_args()
    try:
        asyncio.run(_serve(args))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()

"""`python -m demo`: a whole offline run of the real bot against the emulated Telegram."""

from __future__ import annotations

import asyncio
import shutil
import sys
import time
from pathlib import Path

from demo.scenario import run

OUT_DIR = Path("demo-output")


def main() -> int:
    started = time.monotonic()
    outcome = asyncio.run(run())
    if OUT_DIR.exists():
        shutil.rmtree(OUT_DIR)
    OUT_DIR.mkdir(parents=True)
    for name, data in outcome.files.items():
        (OUT_DIR / name).write_bytes(data)
    print(outcome.transcript)
    print()
    for name in sorted(outcome.files):
        print(f"output: {OUT_DIR / name}")
    print(f"done in {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

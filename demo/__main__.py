"""`python -m demo`: a whole offline run of the real bot against the emulated Telegram."""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

from demo.scenario import run


def main() -> int:
    started = time.monotonic()
    out_dir = Path("demo-output")
    transcript = asyncio.run(run(out_dir))
    print(transcript)
    print()
    print(f"transcript: {out_dir / 'transcript.txt'}")
    for path in sorted(out_dir.iterdir()):
        if path.name != "transcript.txt" and path.is_file():
            print(f"output: {path}")
    print(f"done in {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

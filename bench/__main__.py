"""`python -m bench [updates|fanout|summary|write] [--smoke] [--no-record]`: run and record."""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from bench import fanout, summary_scale, updates, write_path
from bench.common import Section

BENCHMARKS: dict[str, Callable[..., Section]] = {
    "updates": updates.run,
    "fanout": fanout.run,
    "summary": summary_scale.run,
    "write": write_path.run,
}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("names", nargs="*", choices=[[], *BENCHMARKS], help="default: all")
    parser.add_argument("--smoke", action="store_true", help="tiny N; records nothing")
    parser.add_argument("--no-record", action="store_true", help="print only")
    args = parser.parse_args(argv)
    record = not (args.smoke or args.no_record)
    began = time.perf_counter()
    for name in args.names or list(BENCHMARKS):
        started = time.perf_counter()
        BENCHMARKS[name](smoke=args.smoke, record=record)
        print(f"[{name}: {time.perf_counter() - started:.1f} s]", flush=True)
    print(f"[all: {time.perf_counter() - began:.1f} s]")


if __name__ == "__main__":
    main()

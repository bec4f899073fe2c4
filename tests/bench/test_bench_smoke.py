"""The benchmark scripts still run end to end (tiny sizes, nothing recorded): they must not rot."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_benchmark_runs_in_smoke_mode_and_prints_its_table() -> None:
    results = ROOT / "docs" / "benchmarks.md"
    before = results.read_bytes() if results.exists() else None
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--smoke"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    for title in ("Update throughput", "Fan-out", "Summary scale", "Answer write path"):
        assert f"### {title}" in done.stdout
    assert "A full bot" in done.stdout and "WAL + NORMAL" in done.stdout
    assert (results.read_bytes() if results.exists() else None) == before  # smoke records nothing

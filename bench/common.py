"""What every benchmark shares: machine facts, tables, percentiles, and the results file."""

from __future__ import annotations

import math
import os
import platform
import sqlite3
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "docs" / "benchmarks.md"
LIBRARIES = ("aiogram", "aiosqlite", "aiohttp", "pydantic", "docxtpl", "openpyxl", "matplotlib")
RECORDED_MARK = "<!-- recorded runs are appended below this line -->"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def git_commit() -> str:
    """The short HEAD commit, marked when the working tree differs from it (read-only git)."""

    def git(*args: str) -> str:
        done = subprocess.run(
            ["git", "--no-optional-locks", *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
            timeout=30,
        )
        return done.stdout.strip() if done.returncode == 0 else ""

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    # The results file itself changes as each benchmark of one run appends its table.
    dirty = git(
        "status",
        "--porcelain",
        "--untracked-files=no",
        "--",
        ".",
        f":!{RESULTS.relative_to(ROOT)}",
    )
    return f"{commit} + uncommitted changes" if dirty else commit


def library_versions() -> str:
    found = []
    for name in LIBRARIES:
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            continue
    found.append(f"SQLite {sqlite3.sqlite_version}")
    return ", ".join(found)


@dataclass(frozen=True)
class Machine:
    cores: int
    cpu: str
    python: str
    libraries: str
    commit: str
    when: str

    @classmethod
    def here(cls) -> Machine:
        return cls(
            cores=os.cpu_count() or 1,
            cpu=cpu_model(),
            python=f"{platform.python_implementation()} {platform.python_version()}",
            libraries=library_versions(),
            commit=git_commit(),
            when=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        )

    def lines(self) -> list[str]:
        return [
            f"- date: {self.when}; commit: `{self.commit}`",
            f"- machine: {self.cores} cores, {self.cpu}, {platform.system()} {platform.release()}",
            f"- {self.python}; {self.libraries}",
        ]


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    cells = [[str(c) for c in header], *[[str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]

    def line(row: Sequence[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(cells[0]), rule, *(line(row) for row in cells[1:])])


@dataclass
class Section:
    """One benchmark's results: a title, what was run, tables, and notes on the targets."""

    title: str
    setup: list[str] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def table(self, header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
        self.tables.append(markdown_table(header, rows))

    def render(self, machine: Machine) -> str:
        parts = [f"### {self.title}", "", *machine.lines(), *(f"- {s}" for s in self.setup), ""]
        for table in self.tables:
            parts += [table, ""]
        parts += [f"- {n}" for n in self.notes]
        return "\n".join(parts).rstrip() + "\n"


def publish(section: Section, *, record: bool, path: Path = RESULTS) -> None:
    """Print the section; with `record`, append it to the results file as well."""
    text = section.render(Machine.here())
    print(text, flush=True)
    if not record:
        return
    existing = path.read_text(encoding="utf-8") if path.exists() else ""
    if RECORDED_MARK not in existing:
        existing = existing.rstrip() + f"\n\n## Recorded runs\n\n{RECORDED_MARK}\n"
    path.write_text(existing.rstrip() + "\n\n" + text, encoding="utf-8")


def percentile(sorted_values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile of an already sorted sequence (q in 0..100)."""
    if not sorted_values:
        return math.nan
    rank = max(1, math.ceil(q / 100 * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def loglog_slope(xs: Sequence[float], ys: Sequence[float]) -> float:
    """Least-squares slope of log(y) against log(x): the scaling exponent."""
    lx = [math.log(x) for x in xs]
    ly = [math.log(y) for y in ys]
    mx, my = sum(lx) / len(lx), sum(ly) / len(ly)
    den = sum((x - mx) ** 2 for x in lx)
    return sum((x - mx) * (y - my) for x, y in zip(lx, ly, strict=True)) / den


def fmt(value: float, digits: int = 1) -> str:
    return f"{value:,.{digits}f}".replace(",", " ")


def python_exe() -> str:
    return sys.executable

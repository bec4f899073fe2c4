"""Summary scale: the consolidated documents for 200, 800 and 1,600 organisations × 60 measures.

Each size runs in its own fresh interpreter (``python -m bench.summary_scale --child N``, started
with subprocess: fork and exec, so nothing of this parent's heap is kept), and its peak RSS is
``VmHWM`` of that process, read right after it has rendered every file, before the files are read
back for their character counts. The files are written to a folder that is printed, so they can
be opened and rendered.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from bench.common import ROOT, Section, fmt, publish

if TYPE_CHECKING:  # for the annotation only: the functions import the project where used
    from core.summary import Summary

SIZES = (200, 800, 1600)
SMOKE_SIZES = (5, 10)
MEASURES = 60
STATE_LIMIT = 1200
RSS_TARGETS = {800: 250, 1600: 300}  # MB, every file rendered (issue 17)


def fictional_summary(enterprise_count: int) -> Summary:
    """The benchmark's invented period: ~90% submitted, narratives of 300–800 characters."""
    from bench.fictional import narrative, plan_draft
    from core.edrpou import with_check_digit
    from core.models import (
        Answer,
        Enterprise,
        EnterpriseKind,
        IndicatorDef,
        Measure,
        MeasureStatus,
        Plan,
        Report,
        ReportData,
        ReportState,
        Round,
        RoundState,
    )
    from core.periods import Period
    from core.summary import build_summary

    rng = random.Random(enterprise_count)
    kinds = list(EnterpriseKind)
    enterprises = [
        Enterprise(
            i,
            with_check_digit(f"{3_000_000 + i:07d}"),
            f"Комунальне підприємство «Установа № {i}» міської ради",
            f"КП «Установа № {i}»",
            kinds[i % len(kinds)],
        )
        for i in range(1, enterprise_count + 1)
    ]
    drafts = [(s, m) for s in plan_draft(MEASURES).sections for m in s.measures]
    measures = [
        Measure(
            100 + j,
            1,
            section.number,
            section.title,
            draft.number,
            draft.text,
            draft.term,
            draft.responsible,
            draft.indicator,
            # every fifth measure is for municipal and health enterprises only
            kinds=(EnterpriseKind.MUNICIPAL, EnterpriseKind.HEALTH) if j % 5 == 4 else (),
            position=j,
        )
        for j, (section, draft) in enumerate(drafts)
    ]
    period = Period.quarter(2026, 1)
    round_ = Round(
        1, 1, period.kind, 1, 2026, period.end, date(2026, 4, 10), RoundState.CLOSED,
        datetime(2026, 3, 2, 8, tzinfo=UTC),
    )  # fmt: skip
    weights = [70, 15, 8, 7]  # done, in progress, not done, not applicable
    statuses = list(MeasureStatus)
    reports = []
    for e in enterprises:
        if rng.random() < 0.1:
            continue  # about one in ten sends nothing
        answers = []
        for m in measures:
            if not m.applies_to(e.kind):
                continue
            status = rng.choices(statuses, weights)[0]
            text = "" if status is MeasureStatus.NOT_APPLICABLE else narrative(rng)
            answers.append(Answer(m.id, status, text))
        reports.append(
            ReportData(
                report=Report(
                    e.id,
                    1,
                    e.id,
                    ReportState.SUBMITTED,
                    1,
                    datetime(2026, 4, 1, 9, tzinfo=UTC),
                    late=rng.random() < 0.15,
                ),  # fmt: skip
                round=round_,
                answers=tuple(answers),
                indicator_values={"consultations": rng.randint(0, 40), "trainings": 1},
            )
        )
    plan = Plan(1, "План заходів щодо запобігання корупції на 2026 рік", 2026, 2026, 1, "98")
    indicators = (
        IndicatorDef("consultations", "Надано консультацій", "од.", 1, measure_number="2.1"),
        IndicatorDef("trainings", "Проведено навчань", "од.", 2),
        IndicatorDef("investigations", "Проведено службових розслідувань", "од.", 3),
    )
    return build_summary(
        period=period,
        plan=plan,
        measures=measures,
        enterprises=enterprises,
        reports=reports,
        indicators=indicators,
        generated_at=datetime(2026, 4, 28, 9, 30, tzinfo=UTC),
    )


def docx_facts(data: bytes) -> tuple[int, int]:
    """Characters of text in a DOCX (body and tables), and its longest last-column cell."""
    import docx

    document = docx.Document(io.BytesIO(data))
    chars = sum(len(p.text) for p in document.paragraphs)
    longest = 0
    for table in document.tables:
        for row in table.rows:
            cells = row.cells
            chars += sum(len(c.text) for c in {id(c._tc): c for c in cells}.values())
            if len(cells) == 5 and cells[0]._tc is not cells[-1]._tc:
                longest = max(longest, len(cells[-1].text))
    return chars, longest


def streamed_chars(data: bytes) -> int:
    """Characters of a table-free DOCX's paragraphs as python-docx counts them (a tab or a line
    break is one), read with iterparse: the annex at 1,600 would be a tree of gigabytes."""
    import zipfile
    from xml.etree import ElementTree as etree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    chars = 0
    with zipfile.ZipFile(io.BytesIO(data)) as package, package.open("word/document.xml") as xml:
        for _, element in etree.iterparse(xml, events=("end",)):
            if element.tag == f"{w}t":
                chars += len(element.text or "")
            elif element.tag in (f"{w}tab", f"{w}br", f"{w}cr"):
                chars += 1
            elif element.tag == f"{w}p":
                element.clear()
    return chars


def child(enterprise_count: int, out: Path) -> dict[str, float]:
    """Build the inputs, render every file into ``out``; seconds, characters, peak RSS."""
    from reports.requisites import Requisites
    from reports.summary_job import render_summary_files

    requisites = Requisites(
        "Начальник відділу", "Ірина ПЕТРЕНКО", "Міському голові", "Олег КОВАЛЬ"
    )
    t0 = time.perf_counter()
    summary = fictional_summary(enterprise_count)
    built = time.perf_counter() - t0
    t0 = time.perf_counter()
    files = render_summary_files(summary, requisites)
    rendered = time.perf_counter() - t0
    rss = peak_rss_mb()  # before the read-back below, which parses every document again
    sizes: dict[str, float] = {}
    for item in files.files:
        path = out / f"{enterprise_count}" / item.name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(item.data)
        sizes[item.kind] = len(item.data) / 1e6
    report_chars, longest = docx_facts(files.by_name()[f"zvit_{summary.period.code}.docx"])
    letter_chars, _ = docx_facts(files.by_name()[f"lyst_{summary.period.code}.docx"])
    annex_chars = streamed_chars(files.by_name()[f"dodatok_{summary.period.code}.docx"])
    return {
        "summary_s": built,
        "render_s": rendered,
        "report_chars": float(report_chars),
        "letter_chars": float(letter_chars),
        "annex_chars": float(annex_chars),
        "longest_cell": float(longest),
        "report_mb": sizes["report"],
        "annex_mb": sizes["annex"],
        "rss_mb": rss,
    }


def peak_rss_mb() -> float:
    """This process's own peak RSS. ru_maxrss would not do: it keeps the parent's peak through
    exec, so every child would report at least what the benchmark's parent had reached."""
    for line in Path("/proc/self/status").read_text(encoding="utf-8").splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024  # kB
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@dataclass(frozen=True)
class Point:
    enterprises: int
    values: dict[str, float]


def measure(size: int, out: Path) -> Point:
    done = subprocess.run(
        [sys.executable, "-m", "bench.summary_scale", "--child", str(size), "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=900,
    )
    return Point(size, json.loads(done.stdout.strip().splitlines()[-1]))


def run(*, smoke: bool = False, record: bool = True) -> Section:
    sizes = SMOKE_SIZES if smoke else SIZES
    load = os.getloadavg()[0]
    out = Path(tempfile.mkdtemp(prefix="zvitbot-summary-bench-"))
    points = [measure(size, out) for size in sizes]
    print(f"files written to {out}", flush=True)
    section = Section(
        "Summary scale: the consolidated documents, organisations × 60 measures",
        setup=[
            "each size in its own fresh subprocess; ~90% of organisations submitted; statuses "
            "70% done, 15% in progress, 8% not done, 7% not applicable; narratives of 300–800 "
            "characters (bench/fictional.py); every fifth measure applies to municipal and "
            "health organisations only",
            "summary s = build_summary; render s = every file (consolidation, report, letter, "
            "annex, XLSX, PNG); characters = text of paragraphs and table cells read back "
            "with python-docx (the annex's with iterparse); peak RSS = VmHWM of the subprocess "
            "(its own, unlike ru_maxrss) once every file is rendered, before the read-back; "
            f"1-min load average {load:.1f} at start",
        ],
    )
    section.table(
        [
            "organisations",
            "report chars",
            "longest «Стан виконання»",
            "letter chars",
            "annex chars",
            "summary s",
            "render s",
            "report / annex MB",
            "peak RSS MiB",
        ],
        [
            [
                p.enterprises,
                int(p.values["report_chars"]),
                int(p.values["longest_cell"]),
                int(p.values["letter_chars"]),
                int(p.values["annex_chars"]),
                fmt(p.values["summary_s"], 2),
                fmt(p.values["render_s"], 2),
                f"{fmt(p.values['report_mb'], 2)} / {fmt(p.values['annex_mb'], 1)}",
                fmt(p.values["rss_mb"], 0),
            ]
            for p in points
        ],
    )
    small, large = points[0], points[-1]
    growth = large.values["report_chars"] / max(small.values["report_chars"], 1.0)
    longest = max(p.values["longest_cell"] for p in points)
    section.notes.append(
        f"report characters at {large.enterprises} / at {small.enterprises}: {growth:.3f} "
        f"(target ≤ 1.1: {'met' if growth <= 1.1 else 'NOT met'}); longest «Стан виконання» "
        f"cell {int(longest)} characters (target ≤ {STATE_LIMIT}: "
        f"{'met' if longest <= STATE_LIMIT else 'NOT met'})"
    )
    seconds = [p.values["summary_s"] + p.values["render_s"] for p in (small, large)]
    exponent = math.log(seconds[1] / seconds[0]) / math.log(large.enterprises / small.enterprises)
    section.notes.append(
        f"time (summary + render) ∝ organisations^{exponent:.2f} from {small.enterprises} to "
        f"{large.enterprises} (target ≤ 1.05: {'met' if exponent <= 1.05 else 'NOT met'})"
    )
    for size, limit in RSS_TARGETS.items():
        found = [p for p in points if p.enterprises == size]
        if found:
            rss = found[0].values["rss_mb"]
            megabytes = rss * 1024 * 1024 / 1e6
            verdict = "met" if megabytes < limit else "NOT met"
            section.notes.append(
                f"peak RSS at {size}: {rss:.0f} MiB = {megabytes:.0f} MB "
                f"(target < {limit} MB: {verdict})"
            )
    publish(section, record=record)
    return section


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, nothing recorded")
    parser.add_argument("--no-record", action="store_true")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None:
        print(json.dumps(child(args.child, args.out)))
        return
    run(smoke=args.smoke, record=not (args.smoke or args.no_record))


if __name__ == "__main__":
    main()

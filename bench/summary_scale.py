"""Summary scale: the summary model, DOCX, XLSX and PNG for 50–400 enterprises × 60 measures.

Each size runs in its own subprocess, so its peak RSS (ru_maxrss) is its own.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime

from bench.common import ROOT, Section, fmt, loglog_slope, publish

SIZES = (50, 100, 200, 400)
SMOKE_SIZES = (5, 10)
MEASURES = 60
OUTPUTS = ("summary", "docx", "xlsx", "png")


def child(enterprise_count: int) -> dict[str, float]:
    """Build the inputs, then time each output; returns seconds and peak RSS in MB."""
    from bench.fictional import narrative
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
    from reports.summary_docx import Signer, render_summary_docx
    from reports.summary_xlsx import render_summary_xlsx

    started = time.perf_counter()
    from reports.progress_chart import render_progress_png  # matplotlib: timed apart

    import_seconds = time.perf_counter() - started
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
    from bench.fictional import plan_draft

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
    plan = Plan(1, "План заходів щодо запобігання корупції на 2026 рік", 2026, 2026, 1)
    indicators = (
        IndicatorDef("consultations", "Надано консультацій", "од.", 1),
        IndicatorDef("trainings", "Проведено навчань", "заходів", 2),
    )
    signer = Signer("Начальник відділу з питань запобігання корупції", "Ірина ПЕТРЕНКО")
    seconds: dict[str, float] = {"import_matplotlib": import_seconds}
    sizes: dict[str, float] = {}

    t0 = time.perf_counter()
    summary = build_summary(
        period=period,
        plan=plan,
        measures=measures,
        enterprises=enterprises,
        reports=reports,
        indicators=indicators,
        generated_at=datetime(2026, 4, 28, 9, 30, tzinfo=UTC),
    )
    seconds["summary"] = time.perf_counter() - t0
    for name, render in (
        ("docx", lambda: render_summary_docx(summary, signer)),
        ("xlsx", lambda: render_summary_xlsx(summary)),
        ("png", lambda: render_progress_png(summary)),
    ):
        t0 = time.perf_counter()
        data = render()
        seconds[name] = time.perf_counter() - t0
        sizes[name] = len(data) / 1e6
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    return {
        **seconds,
        **{f"{k}_mb": v for k, v in sizes.items()},
        "answers": float(sum(len(r.answers) for r in reports)),
        "rss_mb": rss_mb,
    }


@dataclass(frozen=True)
class Point:
    enterprises: int
    values: dict[str, float]


def measure(size: int) -> Point:
    done = subprocess.run(
        [sys.executable, "-m", "bench.summary_scale", "--child", str(size)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    return Point(size, json.loads(done.stdout.strip().splitlines()[-1]))


def run(*, smoke: bool = False, record: bool = True) -> Section:
    sizes = SMOKE_SIZES if smoke else SIZES
    load = os.getloadavg()[0]
    points = [measure(size) for size in sizes]
    section = Section(
        "Summary scale: enterprises × 60 measures, narratives of 300–800 characters",
        setup=[
            "each size in its own subprocess; ~90% of enterprises submitted; statuses 70% done, "
            "15% in progress, 8% not done, 7% not applicable; every fifth measure applies to "
            "municipal and health enterprises only",
            "times are wall seconds of `build_summary`, `render_summary_docx`, "
            "`render_summary_xlsx`, `render_progress_png` (matplotlib import excluded); "
            "peak RSS = ru_maxrss of the subprocess (interpreter and libraries included); "
            f"1-min load average {load:.1f} at start",
        ],
    )
    rows = []
    for p in points:
        v = p.values
        total = sum(v[o] for o in OUTPUTS)
        rows.append(
            [
                p.enterprises,
                int(v["answers"]),
                *(fmt(v[o], 3) for o in OUTPUTS),
                fmt(total, 2),
                f"{fmt(v['docx_mb'], 1)} / {fmt(v['xlsx_mb'], 1)} / {fmt(v['png_mb'], 2)}",
                fmt(v["rss_mb"], 0),
            ]
        )
    section.table(
        [
            "enterprises",
            "answers",
            "summary s",
            "DOCX s",
            "XLSX s",
            "PNG s",
            "total s",
            "DOCX / XLSX / PNG MB",
            "peak RSS MB",
        ],
        rows,
    )
    xs = [float(p.enterprises) for p in points]
    exponents = {o: loglog_slope(xs, [max(p.values[o], 1e-6) for p in points]) for o in OUTPUTS}
    total_exponent = loglog_slope(xs, [sum(p.values[o] for o in OUTPUTS) for p in points])
    section.table(
        ["fitted exponent", *OUTPUTS, "total"],
        [["time ∝ enterprises^k", *(f"{exponents[o]:.2f}" for o in OUTPUTS),
          f"{total_exponent:.2f}"]],
    )  # fmt: skip
    largest = points[-1]
    rss_ok = largest.values["rss_mb"] < 300
    section.notes.append(
        f"total exponent {total_exponent:.2f} (target ≤ 1.1: "
        + ("met" if total_exponent <= 1.1 else "NOT met")
        + f"); peak RSS at {largest.enterprises}: {fmt(largest.values['rss_mb'], 0)} MB "
        + "(target < 300 MB: "
        + ("met" if rss_ok else "NOT met")
        + ")"
    )
    publish(section, record=record)
    return section


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, nothing recorded")
    parser.add_argument("--no-record", action="store_true")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None:
        print(json.dumps(child(args.child)))
        return
    run(smoke=args.smoke, record=not (args.smoke or args.no_record))


if __name__ == "__main__":
    main()

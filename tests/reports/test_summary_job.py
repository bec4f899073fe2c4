"""The summary read from a real database: periods, roll-ups, plan versions, files and the CLI."""

from __future__ import annotations

import asyncio
import io
from datetime import UTC, datetime
from pathlib import Path

import docx
import openpyxl
import pytest

from bot.__main__ import main
from core.clock import ManualClock
from core.models import MeasureStatus, Plan, Round
from core.periods import Period
from core.summary import Summary
from demo.plan_data import plan_docx
from demo.registry_data import registry_csv
from demo.summary_act import write_summary
from reports.indicator_reader import default_indicators
from reports.plan_reader import read_plan
from reports.registry_reader import read_registry
from reports.requisites import Requisites
from reports.summary_job import render_summary_files
from services.summary import NoRounds, load_summary
from storage import answers as answer_rows
from storage import plans, registry, reporting
from storage import rounds as round_rows
from storage.database import Database

NOW = datetime(2026, 3, 20, 9, 0, tzinfo=UTC)
LATER = datetime(2026, 6, 20, 9, 0, tzinfo=UTC)
Q1, Q2 = Period.quarter(2026, 1), Period.quarter(2026, 2)
REQUISITES = Requisites("Начальник відділу", "Ганна ШЕВЧЕНКО", "Міському голові", "Олег КОВАЛЬ")


async def _plan(db: Database, now: datetime) -> Plan:
    draft = read_plan("plan.docx", plan_docx(), default_title="План")
    async with db.transaction() as conn:
        return await plans.save_plan(
            conn,
            draft,
            years=(2026, 2027),
            indicators=default_indicators()[:3],
            source_name="plan.docx",
            actor_id=None,
            now=now,
        )


async def _round(
    db: Database, plan: Plan, period: Period, now: datetime, answers: dict[int, tuple[str, int]]
) -> Round:
    """Open a round; enterprise N (registry position) answers every measure DONE with text.

    ``answers`` maps an enterprise's index to (narrative prefix, consultations given).
    """
    async with db.transaction() as conn:
        enterprises = await registry.list_enterprises(conn, active_only=True)
        round_ = await round_rows.open_round(
            conn,
            plan_id=plan.id,
            period=period,
            deadline=period.end,
            enterprise_ids=[e.id for e in enterprises],
            actor_id=None,
            now=now,
        )
        assert round_ is not None
        measures = await plans.measures(conn, plan.id)
        reports = await reporting.reports_of_round(conn, round_.id)
        for index, (prefix, consultations) in answers.items():
            report = reports[index]
            for measure in measures:
                status = MeasureStatus.IN_PROGRESS if index == 1 else MeasureStatus.DONE
                await answer_rows.save_status(
                    conn, report, measure.id, status, person_id=1, now=now
                )
                await answer_rows.save_narrative(
                    conn, report, measure.id, f"{prefix} {measure.number}", person_id=1, now=now
                )
            await answer_rows.save_indicator(conn, report, "consultations", consultations, now=now)
            await reporting.submit(conn, report, late=False, person_id=1, now=now)
        # A draft is not consolidated: its answer must not show up anywhere.
        draft = reports[2]
        await answer_rows.save_status(
            conn, draft, measures[0].id, MeasureStatus.NOT_DONE, person_id=3, now=now
        )
        await answer_rows.save_indicator(conn, draft, "consultations", 1000, now=now)
    return round_


async def _fill(db: Database) -> Plan:
    sheet = read_registry("registry.csv", registry_csv())
    async with db.transaction() as conn:
        await registry.import_sheet(conn, sheet, actor_id=None, now=NOW)
    plan = await _plan(db, NOW)
    await _round(db, plan, Q1, NOW, {0: ("Водоканал у I кв.:", 5), 1: ("Тепло у I кв.:", 7)})
    return plan


def _measure(summary: Summary, number: str) -> tuple[dict[str, MeasureStatus | None], str]:
    [item] = [m for m in summary.measures if m.measure.number == number]
    states = {s.enterprise.short_name: s.status for s in item.states}
    texts = " | ".join(p.text for n in item.narratives for p in n.parts)
    return states, texts


async def test_latest_round_is_summed_up_when_no_period_is_given(db: Database) -> None:
    await _fill(db)

    summary = await load_summary(db, None, NOW)

    assert isinstance(summary, Summary)
    assert summary.period == Q1 and summary.generated_at == NOW
    states, texts = _measure(summary, "1.1")
    assert states["КП «Міськводоканал»"] is MeasureStatus.DONE
    assert states["КП «Вербівтепло»"] is MeasureStatus.IN_PROGRESS
    assert states["КП «Зелене місто»"] is None  # a draft counts as not reported
    assert texts == "Водоканал у I кв.: 1.1 | Тепло у I кв.: 1.1"
    [consultations] = [i for i in summary.indicators if i.indicator.code == "consultations"]
    assert consultations.total == 12
    assert summary.submission.submitted == 2 and len(summary.submission.missing) == 12


async def test_a_period_without_rounds_says_so_instead_of_failing(db: Database) -> None:
    assert await load_summary(db, None, NOW) == NoRounds(None)
    await _fill(db)
    assert await load_summary(db, Period.quarter(2026, 3), NOW) == NoRounds(
        Period.quarter(2026, 3)
    )
    assert await load_summary(db, Period.whole_year(2025), NOW) == NoRounds(
        Period.whole_year(2025)
    )


async def test_half_year_adds_quarters_even_when_the_plan_got_a_new_version(
    db: Database,
) -> None:
    await _fill(db)
    newer = await _plan(db, LATER)  # same measures, new ids
    await _round(db, newer, Q2, LATER, {0: ("Водоканал у II кв.:", 3)})

    summary = await load_summary(db, Period.half(2026, 1), LATER)

    assert isinstance(summary, Summary)
    assert summary.plan.id == newer.id
    states, texts = _measure(summary, "1.1")
    assert states["КП «Міськводоканал»"] is MeasureStatus.DONE
    assert states["КП «Вербівтепло»"] is MeasureStatus.IN_PROGRESS  # from I quarter only
    assert "Водоканал у I кв.: 1.1" in texts and "Водоканал у II кв.: 1.1" in texts
    [consultations] = [i for i in summary.indicators if i.indicator.code == "consultations"]
    assert consultations.total == 15
    assert [s.period for s in summary.submissions] == [Q1, Q2]


async def test_files_are_named_by_period_and_open_in_word_and_excel(db: Database) -> None:
    await _fill(db)
    summary = await load_summary(db, Period.whole_year(2026), NOW)
    assert isinstance(summary, Summary)

    result = await asyncio.to_thread(render_summary_files, summary, REQUISITES)

    files = result.by_name()
    assert list(files) == [
        "zvit_2026.docx",
        "lyst_2026.docx",
        "dodatok_2026.docx",
        "zvit_2026.xlsx",
        "progress_2026.png",
    ]
    document = docx.Document(io.BytesIO(files["zvit_2026.docx"]))
    cells = [cell.text for table in document.tables for cell in table._cells]
    assert "Ганна ШЕВЧЕНКО" in cells
    workbook = openpyxl.load_workbook(io.BytesIO(files["zvit_2026.xlsx"]))
    assert len(workbook.sheetnames) == 3
    assert files["progress_2026.png"].startswith(b"\x89PNG")
    assert "2026 рік" in result.digest


async def test_demo_act_gets_the_same_files_or_none_without_rounds(db: Database) -> None:
    assert await write_summary(db, ManualClock(NOW)) == {}
    await _fill(db)

    files = await write_summary(db, ManualClock(NOW), "2026Q1")

    assert list(files) == [
        "zvit_2026Q1.docx",
        "lyst_2026Q1.docx",
        "dodatok_2026Q1.docx",
        "zvit_2026Q1.xlsx",
        "progress_2026Q1.png",
    ]


def _filled_db(path: Path) -> None:
    async def fill() -> None:
        db = await Database.open(path)
        try:
            await _fill(db)
        finally:
            await db.close()

    asyncio.run(fill())


def test_cli_writes_every_file_and_prints_their_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db_path = tmp_path / "zvit.sqlite3"
    _filled_db(db_path)
    monkeypatch.setenv("DATABASE_PATH", str(db_path))
    monkeypatch.setenv("SIGNER_NAME", "Ганна ШЕВЧЕНКО")
    out = tmp_path / "out"

    code = main(["summary", "--period", "2026Q1", "--out", str(out)])

    assert code == 0
    printed = capsys.readouterr().out.split()
    names = [
        "zvit_2026Q1.docx",
        "lyst_2026Q1.docx",
        "dodatok_2026Q1.docx",
        "zvit_2026Q1.xlsx",
        "progress_2026Q1.png",
    ]
    assert printed == [str(out / name) for name in names]
    assert all((out / name).stat().st_size > 0 for name in names)
    workbook = openpyxl.load_workbook(out / "zvit_2026Q1.xlsx")
    indicators = workbook.worksheets[1]
    assert indicators.cell(2, 3).value == 12  # consultations: 5 + 7


def test_cli_without_a_period_uses_the_latest_round(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db_path = tmp_path / "zvit.sqlite3"
    _filled_db(db_path)
    monkeypatch.setenv("DATABASE_PATH", str(db_path))

    assert main(["summary", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "zvit_2026Q1.docx").exists()


def test_cli_refuses_a_bad_period_and_an_empty_one_with_a_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db_path = tmp_path / "zvit.sqlite3"
    _filled_db(db_path)
    monkeypatch.setenv("DATABASE_PATH", str(db_path))

    assert main(["summary", "--period", "2026Q5", "--out", str(tmp_path)]) == 2
    assert "2026Q5" in capsys.readouterr().err
    assert main(["summary", "--period", "2025", "--out", str(tmp_path)]) == 1
    assert "За 2025 рік не було жодного збору звітів" in capsys.readouterr().err
    assert not list(tmp_path.glob("zvit_*"))

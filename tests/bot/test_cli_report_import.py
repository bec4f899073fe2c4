"""`python -m bot report import`: an organisation's document saved from the shell."""

import asyncio
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.__main__ import main
from demo.plan_documents import Table, docx_bytes
from demo.registry_data import ENTERPRISES
from demo.report_data import LEFT_OUT, report_docx
from storage import audit, registry
from storage.database import Database, fetch_one
from tests.storage.test_report_imports import seed_round

LYCEUM = next(e for e in ENTERPRISES if e.short_name == "Ліцей № 7").edrpou


@pytest.fixture(autouse=True)
def opened_round(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The registry, the plan and the first quarter's round in the CLI's database."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "cli.sqlite3"))

    async def seed() -> None:
        db = await Database.open(tmp_path / "cli.sqlite3")
        await seed_round(db, datetime(2026, 3, 2, 8, 0, tzinfo=UTC))
        await db.close()

    asyncio.run(seed())
    (tmp_path / "zvit.docx").write_bytes(report_docx())


async def lyceum_report(path: Path) -> tuple[int, int, list[str]]:
    """The lyceum's report count, its version and its audit actions."""
    db = await Database.open(path)
    async with db.reading() as conn:
        enterprise = await registry.enterprise_by_edrpou(conn, LYCEUM)
        assert enterprise is not None
        row = await fetch_one(
            conn,
            "SELECT COUNT(*), MAX(id), MAX(version) FROM reports WHERE enterprise_id = ?",
            (enterprise.id,),
        )
        assert row is not None
        actions = [e.action for e in await audit.entries(conn, entity="report", entity_id=row[1])]
    await db.close()
    return row[0], row[2], actions


def test_a_dry_run_prints_the_matching_and_saves_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    command = ["report", "import", "zvit.docx", "--enterprise", LYCEUM, "--period", "2026Q1"]
    assert main([*command, "--dry-run", "--json"]) == 0
    out = capsys.readouterr()
    data = json.loads(out.out)
    assert data["enterprise"] == LYCEUM and data["period"] == "2026Q1"
    assert data["missing"] == [LEFT_OUT] and len(data["unmatched"]) == 1
    assert {m["status"] for m in data["matched"]} == {"done", "in_progress", "not_done", "na"}
    assert "Нічого не збережено (--dry-run)" in out.err
    assert asyncio.run(lyceum_report(tmp_path / "cli.sqlite3")) == (1, 0, [])


def test_importing_saves_a_submitted_version_and_again_a_new_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    command = ["report", "import", "zvit.docx", "--enterprise", LYCEUM]
    assert main(command) == 0
    out = capsys.readouterr().out
    assert "Ліцей № 7 (ЄДРПОУ" in out and "I квартал 2026 року" in out
    assert "Відповіді знайдено для 12 з 13 заходів" in out
    assert "виконано — 8, виконується — 2, не виконано — 1, не застосовується — 1" in out
    assert "Збережено як поданий звіт (вніс відділ з документа), версія 1" in out
    assert main(command) == 0
    assert "версія 2" in capsys.readouterr().out
    count, version, actions = asyncio.run(lyceum_report(tmp_path / "cli.sqlite3"))
    assert (count, version) == (1, 2)
    assert actions == ["report.submit", "report.import"] * 2


def test_an_unknown_organisation_or_a_bad_file_exits_non_zero_and_saves_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "import", "zvit.docx", "--enterprise", "12345678"]) == 1
    assert "Організації з ЄДРПОУ 12345678 у реєстрі немає" in capsys.readouterr().err
    (tmp_path / "zvit.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    assert main(["report", "import", "zvit.doc", "--enterprise", LYCEUM]) == 1
    assert "старого формату Word" in capsys.readouterr().err
    assert main(["report", "import", "zvit.docx", "--enterprise", LYCEUM, "--period", "2025"]) == 1
    assert "Збору звітів за 2025 рік не було" in capsys.readouterr().err
    assert asyncio.run(lyceum_report(tmp_path / "cli.sqlite3")) == (1, 0, [])


def test_a_table_without_a_progress_column_is_told_what_a_report_needs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan_only = Table(
        rows=[["№", "Найменування заходу", "Строк", "Відповідальні"], ["1", "Захід", "І", "В"]]
    )
    (tmp_path / "plan.docx").write_bytes(docx_bytes(plan_only))

    assert main(["report", "import", "plan.docx", "--enterprise", LYCEUM]) == 1

    assert "«Стан виконання»" in capsys.readouterr().err

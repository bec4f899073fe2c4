"""`python -m bot plan import`: no numbers unless named with --indicators, each at its proposed
measure; a re-import keeps the version's own; an unknown code saves nothing."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.__main__ import main
from demo.plan_data import plan_docx
from storage import plans
from storage.database import Database


@pytest.fixture
def plan_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "cli.sqlite3"))
    path = tmp_path / "plan.docx"
    path.write_bytes(plan_docx())
    return path


def stored(tmp_path: Path) -> list[list[tuple[str, str]]]:
    """Every version's indicators (code, measure), oldest first."""

    async def read() -> list[list[tuple[str, str]]]:
        db = await Database.open(tmp_path / "cli.sqlite3")
        try:
            async with db.reading() as conn:
                versions = []
                for plan_id in (1, 2, 3):
                    if await plans.get_plan(conn, plan_id) is None:
                        break
                    found = await plans.indicators(conn, plan_id)
                    versions.append([(i.code, i.measure_number) for i in found])
                return versions
        finally:
            await db.close()

    return asyncio.run(read())


def test_a_plan_imported_without_indicators_asks_no_numbers(
    plan_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["plan", "import", str(plan_file)]) == 0
    assert "Числові показники: жодного" in capsys.readouterr().out
    assert stored(tmp_path) == [[]]


def test_named_indicators_are_saved_at_their_measures_and_kept_on_reimport(
    plan_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    codes = "whistleblower_reports,consultations"
    assert main(["plan", "import", str(plan_file), "--indicators", codes]) == 0
    out = capsys.readouterr().out
    assert "Числові показники: consultations (захід 2.3), whistleblower_reports (захід 5.2)" in out
    assert main(["plan", "import", str(plan_file)]) == 0  # the version it replaces decides
    assert main(["plan", "import", str(plan_file), "--indicators", ""]) == 0  # none
    chosen = [("consultations", "2.3"), ("whistleblower_reports", "5.2")]
    assert stored(tmp_path) == [chosen, chosen, []]


def test_an_unknown_code_saves_nothing(
    plan_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["plan", "import", str(plan_file), "--indicators", "consultations,nope"]) == 1
    assert "Показника «nope» немає серед запропонованих" in capsys.readouterr().err
    assert stored(tmp_path) == []


def test_a_dry_run_lists_what_can_be_chosen_with_the_proposed_measures(
    plan_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["plan", "import", str(plan_file), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "consultations (захід 2.3)" in out and "acts_vetted (без заходу)" in out
    assert not (tmp_path / "cli.sqlite3").exists()

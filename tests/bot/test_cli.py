import json
from pathlib import Path

import pytest

from bot.__main__ import main
from demo.plan_data import plan_docx
from demo.registry_data import registry_csv, registry_rows


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "cli.sqlite3"))


def test_help_lists_the_subcommands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    for command in ("run", "migrate", "registry", "plan"):
        assert command in out


def test_plan_dry_run_prints_the_json_contract_and_saves_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = tmp_path / "plan.docx"
    plan.write_bytes(plan_docx())
    assert main(["plan", "import", str(plan), "--dry-run", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"title", "sections", "warnings"}
    assert data["sections"][1]["measures"][0] == {
        "number": "2.1",
        "text": "Провести навчання працівників з питань етичної поведінки та обмежень, "
        "встановлених антикорупційним законодавством",
        "term": "Щокварталу",
        "responsible": "Уповноважені особи",
        "indicator": "Кількість навчених працівників",
    }
    assert not (tmp_path / "cli.sqlite3").exists()


def test_plan_import_stores_a_version_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = tmp_path / "plan.docx"
    plan.write_bytes(plan_docx())
    assert main(["plan", "import", str(plan)]) == 0
    assert "5 розділів, 13 заходів; збережено як версію 1" in capsys.readouterr().out


def test_a_bad_plan_file_exits_non_zero_with_the_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = tmp_path / "plan.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    assert main(["plan", "import", str(old)]) == 1
    assert "старого формату Word" in capsys.readouterr().err


def test_registry_import_reports_counts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = tmp_path / "registry.csv"
    sheet.write_bytes(registry_csv())
    assert main(["registry", "import", str(sheet)]) == 0
    assert "Організацій: нових 14" in capsys.readouterr().out


def test_a_refused_registry_row_prints_as_typed_not_as_html_entities(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = registry_rows()
    rows[1][3] = "Об'єднання & <Ко>"  # an unknown kind, with characters HTML would escape
    sheet = tmp_path / "registry.csv"
    sheet.write_bytes(registry_csv(rows))
    assert main(["registry", "import", str(sheet)]) == 0
    out = capsys.readouterr().out
    assert "рядок 2: невідомий тип «Об'єднання & <Ко>»" in out and "&#39;" not in out

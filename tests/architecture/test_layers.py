"""Arrows point down: handlers → services → storage → core (tests/architecture/layers.py)."""

from tests.architecture.layers import (
    ROOT,
    arrows_against_the_rule,
    core_doing_io,
    outbox_writers,
    storage_naming_bot_api,
)


def test_no_import_breaks_the_layers() -> None:
    assert sorted(arrows_against_the_rule()) == []


def test_storage_names_no_bot_api_method() -> None:
    assert storage_naming_bot_api() == set()


def test_only_the_notify_door_writes_outbox_rows() -> None:
    # One place for every dedupe-key format, message kind and the quiet-hours rule.
    assert outbox_writers() == set()


def test_core_reads_no_clock_and_no_file() -> None:
    assert core_doing_io() == set()


def test_no_module_outside_the_tests_is_over_400_lines() -> None:
    long = {
        str(path.relative_to(ROOT)): lines
        for path in ROOT.rglob("*.py")
        if not path.relative_to(ROOT).parts[0].startswith((".", "tests", "zvitbot.egg"))
        and (lines := len(path.read_text(encoding="utf-8").splitlines())) > 400
    }
    assert long == {}

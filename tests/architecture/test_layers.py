"""Arrows point down: handlers → services → storage → core (tests/architecture/layers.py).

The use-case layer is being built (issue 15): the arrows that still break the rule are listed
here by name. A new one fails the build, and so does a listed one that is gone, so the list
only shrinks.
"""

from tests.architecture.layers import (
    arrows_against_the_rule,
    core_doing_io,
    outbox_writers,
    storage_naming_bot_api,
)

# Handlers still call storage themselves: each goes once its use cases move to services/.
HANDLERS_ON_STORAGE = {
    f"handlers.{name} -> storage"
    for name in (
        "backup", "circular_acks", "circular_tracking", "circulars", "errors", "fallback",
        "history", "membership", "onboarding", "own_report", "plans", "promotions",
        "questionnaire", "registry", "reminders", "report_import", "review", "rounds", "status",
        "summary", "summary_edit", "uploads",
    )
}  # fmt: skip
STILL_AGAINST_THE_RULE = {
    *HANDLERS_ON_STORAGE,
}


def test_no_import_breaks_the_layers_beyond_the_known_ones() -> None:
    wrong = arrows_against_the_rule()
    assert sorted(wrong - STILL_AGAINST_THE_RULE) == [], "a new arrow against the layers"
    assert sorted(STILL_AGAINST_THE_RULE - wrong) == [], "fixed: take it off the list"


def test_storage_names_no_bot_api_method() -> None:
    assert storage_naming_bot_api() == set()


def test_only_the_notify_door_writes_outbox_rows() -> None:
    # One place for every dedupe-key format, message kind and the quiet-hours rule.
    assert outbox_writers() == set()


def test_core_reads_no_clock_and_no_file() -> None:
    assert core_doing_io() == set()

"""The layers and the arrows allowed between them, read from the code's imports (ast)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ("bot", "handlers", "services", "ui", "scheduler", "storage", "reports", "core")
OTHERS = ("templates", "emulator", "demo", "bench")

# Which top-level packages each may import. Arrows point down: handlers → services → storage →
# core; ui (aiogram types, no DB) serves handlers and services and uses only core; the scheduler
# calls services; reports render documents from core models; bot wires everything.
ALLOWED: dict[str, frozenset[str]] = {
    "core": frozenset({"core"}),
    "storage": frozenset({"storage", "core"}),
    "reports": frozenset({"reports", "core", "templates"}),
    "ui": frozenset({"ui", "core", "templates"}),
    "services": frozenset({"services", "storage", "reports", "ui", "core", "templates"}),
    "scheduler": frozenset({"scheduler", "services", "storage", "core", "templates"}),
    "handlers": frozenset({"handlers", "services", "ui", "reports", "core", "templates"}),
    "bot": frozenset({*LAYERS, "templates"}),
    "templates": frozenset({"templates", "core"}),  # wording rules over core models
    "emulator": frozenset({"emulator"}),
    "demo": frozenset({*LAYERS, *OTHERS}) - {"handlers"},
    "bench": frozenset({*LAYERS, *OTHERS}) - {"handlers"},
}
# Bot API method names: storage keeps rows, it does not speak Telegram.
BOT_API_NAMES = ("sendMessage", "sendDocument", "editMessageText", "answerCallbackQuery")
# What reads a clock or a file: core does no I/O.
IO_FUNCTIONS = frozenset({"open", "input"})
IO_METHODS = frozenset({"now", "utcnow", "today", "read_text", "read_bytes", "write_text"})
CLOCK_MODULE_CALLS = frozenset({"time", "monotonic", "perf_counter"})  # time.time(), …


def modules() -> Iterator[tuple[str, Path]]:
    for package in ALLOWED:
        for path in sorted((ROOT / package).rglob("*.py")):
            yield ".".join(path.relative_to(ROOT).with_suffix("").parts), path


def imports(path: Path) -> set[str]:
    """Top-level packages of ours this file imports (TYPE_CHECKING-only imports included)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found & set(ALLOWED)


def arrows_against_the_rule() -> set[str]:
    """Every "module → package" import the layer rule forbids."""
    wrong = set()
    for name, path in modules():
        layer = name.split(".")[0]
        for target in sorted(imports(path) - ALLOWED[layer]):
            wrong.add(f"{name} -> {target}")
    return wrong


def storage_naming_bot_api() -> set[str]:
    return {
        name
        for name, path in modules()
        if name.startswith("storage.")
        and any(word in path.read_text(encoding="utf-8") for word in BOT_API_NAMES)
    }


def outbox_writers() -> set[str]:
    """Modules that add outbox rows themselves instead of through services/notify.py."""
    found = set()
    for name, path in modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            named = isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
            if named and node.attr == "enqueue" and node.value.id == "outbox":  # type: ignore[attr-defined]
                found.add(name)
            elif isinstance(node, ast.ImportFrom) and node.module == "storage.outbox":
                if any(alias.name == "enqueue" for alias in node.names):
                    found.add(name)
    return found - {"services.notify"}


def core_doing_io() -> set[str]:
    return {name for name, path in modules() if name.startswith("core.") and _does_io(path)}


def _does_io(path: Path) -> bool:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            function = node.func
            if isinstance(function, ast.Name) and function.id in IO_FUNCTIONS:
                return True
            if isinstance(function, ast.Attribute) and function.attr in IO_METHODS:
                return True
            if (
                isinstance(function, ast.Attribute)
                and function.attr in CLOCK_MODULE_CALLS
                and isinstance(function.value, ast.Name)
                and function.value.id == "time"
            ):
                return True
        if isinstance(node, ast.Attribute) and node.attr == "environ":
            return True
    return False

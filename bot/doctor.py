"""`python -m bot doctor`: settings, database, schema, Bot API and webhook, one line each."""

from __future__ import annotations

import asyncio
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from aiogram.exceptions import TelegramAPIError, TelegramUnauthorizedError

from bot.settings import (
    Mode,
    Settings,
    SettingsError,
    StorageSettings,
    load_settings,
    load_storage_settings,
)
from storage.backup import known_schema_version
from templates import render

# A webhook error older than this is history, not a problem now.
RECENT_WEBHOOK_ERROR = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class Finding:
    """One check's result; `outcome` picks the wording in templates/cli/doctor.txt."""

    check: str
    outcome: str
    ok: bool
    facts: dict[str, object] = field(default_factory=dict)


def _settings() -> tuple[Settings | None, StorageSettings | None, Finding]:
    try:
        settings = load_settings()
    except SettingsError as error:
        try:
            storage: StorageSettings | None = load_storage_settings()
        except SettingsError:
            storage = None
        return None, storage, Finding("settings", "invalid", False, {"error": str(error)})
    return settings, settings, Finding("settings", "ok", True, {"mode": settings.mode.value})


def _database(storage: StorageSettings | None) -> tuple[Finding, Finding]:
    expected = known_schema_version()
    if storage is None:
        return Finding("database", "skipped", False), Finding("schema", "skipped", False)
    path: Path = storage.database_path
    facts: dict[str, object] = {"path": str(path)}
    if not path.is_file():
        return Finding("database", "missing", False, facts), Finding("schema", "skipped", False)
    try:
        # Read-only: the doctor looks, it never creates or changes anything.
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=5)
        try:
            integrity = "; ".join(str(r[0]) for r in conn.execute("PRAGMA integrity_check"))
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.DatabaseError as error:
        facts["error"] = str(error)
        return Finding("database", "unreadable", False, facts), Finding("schema", "skipped", False)
    if integrity != "ok":
        facts["integrity"] = integrity[:300]
        database = Finding("database", "corrupt", False, facts)
    else:
        facts["size_kb"] = max(1, path.stat().st_size // 1024)
        database = Finding("database", "ok", True, facts)
    versions: dict[str, object] = {"version": version, "expected": expected}
    if version < expected:
        return database, Finding("schema", "older", False, versions)
    if version > expected:
        return database, Finding("schema", "newer", False, versions)
    return database, Finding("schema", "ok", True, versions)


async def _telegram(settings: Settings | None, seconds: float) -> tuple[Finding, Finding]:
    if settings is None:
        return Finding("api", "skipped", False), Finding("webhook", "skipped", False)
    from bot.app import create_bot  # late: aiogram wiring is not needed for the offline checks

    base = str(settings.bot_api_base or "https://api.telegram.org").rstrip("/")
    facts: dict[str, object] = {"base": base, "seconds": seconds}
    bot = create_bot(settings)
    try:
        try:
            async with asyncio.timeout(seconds):
                me = await bot.get_me()
        except TimeoutError:
            return Finding("api", "timeout", False, facts), Finding("webhook", "skipped", False)
        except TelegramUnauthorizedError:
            return Finding("api", "rejected", False, facts), Finding("webhook", "skipped", False)
        except (TelegramAPIError, OSError) as error:
            facts["error"] = type(error).__name__
            return Finding("api", "unreachable", False, facts), Finding(
                "webhook", "skipped", False
            )
        api = Finding("api", "ok", True, {**facts, "username": me.username or str(me.id)})
        try:
            async with asyncio.timeout(seconds):
                info = await bot.get_webhook_info()
        except (TimeoutError, TelegramAPIError, OSError) as error:
            return api, Finding("webhook", "unknown", False, {"error": type(error).__name__})
    finally:
        await bot.session.close()
    webhook: dict[str, object] = {
        "url": info.url,
        "pending": info.pending_update_count,
        "expected": str(settings.webhook_url or ""),
        "error": info.last_error_message or "",
        "error_at": info.last_error_date.isoformat() if info.last_error_date else "",
    }
    if settings.mode is Mode.POLLING:
        outcome = "polling_but_set" if info.url else "polling_ok"
        return api, Finding("webhook", outcome, not info.url, webhook)
    if not info.url:
        return api, Finding("webhook", "not_set", False, webhook)
    if info.url != str(settings.webhook_url):
        return api, Finding("webhook", "elsewhere", False, webhook)
    failed_at = info.last_error_date
    if failed_at is not None and datetime.now(UTC) - failed_at < RECENT_WEBHOOK_ERROR:
        return api, Finding("webhook", "failing", False, webhook)
    return api, Finding("webhook", "webhook_ok", True, webhook)


async def diagnose(*, api_timeout: float = 5.0) -> list[Finding]:
    """Every check, in the order a person would fix them."""
    settings, storage, loaded = _settings()
    database, schema = _database(storage)
    api, webhook = await _telegram(settings, api_timeout)
    return [loaded, database, schema, api, webhook]


def report(findings: list[Finding], secrets: list[str]) -> str:
    text = render("cli/doctor.txt", findings=findings)
    for secret in secrets:  # belt and braces: no check prints a secret, and none may slip out
        if secret:
            text = text.replace(secret, "***")
    return text


async def run_doctor(*, api_timeout: float = 5.0) -> int:
    """Print one ✓ or ✗ line per check; 0 when all pass."""
    findings = await diagnose(api_timeout=api_timeout)
    secrets = []
    try:
        settings = load_settings()
        secrets.append(settings.bot_token.get_secret_value())
        if settings.webhook_secret is not None:
            secrets.append(settings.webhook_secret.get_secret_value())
    except SettingsError:
        pass
    print(report(findings, secrets))
    return 0 if all(finding.ok for finding in findings) else 1

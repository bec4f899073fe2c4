import re
from pathlib import Path

import pytest

from bot.settings import Mode, Settings, SettingsError, load_settings

TOKEN = "123456:TEST-secret-value"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: pytest.TempPathFactory) -> None:
    names = ("BOT_TOKEN", "COORDINATOR_IDS", "TIMEZONE", "MODE", "WEBHOOK_URL", "WEBHOOK_SECRET",
             "BOT_API_BASE")  # fmt: skip
    for name in names:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env from the developer's checkout


def test_missing_token_names_the_setting() -> None:
    with pytest.raises(SettingsError, match="^setting BOT_TOKEN is missing$"):
        load_settings()


def test_malformed_token_is_refused_without_echoing_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_TOKEN", "not-a-token-SECRET")
    with pytest.raises(SettingsError) as error:
        load_settings()
    assert "BOT_TOKEN" in str(error.value)
    assert "SECRET" not in str(error.value)


def test_bad_coordinator_ids_are_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("COORDINATOR_IDS", "12, boss")
    with pytest.raises(SettingsError, match="COORDINATOR_IDS"):
        load_settings()


def test_unknown_time_zone_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("TIMEZONE", "Europe/Atlantis")
    with pytest.raises(SettingsError, match="TIMEZONE"):
        load_settings()


def test_webhook_mode_requires_a_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("MODE", "webhook")
    monkeypatch.setenv("WEBHOOK_URL", "https://bot.example.org/hook")
    with pytest.raises(SettingsError, match="WEBHOOK_SECRET"):
        load_settings()


def test_an_http_webhook_url_is_refused_naming_the_setting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Quarter's edges, case 18: Telegram refuses http webhooks; say so before start-up."""
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("MODE", "webhook")
    monkeypatch.setenv("WEBHOOK_SECRET", "s3cret")
    monkeypatch.setenv("WEBHOOK_URL", "http://bot.example.org/hook")
    with pytest.raises(SettingsError, match="WEBHOOK_URL must start with https://"):
        load_settings()
    monkeypatch.setenv("BOT_API_BASE", "http://127.0.0.1:8081")  # a self-hosted Bot API server
    assert str(load_settings().webhook_url) == "http://bot.example.org/hook"


def test_valid_settings_parse_and_hide_the_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("COORDINATOR_IDS", "101, 102")
    settings = load_settings()
    assert settings.coordinator_ids == [101, 102]
    assert settings.mode is Mode.POLLING
    assert settings.timezone == "Europe/Kyiv"
    assert "TEST-secret-value" not in repr(settings)
    assert "TEST-secret-value" not in str(settings.bot_token)


def test_env_example_documents_every_setting_and_loads() -> None:
    example = Path(__file__).resolve().parents[2] / ".env.example"
    text = example.read_text(encoding="utf-8")
    documented = set(re.findall(r"^([A-Z_]+)=", text, re.M))
    assert {name.upper() for name in Settings.model_fields} <= documented
    settings = Settings(_env_file=example)  # type: ignore[call-arg]
    assert settings.mode is Mode.POLLING and settings.reminder_tick_seconds == 30

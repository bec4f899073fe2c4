"""The outbox's settings: defaults that respect Telegram, and refusal of nonsense."""

from __future__ import annotations

import pytest

from bot.settings import SettingsError, load_settings

TOKEN = "123456:TEST-secret-value"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: pytest.TempPathFactory) -> None:
    monkeypatch.chdir(tmp_path)  # no stray .env from the developer's checkout
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    for name in ("OUTBOX_PER_CHAT_INTERVAL_SECONDS", "OUTBOX_MAX_ATTEMPTS"):
        monkeypatch.delenv(name, raising=False)


def test_outbox_defaults_keep_to_one_message_a_second_per_chat() -> None:
    settings = load_settings()
    assert settings.outbox_per_chat_interval_seconds == 1.0
    assert settings.outbox_max_attempts == 8


@pytest.mark.parametrize(
    ("name", "value"),
    [("OUTBOX_MAX_ATTEMPTS", "0"), ("OUTBOX_PER_CHAT_INTERVAL_SECONDS", "-1")],
)
def test_a_nonsense_outbox_setting_is_named(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError, match=name):
        load_settings()

"""Settings read from the environment and .env; a bad value stops start-up with one clear line."""

from __future__ import annotations

from datetime import date, time
from enum import StrEnum
from pathlib import Path
from typing import Annotated, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AnyHttpUrl,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from reports.requisites import Requisites


class Mode(StrEnum):
    POLLING = "polling"
    WEBHOOK = "webhook"


def _split_csv(value: object) -> object:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if isinstance(value, int):
        return [value]
    return value


class StorageSettings(BaseSettings):
    """What offline commands (import, summary, restore) need: no token."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        env_ignore_empty=True,
        extra="ignore",
        case_sensitive=False,
    )

    database_path: Path = Path("./data/zvitbot.sqlite3")
    backup_dir: Path = Path("./data/backups")
    backup_keep: int = Field(default=14, ge=1, le=1000)
    backup_hour: int = Field(default=2, ge=0, le=23)
    timezone: str = "Europe/Kyiv"
    # Who signs the consolidated report (the DOCX); the summary CLI needs it without a token.
    signer_position: str = "Начальник відділу з питань запобігання та виявлення корупції"
    signer_name: str = ""
    # The covering letter's addressee, e.g. "Міському голові" and "Ім'я ПРІЗВИЩЕ".
    addressee_position: str = "Міському голові"
    addressee_name: str = ""

    @property
    def requisites(self) -> Requisites:
        """Who signs the documents and whom the letter addresses, in the council's zone."""
        return Requisites(
            signer_position=self.signer_position,
            signer_name=self.signer_name,
            addressee_position=self.addressee_position,
            addressee_name=self.addressee_name,
            zone=self.tz,
        )

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class Settings(StorageSettings):
    bot_token: SecretStr
    bot_api_base: AnyHttpUrl | None = None
    coordinator_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)

    mode: Mode = Mode.POLLING
    webhook_url: AnyHttpUrl | None = None
    webhook_secret: SecretStr | None = None
    webhook_host: str = "127.0.0.1"
    webhook_port: int = Field(default=8080, ge=1, le=65535)

    invite_ttl_days: int = Field(default=14, ge=1, le=365)
    invite_attempts_per_hour: int = Field(default=5, ge=1)
    invite_attempts_global_per_hour: int = Field(default=100, ge=1)

    holidays_are_days_off: bool = False
    extra_days_off: Annotated[list[date], NoDecode] = Field(default_factory=list)
    extra_working_days: Annotated[list[date], NoDecode] = Field(default_factory=list)

    deadline_day: int = Field(default=25, ge=1, le=31)
    deadline_month_offset: int = Field(default=0, ge=0, le=3)
    deadline_shift_to_working_day: bool = True
    auto_open_days_before: int = Field(default=0, ge=0, le=60)

    outbox_rate_per_second: float = Field(default=30.0, gt=0, le=30)

    # Only the tests and the simulated quarter set this: a file holding the current moment.
    clock_file: Path | None = None

    # Telegram allows one message a second per chat; lower values are for the scaled emulator.
    outbox_per_chat_interval_seconds: float = Field(default=1.0, ge=0.01, le=60)
    outbox_max_attempts: int = Field(default=8, ge=1, le=50)

    # JSON log lines, as `--log-json` does; for journald or a log shipper.
    log_json: bool = False

    # Reminders: working days before the deadline, local times, and the quiet hours (messages
    # only go out between QUIET_START and QUIET_END on working days).
    reminder_days_before: Annotated[list[int], NoDecode] = Field(default_factory=lambda: [7, 3, 1])
    reminder_time: time = time(10, 0)
    deadline_day_time: time = time(9, 0)
    overdue_every_working_days: int = Field(default=2, ge=1, le=20)
    overdue_max: int = Field(default=3, ge=0, le=10)
    # A reminder missed (bot down) by more than this is dropped rather than sent late.
    reminder_staleness_hours: float = Field(default=20, ge=0, le=240)
    quiet_start: time = time(9, 0)
    quiet_end: time = time(18, 0)
    # How often the reminder job reads the DB; the tests and the demo shorten it.
    reminder_tick_seconds: float = Field(default=30.0, ge=0.05, le=3600)

    @field_validator("reminder_days_before", mode="before")
    @classmethod
    def _reminder_days(cls, value: object) -> object:
        return _split_csv(value)

    @field_validator("reminder_days_before")
    @classmethod
    def _distinct_positive_days(cls, value: list[int]) -> list[int]:
        if any(n < 1 for n in value) or len(set(value)) != len(value):
            raise ValueError("expected distinct whole numbers of at least 1, e.g. 7,3,1")
        return value

    @model_validator(mode="after")
    def _quiet_hours_in_order(self) -> Settings:
        if not self.quiet_start < self.quiet_end:
            raise ValueError("QUIET_START must be earlier than QUIET_END")
        return self

    # A circular not acknowledged after this many working days gets one automatic reminder.
    circular_reminder_working_days: int = Field(default=3, ge=1, le=30)

    @field_validator("coordinator_ids", "extra_days_off", "extra_working_days", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        return _split_csv(value)

    @field_validator("bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr) -> SecretStr:
        token = value.get_secret_value()
        bot_id, _, secret = token.partition(":")
        if not bot_id.isdigit() or not secret:
            raise ValueError("expected the form 123456:ABC... from @BotFather")
        return value

    @model_validator(mode="after")
    def _webhook_needs_url_and_secret(self) -> Settings:
        if self.mode is Mode.WEBHOOK:
            if self.webhook_url is None:
                raise ValueError("WEBHOOK_URL is required when MODE=webhook")
            if self.webhook_url.scheme != "https" and self.bot_api_base is None:
                # Telegram's own servers deliver webhooks over HTTPS only and would refuse this
                # at start-up; a self-hosted Bot API server (BOT_API_BASE) may use http.
                raise ValueError("WEBHOOK_URL must start with https:// (Telegram refuses http)")
            if self.webhook_secret is None or not self.webhook_secret.get_secret_value():
                raise ValueError("WEBHOOK_SECRET is required when MODE=webhook")
        return self


class SettingsError(Exception):
    """Raised with one human line naming the bad setting; the token value never appears."""


def describe_error(error: ValidationError) -> str:
    first = error.errors()[0]
    names = [str(part) for part in first["loc"] if isinstance(part, str)]
    message = first["msg"].removeprefix("Value error, ")
    if not names:  # a rule across settings: its message names them
        return f"settings are invalid: {message}"
    name = names[0].upper()
    if first["type"] == "missing":
        return f"setting {name} is missing"
    return f"setting {name} is invalid: {message}"


def load_settings() -> Settings:
    """Load settings, turning pydantic's report into one line (never echoing input values)."""
    return _load(Settings)


def load_storage_settings() -> StorageSettings:
    return _load(StorageSettings)


S = TypeVar("S", bound=StorageSettings)


def _load(kind: type[S]) -> S:
    try:
        return kind()
    except ValidationError as error:
        raise SettingsError(describe_error(error)) from None

"""Logging set-up: plain or JSON lines; message bodies and secrets are never logged."""

from __future__ import annotations

import json
import logging
import sys
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass
class UpdateContext:
    """The update being handled; log records made while handling it carry these fields."""

    update_id: int
    user_id: int | None = None
    handler: str | None = None


current_update: ContextVar[UpdateContext | None] = ContextVar("current_update", default=None)


class UpdateContextFilter(logging.Filter):
    """Copies the current update's ids (never its text) onto every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        context = current_update.get()
        if context is not None:
            record.update_id = context.update_id
            record.user_id = context.user_id
            record.handler = context.handler
        return True


class SecretRedactor(logging.Filter):
    """Last line of defence: a secret that slipped into a message or traceback is masked."""

    def __init__(self) -> None:
        super().__init__()
        self.secrets: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        message = record.getMessage()
        masked = self._mask(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and record.exc_info[1] is not None:
            text = logging.Formatter().formatException(record.exc_info)
            if self._mask(text) != text:
                record.msg = f"{record.getMessage()}\n{self._mask(text)}"
                record.args, record.exc_info = None, None
        return True

    def _mask(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "***")
        return text


_redactor = SecretRedactor()


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "at": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in ("update_id", "user_id", "handler"):
            value = getattr(record, name, None)
            if value is not None:
                entry[name] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure(level: str = "INFO", *, json_lines: bool = False) -> None:
    handler = logging.StreamHandler(sys.stderr)
    if json_lines:
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(UpdateContextFilter())
    handler.addFilter(_redactor)
    logging.basicConfig(level=level, handlers=[handler], force=True)
    # APScheduler reports every run of every job at INFO: once a second for the outbox alone.
    quiet = logging.root.level >= logging.INFO
    logging.getLogger("apscheduler.executors.default").setLevel(
        logging.WARNING if quiet else logging.NOTSET
    )


def redact(*secrets: str) -> None:
    """Mask these values in every log line from now on (the bot token, the webhook secret)."""
    _redactor.secrets.update(secret for secret in secrets if secret)

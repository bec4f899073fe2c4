"""A failed update: whether its handler had saved anything before it failed, so the apology
never says «Нічого не змінено» after a save.

The count is kept where commits happen (`storage.database`); the bot's middlewares mark where
each update and its handler begin.
"""

from __future__ import annotations

from storage import database


def saved_by_handler() -> bool:
    """Whether the current update's handler committed a write transaction."""
    return database.saved_by_handler()

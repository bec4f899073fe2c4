"""What every use case may need, built once by bot/app.py and handed to handlers as one value."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.access import AccessPolicy
from core.calendar import WorkCalendar
from core.clock import Clock
from core.deadlines import DeadlineRule
from core.reminders import ReminderPolicy
from reports.requisites import Requisites
from storage.backup import BackupPolicy
from storage.database import Database


@dataclass(frozen=True, slots=True)
class Deps:
    """The typed bundle handlers receive as `deps` (aiogram injects it by name).

    A use case takes it first and opens one `deps.db.transaction()`; a handler never opens one.
    """

    db: Database
    clock: Clock
    calendar: WorkCalendar
    requisites: Requisites
    deadline_rule: DeadlineRule
    reminder_policy: ReminderPolicy
    backup_policy: BackupPolicy
    access_policy: AccessPolicy
    coordinator_ids: frozenset[int]
    bot_username: str

    def now(self) -> datetime:
        return self.clock.now()

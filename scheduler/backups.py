"""The nightly backup on the ticker: a tick a minute; the backup folder says if one is due."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Protocol

from core.clock import Clock
from services.backup import run_nightly_backup
from storage.backup import BackupPolicy

BACKUP_JOB_ID = "backup.nightly"


class JobHost(Protocol):
    """The ticker as the job needs it (scheduler.runner.Ticker, or a test's stand-in)."""

    def add_job(self, job_id: str, func: Callable[[], Awaitable[None]], seconds: float) -> None:
        """Run `func` every `seconds`."""


def register_backup_job(
    jobs: JobHost, db_path: Path, policy: BackupPolicy, clock: Clock, *, every: float = 60.0
) -> None:
    """Tick the nightly backup every minute; the files decide whether one is due."""

    async def tick() -> None:
        await run_nightly_backup(db_path, policy, clock)

    jobs.add_job(BACKUP_JOB_ID, tick, every)

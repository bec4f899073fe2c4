"""Backups as use cases: /backup's copy made now and its hand-over audited, and the nightly one."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from core.clock import Clock
from core.models import Actor
from services.deps import Deps
from storage import audit
from storage.backup import BackupPolicy, make_backup, nightly_due

# Telegram's Bot API refuses uploads above 50 MB from bots.
UPLOAD_LIMIT_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Backup:
    """A backup file just made, and whether it can go to a chat."""

    path: Path
    size: int

    @property
    def too_large(self) -> bool:
        return self.size > UPLOAD_LIMIT_BYTES


async def back_up_now(deps: Deps) -> Backup:
    """A fresh, verified backup of the database, kept in the backup folder (and rotated)."""
    path = await make_backup(deps.db.path, deps.backup_policy, deps.now())
    return Backup(path, path.stat().st_size)


async def record_handed_over(deps: Deps, actor: Actor, backup: Backup) -> None:
    """The file carries everyone's personal data: who took a copy is worth a line in the audit."""
    async with deps.db.transaction() as conn:
        await audit.record(
            conn,
            at=deps.now(),
            actor_id=actor.telegram_id,
            action="backup.sent",
            entity="database",
            entity_id=None,
            after={"file": backup.path.name, "bytes": backup.size},
        )


async def run_nightly_backup(db_path: Path, policy: BackupPolicy, clock: Clock) -> Path | None:
    """One tick of the nightly job: a backup if one is due, else nothing."""
    now = clock.now()
    if not nightly_due(policy, now):
        return None
    return await make_backup(db_path, policy, now)

"""Online backups of the SQLite file: make, rotate, verify, restore, and whether the nightly one
is due (the files say)."""

from __future__ import annotations

import asyncio
import logging
import os
import re
import shutil
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from zoneinfo import ZoneInfo

from storage.database import exclusive_use, flocked, migrations

log = logging.getLogger(__name__)

_STAMP = "%Y%m%d-%H%M%S"
# zvitbot-20260302-020000.sqlite3, or ...-020000-2.sqlite3 for a second one within one second.
_BACKUP_NAME = re.compile(r"^zvitbot-(\d{8}-\d{6})(?:-(\d+))?\.sqlite3$")


class BackupProblem(StrEnum):
    MISSING = "missing"
    NOT_SQLITE = "not_sqlite"
    CORRUPT = "corrupt"
    SCHEMA_OLDER = "schema_older"
    SCHEMA_NEWER = "schema_newer"


_UNREADABLE = frozenset({BackupProblem.MISSING, BackupProblem.NOT_SQLITE, BackupProblem.CORRUPT})


@dataclass(frozen=True, slots=True)
class BackupCheck:
    """What verification found in a backup file; `problem` is None when it may be restored."""

    path: Path
    integrity: str
    schema_version: int | None
    expected_version: int
    problem: BackupProblem | None

    @property
    def ok(self) -> bool:
        return self.problem is None


class BackupRefused(Exception):
    """The file failed verification; nothing was touched."""

    def __init__(self, check: BackupCheck) -> None:
        super().__init__(f"{check.path}: {check.problem}")
        self.check = check


@dataclass(frozen=True, slots=True)
class RestoreOutcome:
    check: BackupCheck
    restored_to: Path
    moved_aside: list[Path] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class BackupPolicy:
    """Where backups go, how many stay, and the local hour of the nightly one."""

    directory: Path
    keep: int
    hour: int
    tz: ZoneInfo


def known_schema_version() -> int:
    """The schema version this code's migrations produce."""
    return migrations()[-1][0]


def list_backups(directory: Path) -> list[Path]:
    """Backup files in the directory, oldest first; other files are never counted or touched."""
    if not directory.is_dir():
        return []
    found = []
    for path in directory.iterdir():
        match = _BACKUP_NAME.match(path.name)
        if match and path.is_file():
            found.append((match.group(1), int(match.group(2) or 1), path))
    return [path for _, _, path in sorted(found)]


def _free_name(directory: Path, stamp: str) -> Path:
    """The next name for this second, numbered after every one already there: a name freed by
    rotation is never reused, or the new file would sort as the oldest and be rotated away."""
    numbers = [
        int(match.group(2) or 1)
        for path in directory.iterdir()
        if (match := _BACKUP_NAME.match(path.name)) and match.group(1) == stamp
    ]
    number = max(numbers, default=0) + 1
    suffix = "" if number == 1 else f"-{number}"
    return directory / f"zvitbot-{stamp}{suffix}.sqlite3"


def _copy_online(source: Path, target: Path) -> None:
    # A second connection sees only committed data (WAL), and never waits on the bot's lock.
    src = sqlite3.connect(source, timeout=30)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
            # One self-contained file: no -wal beside it when it is opened, mailed or restored.
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    finally:
        src.close()


def backup_now(db_path: Path, policy: BackupPolicy, now: datetime) -> Path:
    """Copy the live database into a new, verified backup file; then rotate. Blocking."""
    if not db_path.is_file():
        raise FileNotFoundError(2, "no database to back up", str(db_path))
    policy.directory.mkdir(parents=True, exist_ok=True)
    # One backup at a time per folder, across threads and processes: the nightly job, /backup
    # and the CLI may start within the same second and would pick the same name.
    with flocked(policy.directory / ".lock"):
        target = _free_name(policy.directory, now.astimezone(policy.tz).strftime(_STAMP))
        # Written under another name first, so a crash never leaves a half file that looks done.
        partial = target.with_name(target.name + ".partial")
        partial.unlink(missing_ok=True)
        try:
            _copy_online(db_path, partial)
            check = verify_backup(partial)
            # Only integrity here: a backup of an older schema, taken before an upgrade, is wanted.
            if check.problem in _UNREADABLE:
                raise BackupRefused(check)
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
        size = target.stat().st_size
        rotate(policy.directory, policy.keep)
    log.info("backup written: %s (%d bytes)", target.name, size)
    return target


async def make_backup(db_path: Path, policy: BackupPolicy, now: datetime) -> Path:
    """`backup_now` off the event loop: copying a large file must not stall the bot."""
    return await asyncio.to_thread(backup_now, db_path, policy, now)


def rotate(directory: Path, keep: int) -> list[Path]:
    """Delete all but the `keep` newest backups; returns what was deleted."""
    backups = list_backups(directory)
    doomed = backups[: max(len(backups) - keep, 0)]
    for path in doomed:
        path.unlink(missing_ok=True)
        log.info("old backup removed: %s", path.name)
    return doomed


def verify_backup(path: Path) -> BackupCheck:
    """Integrity check and schema version of a backup, read-only."""
    expected = known_schema_version()

    def result(problem: BackupProblem | None, integrity: str, version: int | None) -> BackupCheck:
        return BackupCheck(path, integrity, version, expected, problem)

    if not path.is_file():
        return result(BackupProblem.MISSING, "", None)
    with path.open("rb") as head:
        if head.read(16) != b"SQLite format 3\x00":
            return result(BackupProblem.NOT_SQLITE, "", None)
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            rows = conn.execute("PRAGMA integrity_check").fetchall()
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.DatabaseError as error:
        return result(BackupProblem.CORRUPT, str(error), None)
    integrity = "; ".join(str(row[0]) for row in rows)
    if integrity != "ok":
        return result(BackupProblem.CORRUPT, integrity, version)
    if version < expected:
        return result(BackupProblem.SCHEMA_OLDER, integrity, version)
    if version > expected:
        return result(BackupProblem.SCHEMA_NEWER, integrity, version)
    return result(None, integrity, version)


def restore(backup_path: Path, db_path: Path, now: datetime) -> RestoreOutcome:
    """Verify the backup, move the current database aside, and put the backup in its place.

    Refused with `DatabaseInUse` while the bot (or any command) has the database open: it would
    go on writing to the moved file.
    """
    check = verify_backup(backup_path)
    if not check.ok:
        raise BackupRefused(check)
    aside = db_path.with_name(f"{db_path.name}.before-restore-{now.strftime(_STAMP)}")
    moved = []
    with exclusive_use(db_path):
        # The -wal and -shm keep SQLite's naming next to the moved file, so it still opens whole.
        for suffix in ("", "-wal", "-shm"):
            current = db_path.with_name(db_path.name + suffix)
            if current.exists():
                destination = aside.with_name(aside.name + suffix)
                os.replace(current, destination)
                moved.append(destination)
        incoming = db_path.with_name(db_path.name + ".restoring")
        shutil.copyfile(backup_path, incoming)
        os.replace(incoming, db_path)
    log.info("restored %s from %s", db_path, backup_path)
    return RestoreOutcome(check, db_path, moved)


def nightly_due(policy: BackupPolicy, now: datetime) -> bool:
    """True from the backup hour on, until a backup made at or after today's hour exists.

    Decided from the files, not from scheduler memory, so restarts neither skip nor double it.
    """
    local = now.astimezone(policy.tz)
    if local.hour < policy.hour:
        return False
    since = f"zvitbot-{local:%Y%m%d}-{policy.hour:02d}0000"
    return not any(path.name >= since for path in list_backups(policy.directory))

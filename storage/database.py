"""The SQLite connection: pragmas, numbered migrations, and serialized transactions."""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import re
import weakref
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from contextlib import asynccontextmanager
from contextvars import ContextVar
from importlib import resources
from pathlib import Path
from typing import IO, Any

import aiosqlite

log = logging.getLogger(__name__)

_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


def migrations() -> list[tuple[int, str]]:
    """Numbered migration scripts in order, as (number, SQL)."""
    found = []
    for entry in resources.files("storage.migrations").iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.read_text(encoding="utf-8")))
    found.sort()
    numbers = [number for number, _ in found]
    if numbers != list(range(1, len(numbers) + 1)):
        raise RuntimeError(f"migrations must be numbered 1..N without gaps, got {numbers}")
    return found


class DatabaseInUse(Exception):
    """Some process (the bot, a CLI command) has the database open."""


def _lock_path(path: Path) -> Path:
    """The file every process using the database holds a shared flock on."""
    return path.with_name(path.name + ".lock")


@contextlib.contextmanager
def flocked(path: Path, operation: int = fcntl.LOCK_EX) -> Iterator[None]:
    """Hold an flock on `path` (created if need be) for the block; it conflicts with any other
    open of the file, in this process or another. Closing the file releases it."""
    with path.open("a", encoding="utf-8") as handle:
        fcntl.flock(handle, operation)
        yield


@contextlib.contextmanager
def exclusive_use(path: Path) -> Iterator[None]:
    """Hold the database for a change no open connection may see (restore); raise
    `DatabaseInUse` at once if any `Database` has it open, in this process or another."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.ExitStack() as held:
        try:
            held.enter_context(flocked(_lock_path(path), fcntl.LOCK_EX | fcntl.LOCK_NB))
        except BlockingIOError:
            raise DatabaseInUse(str(path)) from None
        yield


class Database:
    """One aiosqlite connection shared by the process.

    Every read and write goes through `transaction()` (or `reading()`, or `statement()` for
    one SELECT), which holds an asyncio lock: aiosqlite
    runs statements on one thread, and without the lock two handlers' transactions would
    interleave on the same connection.
    """

    def __init__(self, conn: aiosqlite.Connection, path: Path, usage: IO[str]) -> None:
        self._conn = conn
        self._lock = asyncio.Lock()
        self._usage = usage
        self.path = path

    @classmethod
    async def open(cls, path: Path, *, migrate: bool = True) -> Database:
        path.parent.mkdir(parents=True, exist_ok=True)
        # A shared lock for as long as the database is open: any number of processes may use it
        # together, but `restore` (exclusive) refuses to swap the file under them. Waits, at
        # most the moments a restore takes, if one is under way.
        usage = _lock_path(path).open("a", encoding="utf-8")
        await asyncio.to_thread(fcntl.flock, usage, fcntl.LOCK_SH)
        try:
            conn = await aiosqlite.connect(path, isolation_level=None)
        except BaseException:
            usage.close()
            raise
        conn.row_factory = aiosqlite.Row
        # WAL lets the backup and a second process read while we write; NORMAL sync in WAL
        # survives a process crash (every commit reaches the OS), see docs/benchmarks.md.
        await conn.execute("PRAGMA journal_mode=WAL")
        await conn.execute("PRAGMA synchronous=NORMAL")
        await conn.execute("PRAGMA foreign_keys=ON")
        await conn.execute("PRAGMA busy_timeout=10000")
        db = cls(conn, path, usage)
        if migrate:
            await db.migrate()
        return db

    async def close(self) -> None:
        try:
            await self._conn.close()
        finally:
            self._usage.close()  # closing the file releases the lock

    async def schema_version(self) -> int:
        async with self._conn.execute("PRAGMA user_version") as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else 0

    async def migrate(self) -> int:
        """Apply pending migrations, each in its own transaction; return the new version."""
        async with self._lock:
            current = await self.schema_version()
            for number, sql in migrations():
                if number <= current:
                    continue
                await self._conn.execute("BEGIN IMMEDIATE")
                try:
                    # executescript would COMMIT on its own; run statements one by one instead.
                    for statement in _statements(sql):
                        await self._conn.execute(statement)
                    await self._conn.execute(f"PRAGMA user_version = {number:d}")
                    await self._conn.execute("COMMIT")
                except BaseException:
                    await self._conn.execute("ROLLBACK")
                    raise
                log.info("applied migration %04d", number)
                current = number
            return current

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """A write transaction (BEGIN IMMEDIATE): committed on success, rolled back on error."""
        async with self._lock:
            await self._conn.execute("BEGIN IMMEDIATE")
            changes = self._conn.total_changes
            try:
                yield self._conn
            except BaseException:
                forget_cached(self._conn)  # it may hold what this transaction read or wrote
                await self._conn.execute("ROLLBACK")
                raise
            await self._conn.execute("COMMIT")
            if self._conn.total_changes > changes:  # one that wrote nothing saved nothing
                _commits.set(_commits.get() + 1)

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[aiosqlite.Connection]:
        """A consistent read (deferred transaction), never interleaved with a write."""
        async with self._lock:
            await self._conn.execute("BEGIN")
            try:
                yield self._conn
            finally:
                await self._conn.execute("COMMIT")

    @asynccontextmanager
    async def statement(self) -> AsyncIterator[aiosqlite.Connection]:
        """The connection for one read-only statement: SQLite runs it as its own transaction,
        so a single SELECT is consistent without BEGIN and COMMIT (two trips less). Never
        write here: that would commit at once, uncounted by `saved_by_handler`."""
        async with self._lock:
            yield self._conn


# Write transactions committed in this context (one update's task), and the count when its
# handler began: a failed update's apology says truthfully whether anything was saved.
_commits: ContextVar[int] = ContextVar("commits", default=0)
_handler_began: ContextVar[int | None] = ContextVar("handler_began", default=None)


def begin_update() -> None:
    """An update arrived: nothing it does has been saved yet, and no handler has begun."""
    _handler_began.set(None)


def begin_handler() -> None:
    """The update's handler begins: commits from here on are its saves."""
    _handler_began.set(_commits.get())


def saved_by_handler() -> bool:
    """Whether the current update's handler committed anything."""
    began = _handler_began.get()
    return began is not None and _commits.get() > began


def _statements(script: str) -> list[str]:
    """Split a migration into statements (our migrations hold no triggers or ';' in strings)."""
    lines = [line for line in script.splitlines() if not line.strip().startswith("--")]
    return [part.strip() for part in "\n".join(lines).split(";") if part.strip()]


# Positional (`?`) or named (`:name`) parameters.
Params = Sequence[Any] | Mapping[str, Any]


async def fetch_one(
    conn: aiosqlite.Connection, sql: str, params: Params = ()
) -> aiosqlite.Row | None:
    """The first row of a key lookup or a LIMIT 1 query (every row it returns is fetched)."""
    rows = await conn.execute_fetchall(sql, params)
    return next(iter(rows), None)


async def fetch_all(
    conn: aiosqlite.Connection, sql: str, params: Params = ()
) -> list[aiosqlite.Row]:
    # One trip to aiosqlite's thread instead of three (execute, fetch, close): see
    # docs/benchmarks.md, where this was the largest cost of handling an update.
    return list(await conn.execute_fetchall(sql, params))


# What a connection keeps between transactions (the plans' measures and indicators), valid for
# one `PRAGMA data_version`: it changes when another connection or process commits. This
# connection's own writers call `forget_cached`, and so does every rollback.
_caches: weakref.WeakKeyDictionary[aiosqlite.Connection, tuple[int, dict[Any, Any]]] = (
    weakref.WeakKeyDictionary()
)


async def connection_cache(
    conn: aiosqlite.Connection, version: int | None = None
) -> dict[Any, Any]:
    """The connection's cache, emptied if anyone else committed since it was filled.

    `version` is the `data_version` the caller read in this transaction, if it did (one trip
    less); otherwise it is read here."""
    if version is None:
        rows = await conn.execute_fetchall("PRAGMA data_version")
        version = int(next(iter(rows))[0])
    held = _caches.get(conn)
    if held is None or held[0] != version:
        held = (version, {})
        _caches[conn] = held
    return held[1]


def forget_cached(conn: aiosqlite.Connection) -> None:
    """This connection changed what the cache holds (or may yet roll it back)."""
    _caches.pop(conn, None)

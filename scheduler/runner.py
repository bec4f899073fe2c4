"""The ticker: APScheduler runs short periodic jobs; each reads the DB to decide what is due."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from scheduler.sender import OutboxSender

log = logging.getLogger(__name__)

Job = Callable[[], Awaitable[None]]
OUTBOX_JOB_ID = "outbox.drain"


class Ticker:
    """Owns the scheduler. Jobs keep no state between runs: whatever is due lives in the DB, so
    a run that is skipped, coalesced or lost to a restart is made up by the next one."""

    def __init__(
        self,
        sender: OutboxSender,
        *,
        drain_every: float = 1.0,
        drain_budget: float = 0.9,
        final_drain_budget: float = 2.0,
        misfire_grace_seconds: int = 30,
    ) -> None:
        self._sender = sender
        self._drain_budget = drain_budget
        self._final_drain_budget = final_drain_budget
        self._running: set[asyncio.Task[None]] = set()
        self._current: dict[str, asyncio.Task[None]] = {}
        self._scheduler = AsyncIOScheduler(
            timezone=UTC,
            job_defaults={
                "max_instances": 1,
                "coalesce": True,
                "misfire_grace_time": misfire_grace_seconds,
            },
        )
        self.add_job(OUTBOX_JOB_ID, self._drain, drain_every)

    @property
    def job_ids(self) -> list[str]:
        return sorted(job.id for job in self._scheduler.get_jobs())

    def add_job(self, job_id: str, func: Job, seconds: float) -> None:
        """Run `func` every `seconds`; the id is deterministic, so adding it twice replaces it."""
        if seconds <= 0:
            raise ValueError("a job's interval must be positive")

        async def run() -> None:
            # The job runs in a task of our own, not APScheduler's: its shutdown cancels running
            # jobs, and a drain cut mid-request would leave a delivered message unrecorded.
            # stop() awaits these tasks instead. A tick that finds the last run still going
            # skips quietly (APScheduler would log a warning for every such tick).
            previous = self._current.get(job_id)
            if previous is not None and not previous.done():
                return
            task = asyncio.create_task(self._guarded(job_id, func), name=f"job:{job_id}")
            self._current[job_id] = task
            self._running.add(task)
            task.add_done_callback(self._running.discard)

        # The first run comes at start: what fell due while the bot was down is not left waiting.
        self._scheduler.add_job(
            run,
            "interval",
            seconds=seconds,
            id=job_id,
            name=job_id,
            replace_existing=True,
            next_run_time=datetime.now(UTC),
        )

    def start(self) -> None:
        """Start ticking; call from inside the running event loop."""
        self._scheduler.start()
        log.info("scheduler started with jobs %s", ", ".join(self.job_ids))

    async def stop(self) -> None:
        """Stop ticking, let running jobs finish, and drain once more so nothing stays claimed."""
        if self._scheduler.running:
            self._scheduler.pause()
            self._scheduler.shutdown(wait=False)
        if self._running:
            await asyncio.wait(set(self._running))
        try:
            await self._sender.drain(self._final_drain_budget)
        except Exception:
            log.exception("the last outbox drain failed")
        finally:
            released = await self._sender.release()
            if released:
                log.info("handed back %d claimed outbox rows", released)
        log.info("scheduler stopped")

    async def _drain(self) -> None:
        report = await self._sender.drain(self._drain_budget)
        if report.attempted or report.dropped:
            log.info(
                "outbox: %d sent, %d to retry, %d failed, %d dropped",
                report.sent,
                report.retried,
                report.failed,
                report.dropped,
            )

    @staticmethod
    async def _guarded(job_id: str, func: Job) -> None:
        try:
            await func()
        except Exception:
            log.exception("job %s failed; it runs again at its next tick", job_id)

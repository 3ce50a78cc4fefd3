"""Background work: run inside each server process by default, or alone with `pytake worker`."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta

from domain.accounts.throttle import ThrottlePolicy
from domain.clock import Clock
from persistence.database import Database
from persistence.maintenance import purge_expired
from web.polling import PollingWorker
from web.whatsapp.sender import SHUTDOWN_GRACE_SECONDS

logger = logging.getLogger(__name__)

LOGIN_ATTEMPT_RETENTION = timedelta(days=1)
KNOWN_DEVICE_RETENTION = ThrottlePolicy().known_device_for
WORKER_STOP_SECONDS = SHUTDOWN_GRACE_SECONDS + 5
"""Longer than the sender's own grace for recording Meta's last answers."""


BACKGROUND_WORKER: ContextVar[str | None] = ContextVar("background_worker", default=None)
"""The background worker the running code works for (the tasks it starts inherit it); None
while a request is served. What a request costs is measured without its neighbours' work."""

MAX_BACKOFF_SECONDS = 60.0
STEADY_SECONDS = 60.0
"""A worker that ran this long before failing starts its backoff afresh."""


@dataclass(frozen=True)
class Worker:
    name: str
    run_forever: Callable[[], Awaitable[None]]


class WorkerHealth:
    """Which background workers of this process failed and are waiting to restart, for
    /readyz: a worker that died is reported at once, not found by its missing work."""

    def __init__(self) -> None:
        self._failures: dict[str, str] = {}

    def failed(self, name: str, error: BaseException, restart_in: float) -> None:
        self._failures[name] = (
            f"failed ({type(error).__name__}: {error}); restarts in {restart_in:.1f} s"
        )

    def restarted(self, name: str) -> None:
        self._failures.pop(name, None)

    def failures(self) -> dict[str, str]:
        return dict(self._failures)


async def supervised(worker: Worker, health: WorkerHealth, backoff_seconds: float) -> None:
    """The one policy for every polling worker: whatever ends it but a cancellation is logged
    with the worker's name, reported, and followed by a restart after a jittered exponential
    backoff, so a bug or an unforeseen error never silently stops the work."""
    BACKGROUND_WORKER.set(worker.name)
    loop = asyncio.get_running_loop()
    failures = 0
    while True:
        started = loop.time()
        try:
            await worker.run_forever()
            error: Exception = RuntimeError("returned, which a worker never does on its own")
        except asyncio.CancelledError:
            raise
        except Exception as raised:
            error = raised
        current = asyncio.current_task()
        if current is not None and current.cancelling():
            # Stopping: a worker that swallowed its cancellation is not restarted.
            return
        if loop.time() - started >= STEADY_SECONDS:
            failures = 0
        delay = min(MAX_BACKOFF_SECONDS, backoff_seconds * 2**failures) * random.uniform(0.5, 1)  # noqa: S311
        failures += 1
        logger.error(
            "background worker %s failed; restarting in %.1f s", worker.name, delay, exc_info=error
        )
        health.failed(worker.name, error, delay)
        await asyncio.sleep(delay)
        health.restarted(worker.name)


@asynccontextmanager
async def running(
    workers: Sequence[Worker],
    health: WorkerHealth | None = None,
    *,
    backoff_seconds: float = 1.0,
    stop_seconds: float = WORKER_STOP_SECONDS,
) -> AsyncIterator[None]:
    """Runs the workers, supervised, for the duration, then cancels them and waits for them to
    finish. A worker still running `stop_seconds` later is logged and left behind, so that one
    which lost its cancellation cannot hold a server's shutdown forever."""
    health = health or WorkerHealth()
    tasks = [
        asyncio.create_task(supervised(worker, health, backoff_seconds), name=worker.name)
        for worker in workers
    ]
    try:
        yield
    finally:
        for task in tasks:
            task.cancel()
        if tasks:
            finished, stuck = await asyncio.wait(tasks, timeout=stop_seconds)
            for task in finished:
                failure = None if task.cancelled() else task.exception()
                if failure is not None:
                    logger.error("background worker %s failed", task.get_name(), exc_info=failure)
            for task in stuck:
                logger.error(
                    "background worker %s did not stop %g s after its cancellation",
                    task.get_name(),
                    stop_seconds,
                )


class MaintenanceWorker(PollingWorker):
    """Deletes events, processed webhook deliveries and sign-in failures past their retention;
    safe to run in N processes."""

    name = "maintenance"

    def __init__(
        self,
        database: Database,
        clock: Clock,
        event_retention: timedelta,
        interval_seconds: float,
        webhook_retention: timedelta,
    ) -> None:
        super().__init__(interval_seconds)
        self._database = database
        self._clock = clock
        self._event_retention = event_retention
        self._webhook_retention = webhook_retention

    async def run_once(self) -> int:
        now = self._clock.now()
        return await purge_expired(
            self._database,
            events_before=now - self._event_retention,
            attempts_before=now - LOGIN_ATTEMPT_RETENTION,
            deliveries_before=now - self._webhook_retention,
            known_devices_before=now - KNOWN_DEVICE_RETENTION,
        )

    async def round(self) -> bool:
        purged = await self.run_once()
        if purged:
            logger.info("maintenance purged %d expired rows", purged)
        return False

"""Supervising the background workers: one that fails is logged, reported and restarted
after a backoff; on stop each is cancelled and awaited, and one that ignores its cancellation is
reported instead of holding the server's shutdown forever."""

from __future__ import annotations

import asyncio
import functools
import logging

import pytest

from web.workers import Worker, WorkerHealth, running


async def test_workers_are_cancelled_when_the_server_stops() -> None:
    stopped: list[str] = []

    async def worker(name: str) -> None:
        try:
            await asyncio.sleep(3600)
        finally:
            stopped.append(name)

    workers = [Worker(name, functools.partial(worker, name)) for name in ("sender", "distribution")]
    async with running(workers):
        await asyncio.sleep(0)

    assert sorted(stopped) == ["distribution", "sender"]


async def test_a_worker_that_ignores_its_cancellation_is_reported_and_left_behind(
    caplog: pytest.LogCaptureFixture,
) -> None:
    released = asyncio.Event()

    async def stubborn() -> None:
        while not released.is_set():
            try:
                await asyncio.sleep(0.01)
            except asyncio.CancelledError:
                continue  # what a worker did when Python 3.11's wait_for lost the cancellation

    caplog.set_level(logging.ERROR, logger="web.workers")
    async with running([Worker("stubborn", stubborn)], stop_seconds=0.2):
        await asyncio.sleep(0)
    left_behind = [task for task in asyncio.all_tasks() if "stubborn" in task.get_name()]
    released.set()
    await asyncio.gather(*left_behind)

    assert len(left_behind) == 1
    assert "stubborn did not stop 0.2 s after its cancellation" in caplog.text


async def test_a_worker_that_fails_is_reported_then_restarted(
    caplog: pytest.LogCaptureFixture,
) -> None:
    runs = 0
    health = WorkerHealth()
    reported: list[dict[str, str]] = []

    async def flaky() -> None:
        nonlocal runs
        runs += 1
        if runs <= 2:
            raise KeyError("an error nobody foresaw")
        await asyncio.sleep(3600)

    caplog.set_level(logging.ERROR, logger="web.workers")
    async with running([Worker("flow timers", flaky)], health, backoff_seconds=0.05):
        while runs < 3:
            reported.append(health.failures())
            await asyncio.sleep(0.01)
        recovered = health.failures()

    assert runs == 3
    assert any("KeyError" in failures.get("flow timers", "") for failures in reported)
    assert recovered == {}
    assert caplog.text.count("background worker flow timers failed; restarting in") == 2

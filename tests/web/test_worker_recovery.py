"""Every background worker of a running server survives an error nobody foresaw: it is logged,
/readyz reports the worker while it waits to restart, and the work goes on."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

from persistence.database import Database
from tests.support import eventually, make_settings, running_server

# (worker, the attribute its loop calls each round) for each of web.app's background workers.
ROUNDS = [
    ("maintenance", "maintenance", "run_once"),
    ("webhook deliveries", "deliveries", "run_once"),
    ("sender", "sender", "_claim"),
    ("flow timers", "flow_timers", "run_once"),
    ("distribution", "distribution", "run_once"),
    ("snoozes", "snoozes", "run_once"),
]


class FailsOnce:
    """Raises an unforeseen error on the first call, then does the real work again."""

    def __init__(self, real: Callable[[], Awaitable[Any]]) -> None:
        self._real = real
        self.calls = 0

    async def __call__(self) -> Any:
        self.calls += 1
        if self.calls == 1:
            raise ZeroDivisionError("injected by the test")
        return await self._real()


@pytest.mark.parametrize(("name", "worker", "round_method"), ROUNDS, ids=[r[0] for r in ROUNDS])
async def test_a_worker_recovers_from_an_unexpected_error(
    database: Database, name: str, worker: str, round_method: str
) -> None:
    url = database.url.render_as_string(hide_password=False)
    settings = make_settings(
        url,
        # The failure is reported for the backoff's length (half of it at least, with jitter):
        # a second, so that a /readyz answered slowly under the full suite's load still sees it.
        worker_backoff_seconds=2.0,
        maintenance_interval_seconds=0.1,
        flow_timer_poll_seconds=0.05,
        distribution_poll_seconds=0.05,
        snooze_poll_seconds=0.05,
    )
    async with running_server(settings) as server:
        target = getattr(server.runtime, worker)
        injected = FailsOnce(getattr(target, round_method))
        setattr(target, round_method, injected)
        server.runtime.deliveries.wake()
        server.runtime.sender.wake()
        server.runtime.flow_timers.wake()

        async with httpx.AsyncClient(base_url=server.url) as http:

            async def worker_reported() -> dict[str, Any] | None:
                body: dict[str, Any] = (await http.get("/readyz")).json()
                return body if body["checks"]["workers"] != "ok" else None

            # No loop catches everything itself: the supervisor reports and restarts each one.
            reported = await eventually(worker_reported, what=f"{name} reported")
            await eventually(lambda: asyncio.sleep(0, injected.calls >= 3), what="more rounds")
            ready = (await http.get("/readyz")).json()

    assert reported["status"] == "unavailable"
    assert (
        f"{name} failed (ZeroDivisionError: injected by the test)"
        in (reported["checks"]["workers"])
    )
    assert injected.calls >= 3
    assert ready["checks"]["workers"] == "ok"

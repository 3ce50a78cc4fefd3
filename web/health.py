"""Liveness and readiness: /healthz says the process runs, /readyz that it can serve."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable

from starlette.requests import Request
from starlette.responses import JSONResponse

from domain.errors import ServiceUnavailable
from persistence.database import Database
from web.broadcast import EventBus
from web.workers import WorkerHealth

CHECK_TIMEOUT_SECONDS = 3


async def healthz(_: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


class Readiness:
    def __init__(self, database: Database, bus: EventBus, workers: WorkerHealth) -> None:
        self._database = database
        self._bus = bus
        self._workers = workers

    async def check(self, _: Request) -> JSONResponse:
        failed = self._workers.failures()
        checks = {
            "database": await _check(self._database.ping()),
            "eventBus": await _check(self._bus.ping()),
            "workers": "; ".join(f"{name} {why}" for name, why in failed.items()) or "ok",
        }
        ready = all(result == "ok" for result in checks.values())
        return JSONResponse(
            {"status": "ready" if ready else "unavailable", "checks": checks},
            status_code=200 if ready else 503,
        )


async def _check(probe: Awaitable[None]) -> str:
    try:
        async with asyncio.timeout(CHECK_TIMEOUT_SECONDS):
            await probe
    except ServiceUnavailable as outage:
        return outage.message
    except TimeoutError:
        return f"no answer within {CHECK_TIMEOUT_SECONDS} s"
    return "ok"

"""Waiting for a wake-up or a poll interval, whichever comes first, without losing a
cancellation.

`asyncio.wait_for` on Python 3.11 returns normally when it is cancelled just as the awaited
event fires, and the cancellation is lost (CPython gh-86296, fixed in 3.12). A worker loop that
lost its shutdown cancellation ran on forever and held its server's shutdown, so the workers
wait through `asyncio.timeout`, which keeps an outside cancellation apart from its own.
"""

from __future__ import annotations

import asyncio
import contextlib


async def woken_or_timed_out(wakeup: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(seconds):
            await wakeup.wait()

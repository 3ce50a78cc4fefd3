"""Workers wait for a wake-up or their poll interval; a shutdown's cancellation must end the
wait whenever it arrives, including the moment the wake-up fires (Python 3.11's
`asyncio.wait_for` loses it then, and the worker runs on, holding its server's shutdown)."""

from __future__ import annotations

import asyncio

import pytest

from web.wakeup import woken_or_timed_out


async def test_a_cancellation_arriving_as_the_wakeup_fires_ends_the_wait() -> None:
    for turns in range(8):
        wakeup = asyncio.Event()
        waiting = asyncio.create_task(woken_or_timed_out(wakeup, 10))
        await asyncio.sleep(0)
        wakeup.set()
        for _ in range(turns):
            await asyncio.sleep(0)
        if waiting.cancel():
            with pytest.raises(asyncio.CancelledError):
                await waiting
        else:
            assert waiting.done()
            assert not waiting.cancelled()


async def test_the_wait_ends_when_woken_or_when_the_interval_passes() -> None:
    wakeup = asyncio.Event()
    woken = asyncio.create_task(woken_or_timed_out(wakeup, 10))
    wakeup.set()
    await asyncio.wait_for(woken, 1)
    started = asyncio.get_running_loop().time()
    await woken_or_timed_out(asyncio.Event(), 0.05)
    assert asyncio.get_running_loop().time() - started >= 0.05

"""A pytest plugin: a test that waits forever stops the run within minutes, saying where it
waited, instead of holding CI until its limit with nothing printed. Every test here shares one
event loop, and a hang there is a coroutine awaiting something that never comes: a thread's
stack only shows the loop idle in `select`, so the report lists each task's chain of awaits."""

from __future__ import annotations

import asyncio
import faulthandler
import os
import sys
import threading
from collections.abc import Generator
from typing import Protocol, TextIO

import pytest

from tests.support import await_chain

DEADLINE_SECONDS = float(os.environ.get("PYTAKE_TEST_DEADLINE_SECONDS", "300"))
"""Set-up, test and tear-down together; the slowest test of the suite takes well under a
minute on a 2-core machine."""
LOOP_ANSWER_SECONDS = 5.0
EXIT_STATUS = 3


class OutputCapture(Protocol):
    """pytest's capture manager, as far as the watchdog uses it."""

    def suspend_global_capture(self, in_: bool = False) -> None: ...


class HangWatchdog:
    def __init__(self) -> None:
        self.loop: asyncio.AbstractEventLoop | None = None
        self.capture: OutputCapture | None = None

    def watch(self, test: str) -> threading.Timer:
        timer = threading.Timer(DEADLINE_SECONDS, self._report_and_exit, args=(test,))
        timer.daemon = True
        timer.start()
        return timer

    def _report_and_exit(self, test: str) -> None:
        if self.capture is not None:
            self.capture.suspend_global_capture()
        report = sys.__stderr__
        assert report is not None
        report.write(
            f"\n\n{test} had not finished (set-up, test and tear-down) after "
            f"{DEADLINE_SECONDS:g} s: the run stops here.\n"
        )
        self._write_task_chains(report)
        report.write("Every thread's stack:\n")
        report.flush()
        faulthandler.dump_traceback(file=report, all_threads=True)
        report.flush()
        os._exit(EXIT_STATUS)

    def _write_task_chains(self, report: TextIO) -> None:
        loop = self.loop
        if loop is None or not loop.is_running():
            return
        chains: list[str] = []
        collected = threading.Event()

        def collect() -> None:
            chains.extend(await_chain(task) for task in asyncio.all_tasks(loop))
            collected.set()

        loop.call_soon_threadsafe(collect)
        if collected.wait(LOOP_ANSWER_SECONDS):
            report.write("Where each task of the event loop waits:\n" + "".join(chains))
        else:
            report.write(
                f"The event loop ran nothing for {LOOP_ANSWER_SECONDS:g} s: it is blocked.\n"
            )


WATCHDOG = HangWatchdog()


def pytest_configure(config: pytest.Config) -> None:
    """The report goes to the terminal: pytest's capture would be lost with the process."""
    WATCHDOG.capture = config.pluginmanager.getplugin("capturemanager")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Generator[None, object, object]:
    timer = WATCHDOG.watch(item.nodeid)
    try:
        return (yield)
    finally:
        timer.cancel()


@pytest.fixture(scope="session", autouse=True)
async def watched_event_loop() -> None:
    """The watchdog reads the tasks of the loop every test shares."""
    WATCHDOG.loop = asyncio.get_running_loop()

"""The suite's own guard: a test that never finishes ends the run with the place it waits."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.hang_watchdog import EXIT_STATUS

REPOSITORY = Path(__file__).parents[1]


def test_a_test_that_waits_forever_stops_the_run_and_says_where(tmp_path: Path) -> None:
    (tmp_path / "test_waits.py").write_text(
        "import asyncio\n"
        "from contextlib import asynccontextmanager\n\n"
        "@asynccontextmanager\n"
        "async def a_server():\n"
        "    yield\n"
        "    await a_reply_that_never_comes()\n\n"
        "async def a_reply_that_never_comes():\n"
        "    await asyncio.Event().wait()\n\n"
        "async def test_waits_forever():\n"
        "    async with a_server():\n"
        "        pass\n"
    )
    pytest = [sys.executable, "-m", "pytest", "-c", "pyproject.toml", "-p", "no:cacheprovider"]
    run = subprocess.run(
        [*pytest, "-p", "tests.hang_watchdog", str(tmp_path)],
        check=False,
        cwd=REPOSITORY,
        env={**os.environ, "PYTAKE_TEST_DEADLINE_SECONDS": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == EXIT_STATUS, run.stdout + run.stderr
    assert "test_waits.py::test_waits_forever had not finished" in run.stderr
    # Down through the context manager's exit, which an asyncio stack does not show.
    assert "in a_server\n" in run.stderr, run.stderr
    assert "in a_reply_that_never_comes\n" in run.stderr, run.stderr

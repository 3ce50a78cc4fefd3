"""The console in a real Chromium (Debian's package, driven by Playwright) against a real
PyTake on PostgreSQL and Redis, with the Graph API simulator playing the customer."""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, async_playwright, expect

from tests.conftest import fresh_postgres_database
from tests.support import REDIS_URL, Channel, own_postgres_url, whatsapp_channel
from web.console import CONSOLE_BUILD
from web.whatsapp.simulator import SimulatorConfig

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # This machine has no internet: Chromium's own background connections would only fail.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = Path(__file__).parents[2] / "console" / "node_modules" / "axe-core" / "axe.min.js"
BUS_HEARTBEAT_SECONDS = 2.0
"""The production heartbeat for every server a browser test runs: the servers share their
process and the machine's two cores with Chromium, and the suite's 0.2 s heartbeat took a busy
second for a stalled Redis and dropped every stream."""

expect.set_options(timeout=10_000)


@pytest.fixture(scope="session")
async def chromium_process() -> AsyncIterator[Browser]:
    if not (CONSOLE_BUILD / "index.html").is_file():
        pytest.fail("The console is not built: `make test` builds it (or `.ci/console.sh build`)")
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Chromium is not installed: `make test` installs it (.ci/browser.sh)")
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield browser
        await browser.close()


def screenshots_folder(tmp_path: Path) -> Path:
    """`make screenshots` asks for the README's pictures; otherwise they go to the test's
    folder, taken all the same so the command cannot rot."""
    wanted = os.environ.get("PYTAKE_SCREENSHOTS")
    folder = Path(wanted) if wanted else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    return folder


async def sign_in(page: Page, base_url: str, email: str, password: str) -> None:
    await page.goto(base_url + "/")
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password").fill(password)
    await page.keyboard.press("Enter")
    await expect(page.locator(".connection[data-state='live']")).to_be_visible()


def refused_by_csp(page: Page) -> list[str]:
    """The browser's reports of anything the page's Content-Security-Policy refused, as they
    come: the list a test asserts empty at its end."""
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return refused


async def serious_accessibility_violations(page: Page) -> list[str]:
    """axe-core's findings of serious or critical impact on the page as it stands. It is
    evaluated through the DevTools protocol: the console's CSP refuses any injected script."""
    await page.evaluate(AXE.read_text())
    results = await page.evaluate("axe.run(document)")
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)"
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.fixture
async def channel() -> AsyncIterator[Channel]:
    database_url = await fresh_postgres_database(own_postgres_url("console"))
    async with whatsapp_channel(
        database_url,
        simulator_config=SimulatorConfig(status_delays=(0.1, 0.4, 0.9)),
        broadcast_url=REDIS_URL,
        bus_heartbeat_seconds=BUS_HEARTBEAT_SECONDS,
    ) as channel:
        yield channel


@pytest.fixture
async def chromium(chromium_process: Browser, channel: Channel) -> AsyncIterator[Browser]:
    """The browser, whose pages are all closed before the channel's server stops, even when a
    test fails half-way: a page left open would keep its sockets to a stopped server."""
    yield chromium_process
    for context in chromium_process.contexts:
        await context.close()

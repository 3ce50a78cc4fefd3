"""The console in Debian's Chromium against `pytake serve` on PostgreSQL and Redis, with
10,000 conversations:

(a) the JavaScript (and CSS) the inbox page loads, gzipped, read from the build;
(b) time to a usable inbox on a cold load (empty browser cache, signed in): from navigation
    to the first conversation row and the live indicator;
(c) from a signed webhook POST to the message being visible in the agent's open conversation,
    one message at a time, stamped in the page by a MutationObserver (same machine clock);
(d) scrolling the 10,000-conversation list once every page is loaded: frame intervals
    while the list scrolls at a steady speed, frames over 25 ms counted as dropped, frames
    whose rows did not cover the list's visible height (blank space), and how many rows the
    page holds in its DOM (virtualized).

The server runs on CPU 0, this script and Chromium on CPU 1.

    .venv/bin/python -m bench.console [--conversations 10000] [--messages 200] [--loads 5]
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import os
import re
import shutil
import statistics
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
from playwright.async_api import Browser, BrowserContext, Page, StorageState, async_playwright

from bench.inbox import (
    ADMIN_PASSWORD,
    DSN,
    graphql,
    percentile,
    prepare,
    seed,
    server,
    sign_in,
    signed,
)
from web.console import CONSOLE_BUILD

ROW_HEIGHT = 72
PROBE_WA_ID = "5511900000001"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def inbox_transfer_size() -> tuple[float, float]:
    """The gzipped kB of the scripts and the styles index.html loads before the inbox shows:
    its entry, its module preloads and its stylesheets (nothing else is imported later)."""
    page = (CONSOLE_BUILD / "index.html").read_text()
    scripts = re.findall(r'(?:src|href)="/(assets/[^"]+\.js)"', page)
    styles = re.findall(r'href="/(assets/[^"]+\.css)"', page)

    def gzipped(paths: list[str]) -> float:
        return sum(len(gzip.compress((CONSOLE_BUILD / p).read_bytes(), 9)) for p in paths) / 1000

    return gzipped(scripts), gzipped(styles)


async def signed_in_state(browser: Browser, base_url: str) -> StorageState:
    """The browser storage of a signed-in console, for the cold loads to start from."""
    context = await browser.new_context()
    page = await context.new_page()
    await page.goto(base_url + "/")
    await page.get_by_label("Email").fill("admin@example.com")
    await page.get_by_label("Password").fill(ADMIN_PASSWORD)
    await page.keyboard.press("Enter")
    await page.locator(".connection[data-state='live']").wait_for()
    state = await context.storage_state()
    await context.close()
    return state


async def cold_load(browser: Browser, base_url: str, state: StorageState) -> tuple[float, Page]:
    context = await browser.new_context(
        storage_state=state, viewport={"width": 1280, "height": 900}
    )
    page = await context.new_page()
    started = time.perf_counter()
    await page.goto(base_url + "/")
    await page.locator(".conversation-row").first.wait_for()
    await page.locator(".connection[data-state='live']").wait_for()
    return (time.perf_counter() - started) * 1000, page


OBSERVE = """() => {
  window.__seen = {};
  new MutationObserver(() => {
    for (const node of document.querySelectorAll('.message__text')) {
      const text = node.textContent;
      if (text.startsWith('probe ') && !(text in window.__seen)) window.__seen[text] = Date.now();
    }
  }).observe(document.body, { childList: true, subtree: true, characterData: true });
}"""


async def webhook_to_visible(page: Page, http: httpx.AsyncClient, messages: int) -> list[float]:
    delays = []
    for index in range(messages):
        text = f"probe {index}"
        body, signature = signed(
            PROBE_WA_ID, f"wamid.PROBE.{uuid.uuid4().hex}", text, name="Probe Customer"
        )
        posted = time.time() * 1000
        response = await http.post(
            "/api/v1/whatsapp/webhook",
            content=body,
            headers={"x-hub-signature-256": signature, "content-type": "application/json"},
        )
        assert response.status_code == 200, response.text
        await page.wait_for_function(f"() => {text!r} in window.__seen", timeout=10_000)
        seen = await page.evaluate(f"window.__seen[{text!r}]")
        delays.append((seen - posted) / 1000)
        await asyncio.sleep(0.05)
    return delays


async def load_every_page(page: Page, conversations: int) -> float:
    """Scrolls to the end until the list holds every conversation; the seconds it took."""
    started = time.perf_counter()
    scroller = page.locator(".conversation-list__scroller")
    rows = page.locator(".conversation-list__rows")
    while True:
        height = await rows.evaluate("element => element.getBoundingClientRect().height")
        if height >= conversations * ROW_HEIGHT:
            return time.perf_counter() - started
        await scroller.evaluate("element => { element.scrollTop = element.scrollHeight; }")
        await page.wait_for_function(
            "([selector, before]) => document.querySelector(selector)"
            ".getBoundingClientRect().height > before",
            arg=[".conversation-list__rows", height],
            timeout=30_000,
        )


SCROLL = """async ([pixelsPerSecond, seconds]) => {
  const scroller = document.querySelector('.conversation-list__scroller');
  scroller.scrollTop = 0;
  await new Promise((resolve) => requestAnimationFrame(resolve));
  const intervals = [];
  let rows = 0;
  let uncovered = 0;
  // Whether the rows in the DOM cover the list's visible height (rows are contiguous).
  function covered() {
    const view = scroller.getBoundingClientRect();
    const shown = [...document.querySelectorAll('.conversation-row')]
      .map((row) => row.getBoundingClientRect());
    if (scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 1) return true;
    return shown.length > 0 && Math.min(...shown.map((r) => r.top)) <= view.top + 1 &&
      Math.max(...shown.map((r) => r.bottom)) >= view.bottom - 1;
  }
  const start = performance.now();
  let last = start;
  await new Promise((resolve) => {
    function frame(now) {
      intervals.push(now - last);
      last = now;
      if (!covered()) uncovered += 1;
      scroller.scrollTop = ((now - start) / 1000) * pixelsPerSecond;
      rows = Math.max(rows, document.querySelectorAll('.conversation-row').length);
      if (now - start < seconds * 1000) requestAnimationFrame(frame);
      else resolve();
    }
    requestAnimationFrame(frame);
  });
  return { intervals: intervals.slice(1), rows, uncovered, end: scroller.scrollTop };
}"""


async def scroll_frames(page: Page, pixels_per_second: float, seconds: float) -> dict[str, Any]:
    result: dict[str, Any] = await page.evaluate(SCROLL, [pixels_per_second, seconds])
    return result


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--conversations", type=int, default=10_000)
    parser.add_argument("--messages", type=int, default=200)
    parser.add_argument("--loads", type=int, default=5)
    parser.add_argument("--dsn", default=DSN)
    args = parser.parse_args()
    executable = shutil.which("chromium")
    if executable is None or not (CONSOLE_BUILD / "index.html").is_file():
        raise SystemExit("benchmark: needs the console built and Chromium (make test does both)")

    report: list[str] = []
    scripts, styles = inbox_transfer_size()
    report.append(
        f"(a) the inbox page loads {scripts:.1f} kB of JavaScript and {styles:.1f} kB of CSS, "
        "gzipped (target <= 250 kB of JavaScript)"
    )
    await prepare(args.dsn)
    workdir = Path(tempfile.mkdtemp(prefix="pytake-console-bench-"))
    port = 18195
    base_url = f"http://127.0.0.1:{port}"
    try:
        async with server(port, workdir, f"bench-{uuid.uuid4().hex[:8]}", args.dsn):
            if (os.cpu_count() or 1) > 1:
                os.sched_setaffinity(0, {1})
            async with httpx.AsyncClient(base_url=base_url, timeout=60) as http:
                token = await sign_in(http)
                await graphql(
                    http,
                    token,
                    'mutation { whatsappNumberCreate(input: {phoneNumberId: "106540352242922", '
                    'wabaId: "102290129340398", accessToken: "bench"}) { __typename } }',
                )
                await graphql(
                    http, token, 'mutation { queueCreate(input: {name: "Support"}) { __typename } }'
                )
                await seed(args.dsn, args.conversations, 2)
                async with async_playwright() as playwright:
                    browser = await playwright.chromium.launch(
                        executable_path=executable, args=CHROMIUM_FLAGS
                    )
                    state = await signed_in_state(browser, base_url)
                    loads, pages = [], []
                    for _ in range(args.loads):
                        elapsed, page = await cold_load(browser, base_url, state)
                        loads.append(elapsed)
                        pages.append(page)
                    for page in pages[1:]:
                        await page.context.close()
                    report.append(
                        f"(b) cold load to a usable inbox: median {statistics.median(loads):.0f} "
                        f"ms, slowest {max(loads):.0f} ms over {len(loads)} loads "
                        f"(empty cache, signed in, {args.conversations:,} conversations)"
                    )
                    page = pages[0]
                    report.extend(await probe_and_scroll(page, http, args))
                    context: BrowserContext = page.context
                    await context.close()
                    await browser.close()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print("\n".join(report))


async def probe_and_scroll(
    page: Page, http: httpx.AsyncClient, args: argparse.Namespace
) -> list[str]:
    report = []
    body, signature = signed(
        PROBE_WA_ID, f"wamid.PROBE.{uuid.uuid4().hex}", "hello", "Probe Customer"
    )
    await http.post(
        "/api/v1/whatsapp/webhook",
        content=body,
        headers={"x-hub-signature-256": signature, "content-type": "application/json"},
    )
    await page.locator(".conversation-row", has_text="Probe Customer").get_by_role("link").click()
    await page.locator(".message__text", has_text="hello").wait_for()
    await page.evaluate(OBSERVE)
    delays = await webhook_to_visible(page, http, args.messages)
    report.append(
        f"(c) webhook POST to the message visible in the open conversation: p50 "
        f"{percentile(delays, 0.5):.0f} ms, p99 {percentile(delays, 0.99):.0f} ms over "
        f"{len(delays)} messages (target p99 < 500 ms)"
    )
    loading = await load_every_page(page, args.conversations + 1)
    for speed in (2_000, 10_000):
        frames = await scroll_frames(page, speed, 8)
        intervals = frames["intervals"]
        dropped = sum(1 for interval in intervals if interval > 25)
        slowest = sorted(intervals)[int(len(intervals) * 0.99)]
        report.append(
            f"(d) scrolling {args.conversations + 1:,} conversations at {speed:,} px/s for 8 s: "
            f"{len(intervals)} frames, p50 {statistics.median(intervals):.1f} ms, p99 "
            f"{slowest:.1f} ms, {dropped} over 25 ms, {frames['uncovered']} showing blank space; "
            f"at most {frames['rows']} rows in the DOM (every page loaded in {loading:.0f} s)"
        )
    return report


if __name__ == "__main__":
    asyncio.run(main())

"""Where an idle subscription's memory goes: `pytake serve` on PostgreSQL and Redis runs under
tracemalloc; a client process opens a first group of `messageReceived` subscriptions (so the
server's pools and caches have grown), the server takes a snapshot, a second group is opened,
it takes another, and the difference is divided by the second group's size, by source file
and by line. tracemalloc slows the server; the bytes are what it allocates, not its resident
size (bench.inbox measures that).

With `--frames N` the server records N frames per allocation and the script prints, for the
largest lines, the N frames that led to them (who holds what).

    .venv/bin/python -m bench.subscription_memory [--first 500] [--measured 1000] [--top 25]
        [--frames 1]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
import tempfile
import tracemalloc
from pathlib import Path

import httpx

from bench.databases import recreate
from bench.graphql_overhead import wait_ready
from bench.inbox import (
    ADMIN_PASSWORD,
    APP_SECRET,
    REDIS,
    REPOSITORY,
    SubscriberGroup,
    sign_in,
)

DSN = "postgresql://postgres@127.0.0.1:5432/pytake_bench_subscription_memory"
PORT = 18111
SITE_PACKAGES = str(Path(httpx.__file__).parents[1]) + "/"
STDLIB = str(Path(os.__file__).parent) + "/"


def serve_traced(snapshots: Path, frames: int) -> None:
    """The server side: `pytake serve` with tracemalloc, a snapshot written on each SIGUSR1."""
    import uvicorn

    from web.cli import bootstrap_admin, prepare_database
    from web.settings import load_settings
    from web.websocket_protocol import WebSocketProtocol

    settings = load_settings().with_secret_key()
    asyncio.run(prepare_database(settings, auto_migrate=True))
    asyncio.run(bootstrap_admin(settings))
    tracemalloc.start(frames)
    taken = 0

    def snapshot(*_: object) -> None:
        nonlocal taken
        taken += 1
        tracemalloc.take_snapshot().dump(str(snapshots / f"snapshot-{taken}"))
        print(f"snapshot {taken}", flush=True)

    signal.signal(signal.SIGUSR1, snapshot)
    uvicorn.run(
        "web.app:app_from_environment",
        factory=True,
        host="127.0.0.1",
        port=PORT,
        ws=WebSocketProtocol,
        ws_per_message_deflate=False,
        log_level="warning",
    )


async def take_snapshot(server: asyncio.subprocess.Process, number: int) -> None:
    assert server.stdout is not None
    server.send_signal(signal.SIGUSR1)
    while (await server.stdout.readline()).strip() != f"snapshot {number}".encode():
        pass


def shorter(filename: str) -> str:
    return (
        filename.removeprefix(SITE_PACKAGES)
        .removeprefix(STDLIB)
        .removeprefix(str(REPOSITORY) + "/")
    )


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--first", type=int, default=500)
    parser.add_argument("--measured", type=int, default=1000)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--frames", type=int, default=1)
    args = parser.parse_args()

    await recreate(DSN)
    snapshots = Path(tempfile.mkdtemp(prefix="pytake-subscription-memory-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTAKE_")}
    env.update(
        PYTAKE_DATABASE_URL=DSN.replace("postgresql://", "postgresql+asyncpg://"),
        PYTAKE_BROADCAST_URL=REDIS,
        PYTAKE_BROADCAST_CHANNEL_PREFIX="bench-subscription-memory",
        PYTAKE_ADMIN_PASSWORD=ADMIN_PASSWORD,
        PYTAKE_WHATSAPP_APP_SECRET=APP_SECRET,
        PYTAKE_SECRET_KEY="bench-secret-key-of-at-least-32-characters",
        PYTAKE_DATA_DIR=str(snapshots),
    )
    server = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bench.subscription_memory",
        "--serve-traced",
        str(snapshots),
        str(args.frames),
        cwd=REPOSITORY,
        env=env,
        stdout=asyncio.subprocess.PIPE,
    )
    groups = []
    try:
        await wait_ready(f"http://127.0.0.1:{PORT}/readyz")
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{PORT}") as http:
            token = await sign_in(http)
        url = f"ws://127.0.0.1:{PORT}/graphql"
        groups.append(await SubscriberGroup.start(url, token, args.first))
        await take_snapshot(server, 1)
        groups.append(await SubscriberGroup.start(url, token, args.measured))
        await take_snapshot(server, 2)
    finally:
        for group in groups:
            await group.close()
        server.terminate()
        await server.wait()

    before = tracemalloc.Snapshot.load(str(snapshots / "snapshot-1"))
    after = tracemalloc.Snapshot.load(str(snapshots / "snapshot-2"))
    for key in ("filename", "lineno"):
        differences = after.compare_to(before, key)
        total = sum(difference.size_diff for difference in differences)
        print(
            f"\nper idle subscription, by {key}: {total / args.measured / 1000:.1f} kB allocated"
            f" ({args.measured} subscriptions after the first {args.first})"
        )
        for difference in differences[: args.top]:
            frame = difference.traceback[0]
            where = shorter(frame.filename) + (f":{frame.lineno}" if key == "lineno" else "")
            print(
                f"{difference.size_diff / args.measured:8.0f} B "
                f"{difference.count_diff / args.measured:6.1f} blocks  {where}"
            )
    if args.frames > 1:
        for difference in after.compare_to(before, "traceback")[: args.top]:
            print(f"\n{difference.size_diff / args.measured:8.0f} B from:")
            for frame in difference.traceback:
                print(f"    {shorter(frame.filename)}:{frame.lineno}")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--serve-traced":
        serve_traced(Path(sys.argv[2]), int(sys.argv[3]))
    else:
        asyncio.run(main())

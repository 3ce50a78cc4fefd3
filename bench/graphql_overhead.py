"""What GraphQL costs on top of plain Starlette for a small authenticated query.

Runs two real server processes on the same embedded database (or --database-url):
  - `pytake serve`, answering `{ me { id email name role } }` over POST /graphql;
  - a plain Starlette app answering GET /me with the same JSON, doing the same bearer-token
    check and user lookup through the same AccountService, so the ratio isolates GraphQL.
Each is loaded in turn by a keep-alive HTTP/1.1 client written on raw asyncio streams (an
HTTP client library would be slower than the baseline server). With two or more cores the
server is pinned to CPU 0 and the load generator to CPU 1, as in the reference measurements.

`--profile-server PATH` runs `pytake serve` under cProfile and writes its profile to PATH when
the benchmark stops it (the figures are then slower by cProfile's own cost).

    .venv/bin/python -m bench.graphql_overhead [--seconds 10] [--connections 32]
        [--database-url postgresql+asyncpg://...] [--profile-server serve.prof]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from bench.databases import ensure
from domain.errors import DomainError
from web.app import build_runtime
from web.settings import load_settings

PASSWORD = "benchmark password 1"
ME_QUERY = "{ me { id email name role } }"
SIGN_IN = (
    'mutation($p: String!) { tokenCreate(input: {email: "admin@example.com", password: $p}) '
    "{ ... on TokenCreateSuccess { tokens { accessToken } } } }"
)


def baseline_app() -> Starlette:
    runtime = build_runtime(load_settings())

    async def me(request: Request) -> JSONResponse:
        token = request.headers.get("authorization", "").removeprefix("Bearer ")
        try:
            user = (await runtime.services.accounts.resolve_access_token(token)).user
        except DomainError as error:
            return JSONResponse({"errors": [{"message": error.message}]}, status_code=401)
        return JSONResponse(
            {
                "data": {
                    "me": {
                        "id": str(user.id),
                        "email": user.email,
                        "name": user.name,
                        "role": user.role.name,
                    }
                }
            }
        )

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        # The bus as `pytake serve` has it, so that the token's user is remembered the same way.
        async with runtime.started():
            yield

    return Starlette(routes=[Route("/me", me)], lifespan=lifespan)


@dataclass
class Result:
    name: str
    requests: int
    seconds: float
    latencies: list[float]
    errors: int

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    def percentile(self, fraction: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))] * 1000


def build_request(method: str, path: str, token: str, body: bytes = b"") -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", f"Authorization: Bearer {token}"]
    if body:
        lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def one_connection(
    port: int, request: bytes, expected: bytes, until: float, warmup_until: float, result: Result
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while (start := time.perf_counter()) < until:
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            length = next(
                int(line.split(b":", 1)[1])
                for line in head.split(b"\r\n")
                if line.lower().startswith(b"content-length:")
            )
            body = await reader.readexactly(length)
            if start < warmup_until:
                continue
            result.latencies.append(time.perf_counter() - start)
            result.requests += 1
            if expected not in body:
                result.errors += 1
    finally:
        writer.close()


async def load(
    name: str,
    port: int,
    request: bytes,
    expected: bytes,
    seconds: float,
    connections: int,
    warmup: float,
) -> Result:
    result = Result(name, 0, seconds, [], 0)
    warmup_until = time.perf_counter() + warmup
    until = warmup_until + seconds
    await asyncio.gather(
        *(
            one_connection(port, request, expected, until, warmup_until, result)
            for _ in range(connections)
        )
    )
    return result


async def wait_ready(url: str, process: asyncio.subprocess.Process | None = None) -> None:
    """Until the URL answers; when the process serving it ends first, the benchmark ends with
    one line saying so."""
    async with httpx.AsyncClient() as http:
        for _ in range(300):
            if process is not None and process.returncode is not None:
                raise SystemExit(
                    f"benchmark: the server for {url} exited with status {process.returncode} "
                    "before it answered; run it by hand to see why"
                )
            try:
                if (await http.get(url)).status_code < 500:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise SystemExit(f"benchmark: {url} never answered")


def pinned(command: list[str], cpu: int) -> list[str]:
    if shutil.which("taskset") and (os.cpu_count() or 1) > 1:
        return ["taskset", "-c", str(cpu), *command]
    return command


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--database-url", help="default: SQLite in a temporary data folder")
    parser.add_argument("--profile-server", help="write pytake serve's cProfile here")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="pytake-bench-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTAKE_")}
    env.update(
        PYTAKE_ADMIN_PASSWORD=PASSWORD,
        PYTAKE_DATA_DIR=str(workdir / "data"),
        PYTAKE_SECRET_KEY="bench-secret-key-of-at-least-32-characters",
    )
    if args.database_url:
        if args.database_url.startswith("postgresql"):
            await ensure(args.database_url.replace("postgresql+asyncpg://", "postgresql://", 1))
        env["PYTAKE_DATABASE_URL"] = args.database_url
    graphql_port, baseline_port = 18081, 18082
    pytake = str(Path(sys.executable).with_name("pytake"))
    serve = [pytake, "serve", "--port", str(graphql_port)]
    if args.profile_server:
        serve = [sys.executable, "-m", "cProfile", "-o", args.profile_server, *serve]
    processes = []
    try:
        processes.append(
            await asyncio.create_subprocess_exec(
                *pinned(serve, 0),
                env=env,
                stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.DEVNULL,
            )
        )
        await wait_ready(f"http://127.0.0.1:{graphql_port}/readyz", processes[-1])
        processes.append(
            await asyncio.create_subprocess_exec(
                *pinned(
                    [
                        sys.executable,
                        "-m",
                        "bench.graphql_overhead",
                        "--serve-baseline",
                        str(baseline_port),
                    ],
                    0,
                ),
                env=env,
                stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.DEVNULL,
            )
        )
        await wait_ready(f"http://127.0.0.1:{baseline_port}/me", processes[-1])
        if (os.cpu_count() or 1) > 1:
            os.sched_setaffinity(0, {1})

        async with httpx.AsyncClient() as http:
            signed_in = await http.post(
                f"http://127.0.0.1:{graphql_port}/graphql",
                json={
                    "query": SIGN_IN,
                    "variables": {"p": PASSWORD},
                },
            )
        token = signed_in.json()["data"]["tokenCreate"]["tokens"]["accessToken"]
        graphql_body = json.dumps({"query": ME_QUERY}).encode()
        graphql = await load(
            "GraphQL POST /graphql { me }",
            graphql_port,
            build_request("POST", "/graphql", token, graphql_body),
            b'"me"',
            args.seconds,
            args.connections,
            args.warmup,
        )
        baseline = await load(
            "Starlette GET /me (same auth + lookup)",
            baseline_port,
            build_request("GET", "/me", token),
            b'"me"',
            args.seconds,
            args.connections,
            args.warmup,
        )
    finally:
        for process in processes:
            if process.returncode is None:
                # uvicorn raises the signal it stopped on again once stopped; a SIGTERM would
                # then end the process before cProfile writes, a KeyboardInterrupt lets it.
                process.send_signal(signal.SIGINT if args.profile_server else signal.SIGTERM)
            await process.wait()
        shutil.rmtree(workdir, ignore_errors=True)

    database = args.database_url or "SQLite (embedded default)"
    print(
        f"database: {database}; {args.connections} connections; {args.seconds:.0f} s each "
        f"after {args.warmup:.0f} s warm-up; server on CPU 0, client on CPU 1"
    )
    print(f"{'endpoint':42} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for result in (graphql, baseline):
        print(
            f"{result.name:42} {result.rate:9.0f} {result.percentile(0.5):8.2f} "
            f"{result.percentile(0.99):8.2f} {result.errors:7d}"
        )
    print(f"GraphQL / Starlette throughput ratio: {graphql.rate / baseline.rate:.2f}")
    latency_ratio = graphql.percentile(0.5) / baseline.percentile(0.5)
    print(f"GraphQL / Starlette p50 latency ratio: {latency_ratio:.2f}")
    print(f"median GraphQL latency: {statistics.median(graphql.latencies) * 1000:.2f} ms")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--serve-baseline":
        uvicorn.run(baseline_app(), host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
    else:
        asyncio.run(main())

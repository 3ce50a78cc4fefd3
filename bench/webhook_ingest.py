"""Signed single-message webhooks against a running PyTake on PostgreSQL, beside a minimal
asyncpg handler that does the same durable insert, in the same run.

PyTake acknowledges a delivery once its raw body is committed (the processor applies it
afterwards); the baseline is the reference notes' minimal handler: verify the HMAC on the raw
body, INSERT the body, answer 200 — on a bare Starlette route with an asyncpg pool. Both are
loaded in turn with the same pre-signed bodies; afterwards the script waits until PyTake has
applied every message and reports how long that took, with the backlog's lag (from a
delivery's storage to its application) at p50 and p99. With `--statuses`, it then posts a sent,
a delivered and a read status for every message, as Meta does for outbound traffic, and reports
the same for them.

With `--scoring`, it instead loads PyTake in pairs (decision 0028), `--repeat` times: the
server alone on CPU 0, then the same server with a `pytake worker --only signals,intents`
process on CPU 1 (at nice 10, as the deployment guide advises) reading every text. The
messages are the sentiment evaluation sets' texts. It reports the second against the first
(acknowledgements at saturation, the time to apply, the server's own CPU per webhook), the
acknowledgement latency of both at a steady `--steady-rate`, the time until every message is
also scored, and the signals process's own pace on a backlog of every message marked due
again; `--profile-signals PATH` writes that process's cProfile. The organization has PyTake's
starter intents trained first (by the same process's intents worker), so every text is also
classified.

With `--worker-processes N` the server only acknowledges and N `pytake worker` processes
apply the backlog (the deployment the scaling guide describes); `--profile-worker PATH` runs the
first of them under cProfile and writes its profile to PATH; the workers' own pace is then
measured on a backlog acknowledged while they were stopped. `--profile-server PATH` does the same
for the acknowledging server.

    .venv/bin/python -m bench.webhook_ingest [--messages 5000] [--connections 32] [--statuses]
        [--worker-processes 1] [--profile-worker worker.prof] [--profile-server serve.prof]
    .venv/bin/python -m bench.webhook_ingest --scoring [--messages 5000] [--repeat 3]
        [--steady-rate 500] [--profile-signals signals.prof]
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import hashlib
import hmac
import json
import os
import shutil
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from bench.databases import recreate
from bench.graphql_overhead import Result, pinned, wait_ready
from tests.ai.evaluation import HOLDOUT_SETS, SETS, examples

APP_SECRET = "bench-app-secret"
ADMIN_PASSWORD = "benchmark password 1"
PHONE_NUMBER_ID = "106540352242922"
REPOSITORY = Path(__file__).resolve().parents[1]
BASELINE_COMMAND = [sys.executable, "-m", "bench.webhook_ingest", "--serve-baseline"]
DEFAULT_DSN = "postgresql://postgres@127.0.0.1:5432/pytake_bench_webhook"

MESSAGE: dict[str, Any] = {
    "object": "whatsapp_business_account",
    "entry": [
        {
            "id": "102290129340398",
            "changes": [
                {
                    "field": "messages",
                    "value": {
                        "messaging_product": "whatsapp",
                        "metadata": {
                            "display_phone_number": "15550783881",
                            "phone_number_id": PHONE_NUMBER_ID,
                        },
                        "contacts": [
                            {"profile": {"name": "Sheena Nelson"}, "wa_id": "16505551234"}
                        ],
                        "messages": [
                            {
                                "from": "16505551234",
                                "id": "",
                                "timestamp": "1749416383",
                                "type": "text",
                                "text": {"body": "Does it come in another color?"},
                            }
                        ],
                    },
                }
            ],
        }
    ],
}


def signed_bodies(
    count: int, tag: str, texts: Sequence[str] | None = None
) -> list[tuple[bytes, str]]:
    """`texts` in turn as the messages' bodies, or MESSAGE's one question."""
    bodies = []
    for n in range(count):
        payload = copy.deepcopy(MESSAGE)
        value = payload["entry"][0]["changes"][0]["value"]
        sender = f"55119{n % 500:07d}"
        value["contacts"][0]["wa_id"] = sender
        value["messages"][0].update({"id": f"wamid.{tag}.{n}", "from": sender})
        if texts:
            value["messages"][0]["text"] = {"body": texts[n % len(texts)]}
        body = json.dumps(payload, separators=(",", ":")).encode()
        signature = "sha256=" + hmac.new(APP_SECRET.encode(), body, hashlib.sha256).hexdigest()
        bodies.append((body, signature))
    return bodies


STATUSES = ("sent", "delivered", "read")


def signed_statuses(count: int, tag: str) -> list[tuple[bytes, str]]:
    """A sent, a delivered and a read status for each message `tag` posted, one per webhook."""
    bodies = []
    for status in STATUSES:
        for n in range(count):
            payload = copy.deepcopy(MESSAGE)
            value = payload["entry"][0]["changes"][0]["value"]
            del value["contacts"], value["messages"]
            value["statuses"] = [
                {
                    "id": f"wamid.{tag}.{n}",
                    "status": status,
                    "timestamp": str(1749416400 + STATUSES.index(status)),
                    "recipient_id": f"55119{n % 500:07d}",
                }
            ]
            body = json.dumps(payload, separators=(",", ":")).encode()
            signature = "sha256=" + hmac.new(APP_SECRET.encode(), body, hashlib.sha256).hexdigest()
            bodies.append((body, signature))
    return bodies


def baseline_app(dsn: str) -> Starlette:
    pools: list[asyncpg.Pool] = []

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        pools.append(await asyncpg.create_pool(dsn, min_size=10, max_size=10))
        yield
        await pools[0].close()

    async def receive(request: Request) -> PlainTextResponse:
        pool = pools[0]
        body = await request.body()
        expected = "sha256=" + hmac.new(APP_SECRET.encode(), body, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, request.headers.get("x-hub-signature-256", "")):
            return PlainTextResponse("Forbidden", status_code=401)
        await pool.execute("INSERT INTO baseline_inbox (body) VALUES ($1)", body.decode())
        return PlainTextResponse("OK")

    return Starlette(routes=[Route("/webhook", receive, methods=["POST"])], lifespan=lifespan)


async def post_all(
    port: int,
    path: str,
    bodies: list[tuple[bytes, str]],
    connections: int,
    name: str,
    per_second: float | None = None,
) -> Result:
    """As fast as `connections` allow, or with `per_second` at that steady pace (each body
    waits for its turn, and its latency counts from when it is sent)."""
    result = Result(name, 0, 0.0, [], 0)
    queue: asyncio.Queue[tuple[int, bytes, str]] = asyncio.Queue()
    for index, (body, signature) in enumerate(bodies):
        queue.put_nowait((index, body, signature))
    started = time.perf_counter()

    async def worker() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while not queue.empty():
                index, body, signature = queue.get_nowait()
                if per_second is not None:
                    await asyncio.sleep(started + index / per_second - time.perf_counter())
                head = (
                    f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    f"X-Hub-Signature-256: {signature}\r\nContent-Length: {len(body)}\r\n\r\n"
                )
                start = time.perf_counter()
                writer.write(head.encode() + body)
                response_head = await reader.readuntil(b"\r\n\r\n")
                length = next(
                    int(line.split(b":", 1)[1])
                    for line in response_head.split(b"\r\n")
                    if line.lower().startswith(b"content-length:")
                )
                await reader.readexactly(length)
                result.latencies.append(time.perf_counter() - start)
                result.requests += 1
                if not response_head.startswith(b"HTTP/1.1 200"):
                    result.errors += 1
        finally:
            writer.close()

    await asyncio.gather(*(worker() for _ in range(connections)))
    result.seconds = time.perf_counter() - started
    return result


async def prepare_database(dsn: str) -> None:
    await recreate(dsn)
    connection = await asyncpg.connect(dsn)
    await connection.execute(
        "CREATE TABLE baseline_inbox (id bigserial PRIMARY KEY, body text NOT NULL)"
    )
    await connection.close()


async def connect_number(graphql_url: str, train_intents: bool = False) -> None:
    async with httpx.AsyncClient() as http:
        signed_in = await http.post(
            graphql_url,
            json={
                "query": 'mutation($p: String!) { tokenCreate(input: {email: "admin@example.com", '
                "password: $p}) { ... on TokenCreateSuccess { tokens { accessToken } } } }",
                "variables": {"p": ADMIN_PASSWORD},
            },
        )
        token = signed_in.json()["data"]["tokenCreate"]["tokens"]["accessToken"]
        created = await http.post(
            graphql_url,
            headers={"authorization": f"Bearer {token}"},
            json={
                "query": "mutation($p: String!) { whatsappNumberCreate(input: {phoneNumberId: $p, "
                'wabaId: "102290129340398", accessToken: "bench"}) { __typename } }',
                "variables": {"p": PHONE_NUMBER_ID},
            },
        )
        assert (
            created.json()["data"]["whatsappNumberCreate"]["__typename"]
            == "WhatsAppNumberCreateSuccess"
        )
        if train_intents:
            await trained_starter_intents(http, graphql_url, token)


async def trained_starter_intents(http: httpx.AsyncClient, graphql_url: str, token: str) -> None:
    headers = {"authorization": f"Bearer {token}"}
    for mutation in (
        "mutation { intentStarterSetImport(input: {}) { __typename } }",
        "mutation { intentModelTrain { __typename } }",
    ):
        done = await http.post(graphql_url, headers=headers, json={"query": mutation})
        assert "Success" in json.dumps(done.json()), done.text
    for _ in range(600):
        model = await http.post(
            graphql_url, headers=headers, json={"query": "{ intentModel { version } }"}
        )
        if model.json()["data"]["intentModel"] is not None:
            return
        await asyncio.sleep(0.1)
    raise TimeoutError("the intent model was not trained within a minute")


async def count(dsn: str, table: str) -> int:
    connection = await asyncpg.connect(dsn)
    try:
        return int(await connection.fetchval(f"SELECT count(*) FROM {table}"))  # noqa: S608 - our own table names
    finally:
        await connection.close()


async def backlog_lag(dsn: str, after_id: int) -> tuple[float, float]:
    """p50 and p99, in seconds, from storing a delivery to having applied it."""
    connection = await asyncpg.connect(dsn)
    try:
        row = await connection.fetchrow(
            "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY lag), "
            "percentile_cont(0.99) WITHIN GROUP (ORDER BY lag) FROM ("
            "SELECT EXTRACT(EPOCH FROM processed_at - received_at) AS lag "
            "FROM webhook_deliveries WHERE id > $1 AND processed_at IS NOT NULL) AS lags",
            after_id,
        )
    finally:
        await connection.close()
    return float(row[0] or 0), float(row[1] or 0)


async def last_delivery(dsn: str) -> int:
    connection = await asyncpg.connect(dsn)
    try:
        return int(await connection.fetchval("SELECT coalesce(max(id), 0) FROM webhook_deliveries"))
    finally:
        await connection.close()


async def until_counted(dsn: str, table: str, expected: int) -> float:
    """Seconds until `table` holds `expected` rows."""
    started = time.perf_counter()
    while await count(dsn, table) < expected:  # noqa: ASYNC110 - polls PostgreSQL
        await asyncio.sleep(0.1)
    return time.perf_counter() - started


async def drained(
    args: argparse.Namespace,
    workers: list[asyncio.subprocess.Process],
    port: int,
    bodies: list[tuple[bytes, str]],
    table: str,
    expected: int,
) -> str:
    """The workers' own pace, whatever the acknowledgements': the bodies are acknowledged
    while the workers are stopped (SIGSTOP), then the workers resume and the backlog is timed
    until `table` holds `expected` rows."""
    for worker in workers:
        worker.send_signal(signal.SIGSTOP)
    try:
        await post_all(port, "/api/v1/whatsapp/webhook", bodies, args.connections, "backlog")
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGCONT)
    seconds = await until_counted(args.dsn, table, expected)
    return (
        f"a backlog of {len(bodies)} deliveries ({table}) drained by {len(workers)} worker(s) "
        f"in {seconds:.1f} s: {len(bodies) / seconds:.0f}/s"
    )


async def until_scored(dsn: str) -> float:
    """Seconds until no message waits for the signals worker."""
    started = time.perf_counter()
    connection = await asyncpg.connect(dsn)
    try:
        while await connection.fetchval(  # noqa: ASYNC110 - polls PostgreSQL
            "SELECT count(*) FROM messages WHERE signals_due_at IS NOT NULL"
        ):
            await asyncio.sleep(0.05)
    finally:
        await connection.close()
    return time.perf_counter() - started


SCORING_NICENESS = 10
STEADY_SECONDS = 8


def customer_texts() -> list[str]:
    """Varied customer messages in both languages: the sentiment evaluation sets' texts."""
    return [e.text for path in (*SETS.values(), *HOLDOUT_SETS.values()) for e in examples(path)]


@dataclass
class ScoringPass:
    acknowledged: Result
    applied_after: float
    server_cpu_ms: float
    """The server's own CPU time per message, from the first post until all are applied."""
    scored_after: float | None = None
    rescored_per_second: float | None = None
    steady: Result | None = None
    """Acknowledgements at `--steady-rate`, a pace the server keeps without queueing."""


def steady_of(measured: ScoringPass) -> Result:
    assert measured.steady is not None
    return measured.steady


def cpu_seconds(pid: int) -> float:
    """User and system time a process has used so far (Linux's /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_environment(dsn: str, workdir: Path, **more: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTAKE_")}
    env.update(
        PYTAKE_DATABASE_URL=dsn.replace("postgresql://", "postgresql+asyncpg://"),
        PYTAKE_ADMIN_PASSWORD=ADMIN_PASSWORD,
        PYTAKE_WHATSAPP_APP_SECRET=APP_SECRET,
        PYTAKE_SECRET_KEY="bench-secret-key-of-at-least-32-characters",
        PYTAKE_DATA_DIR=str(workdir),
        **more,
    )
    return env


async def scoring_pass(args: argparse.Namespace, scoring: bool) -> ScoringPass:
    """One load of PyTake: the server (acknowledging and applying) on CPU 0 with its signals
    worker off, and with `scoring` a signals-only worker process on CPU 1; then every message
    is marked due again and that process's pace timed."""
    await prepare_database(args.dsn)
    workdir = Path(tempfile.mkdtemp(prefix="pytake-scoring-bench-"))
    env = server_environment(
        args.dsn, workdir, PYTAKE_SIGNALS_ENABLED="false", PYTAKE_SIGNALS_POLL_SECONDS="0.05"
    )
    port = 18093
    pytake = str(Path(sys.executable).with_name("pytake"))
    server = await asyncio.create_subprocess_exec(
        *pinned(serve_command(pytake, port, None), 0),
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    processes = [server]
    try:
        await wait_ready(f"http://127.0.0.1:{port}/readyz")
        if scoring:
            processes.append(
                await asyncio.create_subprocess_exec(
                    *pinned(signals_command(pytake, args.profile_signals), 1),
                    env={**env, "PYTAKE_SIGNALS_ENABLED": "true"},
                    stdout=asyncio.subprocess.DEVNULL,
                    stderr=asyncio.subprocess.DEVNULL,
                )
            )
        await connect_number(f"http://127.0.0.1:{port}/graphql", train_intents=scoring)
        if (os.cpu_count() or 1) > 1:
            os.sched_setaffinity(0, {1})
        path = "/api/v1/whatsapp/webhook"
        texts = customer_texts()
        warmup = signed_bodies(300, "warmup", texts)
        await post_all(port, path, warmup, args.connections, "warmup")
        await until_counted(args.dsn, "messages", len(warmup))
        if scoring:
            await until_scored(args.dsn)
        bodies = signed_bodies(args.messages, "run", texts[::-1])
        cpu_before = cpu_seconds(server.pid)
        result = await post_all(port, path, bodies, args.connections, "scoring")
        applied_after = await until_counted(args.dsn, "messages", args.messages + len(warmup))
        server_cpu_ms = (cpu_seconds(server.pid) - cpu_before) * 1000 / args.messages
        measured = ScoringPass(result, applied_after, server_cpu_ms)
        if scoring:
            measured.scored_after = measured.applied_after + await until_scored(args.dsn)
        steady = signed_bodies(int(args.steady_rate * STEADY_SECONDS), "steady", texts)
        measured.steady = await post_all(
            port, path, steady, args.connections, "steady", per_second=args.steady_rate
        )
        await until_counted(args.dsn, "messages", args.messages + len(warmup) + len(steady))
        if scoring:
            connection = await asyncpg.connect(args.dsn)
            try:
                marked = await connection.execute(
                    "UPDATE messages SET signals_due_at = now() WHERE direction = 'inbound'"
                )
            finally:
                await connection.close()
            seconds = await until_scored(args.dsn)
            measured.rescored_per_second = int(marked.split()[-1]) / seconds
        return measured
    finally:
        for process in processes:
            process.terminate()
            await process.wait()
        shutil.rmtree(workdir, ignore_errors=True)


async def compare_scoring(args: argparse.Namespace) -> None:
    """Off and on in turn, `--repeat` times: on two cores the figures move by a fifth from one
    run to the next, so one pair alone says little."""
    rounds = [
        (await scoring_pass(args, scoring=False), await scoring_pass(args, scoring=True))
        for _ in range(args.repeat)
    ]
    print(
        f"{args.messages} signed single-message webhooks (the sentiment sets' texts), "
        f"{args.connections} connections, server and its workers on CPU 0, client and the "
        f"signals process (nice {SCORING_NICENESS}) on CPU 1, PostgreSQL unpinned"
    )
    print(
        f"{'round':6} {'signals':8} {'acks/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'applied s':>10}"
        f" {'server CPU ms/msg':>18} {'scored after s':>15} {'backlog msgs/s':>15}"
    )
    for number, pair in enumerate(rounds, 1):
        for name, measured in zip(("off", "on"), pair, strict=True):
            print(
                f"{number:<6} {name:8} {measured.acknowledged.rate:8.0f} "
                f"{measured.acknowledged.percentile(0.5):8.2f} "
                f"{measured.acknowledged.percentile(0.99):8.2f} {measured.applied_after:10.2f}"
                f" {measured.server_cpu_ms:18.3f}"
                + (
                    f" {measured.scored_after:15.2f} {measured.rescored_per_second:15.0f}"
                    if measured.scored_after is not None and measured.rescored_per_second
                    else ""
                )
            )

    def median_ratio(value: Callable[[ScoringPass], float]) -> float:
        return statistics.median(value(on) / value(off) for off, on in rounds)

    def median_of(value: Callable[[Result], float], side: int) -> float:
        return statistics.median(value(steady_of(pair[side])) for pair in rounds)

    print(
        "median on / off: acknowledgements "
        f"{median_ratio(lambda m: m.acknowledged.rate):.2f}, first post to last applied "
        f"{median_ratio(lambda m: m.acknowledged.seconds + m.applied_after):.2f}, server CPU "
        f"per message {median_ratio(lambda m: m.server_cpu_ms):.2f}"
    )
    print(
        f"at a steady {args.steady_rate:.0f} webhooks/s, median acknowledgement latency "
        f"p50 {median_of(lambda m: m.percentile(0.5), 0):.2f} ms off, "
        f"{median_of(lambda m: m.percentile(0.5), 1):.2f} ms on; p99 "
        f"{median_of(lambda m: m.percentile(0.99), 0):.2f} ms off, "
        f"{median_of(lambda m: m.percentile(0.99), 1):.2f} ms on"
    )
    print(
        "median with scoring on: every message scored "
        f"{statistics.median(on.scored_after or 0.0 for _, on in rounds):.2f} s after the last "
        "acknowledgement; the signals process alone scores a backlog at "
        f"{statistics.median(on.rescored_per_second or 0.0 for _, on in rounds):.0f} messages/s"
    )


def signals_command(pytake: str, profile: str | None) -> list[str]:
    """At a lower CPU priority, as docs/deployment.md advises: scoring can wait, acknowledging
    Meta cannot."""
    signals = [pytake, "worker", "--only", "signals,intents"]
    if profile:
        signals = [sys.executable, "-m", "cProfile", "-o", profile, *signals]
    return ["nice", "-n", str(SCORING_NICENESS), *signals] if shutil.which("nice") else signals


def serve_command(pytake: str, port: int, profile: str | None) -> list[str]:
    serve = [pytake, "serve", "--port", str(port)]
    return [sys.executable, "-m", "cProfile", "-o", profile, *serve] if profile else serve


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--dsn", default=DEFAULT_DSN, help="a PostgreSQL database to recreate")
    parser.add_argument(
        "--statuses", action="store_true", help="then three status webhooks per message"
    )
    parser.add_argument(
        "--worker-processes",
        type=int,
        default=0,
        help="apply in this many `pytake worker` processes (default: inside the server)",
    )
    parser.add_argument("--profile-worker", help="write the first worker's cProfile here")
    parser.add_argument("--profile-server", help="write pytake serve's cProfile here")
    parser.add_argument(
        "--profile-signals", help="with --scoring, write the signals process's cProfile here"
    )
    parser.add_argument(
        "--steady-rate",
        type=float,
        default=500,
        help="with --scoring, then this many webhooks per second for 8 s",
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="with --scoring, how many off/on pairs to run"
    )
    parser.add_argument(
        "--scoring", action="store_true", help="compare the signals worker on against off"
    )
    args = parser.parse_args()
    if args.scoring:
        await compare_scoring(args)
        return

    await prepare_database(args.dsn)
    workdir = Path(tempfile.mkdtemp(prefix="pytake-webhook-bench-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTAKE_")}
    env.update(
        PYTAKE_DATABASE_URL=args.dsn.replace("postgresql://", "postgresql+asyncpg://"),
        PYTAKE_ADMIN_PASSWORD=ADMIN_PASSWORD,
        PYTAKE_WHATSAPP_APP_SECRET=APP_SECRET,
        PYTAKE_SECRET_KEY="bench-secret-key-of-at-least-32-characters",
        PYTAKE_DATA_DIR=str(workdir),
        PYTAKE_RUN_WORKERS_IN_PROCESS="false" if args.worker_processes else "true",
    )
    pytake_port, baseline_port = 18091, 18092
    pytake = str(Path(sys.executable).with_name("pytake"))
    processes = []
    try:
        processes.append(
            await asyncio.create_subprocess_exec(
                *pinned(serve_command(pytake, pytake_port, args.profile_server), 0),
                env=env,
                stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.DEVNULL,
            )
        )
        await wait_ready(f"http://127.0.0.1:{pytake_port}/readyz")
        await connect_number(f"http://127.0.0.1:{pytake_port}/graphql")
        workers = []
        for index in range(args.worker_processes):
            profile = (
                ["-m", "cProfile", "-o", args.profile_worker]
                if index == 0 and args.profile_worker
                else []
            )
            workers.append(
                await asyncio.create_subprocess_exec(
                    sys.executable,
                    *profile,
                    pytake,
                    "worker",
                    cwd=REPOSITORY,
                    env=env,
                    stdout=asyncio.subprocess.DEVNULL,
                    stderr=asyncio.subprocess.DEVNULL,
                )
            )
        processes += workers
        processes.append(
            await asyncio.create_subprocess_exec(
                *pinned([*BASELINE_COMMAND, str(baseline_port), args.dsn], 0),
                cwd=REPOSITORY,
                env=env,
                stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.DEVNULL,
            )
        )
        await wait_ready(f"http://127.0.0.1:{baseline_port}/webhook")
        if (os.cpu_count() or 1) > 1:
            os.sched_setaffinity(0, {1})

        warmup = signed_bodies(300, "warmup")
        await post_all(pytake_port, "/api/v1/whatsapp/webhook", warmup, args.connections, "warmup")
        await post_all(baseline_port, "/webhook", warmup, args.connections, "warmup")
        before_run = await last_delivery(args.dsn)
        pytake_result = await post_all(
            pytake_port,
            "/api/v1/whatsapp/webhook",
            signed_bodies(args.messages, "run"),
            args.connections,
            "PyTake POST /api/v1/whatsapp/webhook",
        )
        applied_after = await until_counted(args.dsn, "messages", args.messages + len(warmup))
        lag = await backlog_lag(args.dsn, before_run)
        status_result = None
        if args.statuses:
            before_statuses = await last_delivery(args.dsn)
            status_result = await post_all(
                pytake_port,
                "/api/v1/whatsapp/webhook",
                signed_statuses(args.messages, "run"),
                args.connections,
                "PyTake POST status webhooks",
            )
            statuses_after = await until_counted(
                args.dsn, "message_statuses", len(STATUSES) * args.messages
            )
            status_lag = await backlog_lag(args.dsn, before_statuses)
        drains = []
        if workers:
            drains.append(
                await drained(
                    args,
                    workers,
                    pytake_port,
                    signed_bodies(args.messages, "backlog"),
                    "messages",
                    2 * args.messages + len(warmup),
                )
            )
            if args.statuses:
                drains.append(
                    await drained(
                        args,
                        workers,
                        pytake_port,
                        signed_statuses(args.messages, "backlog"),
                        "message_statuses",
                        2 * len(STATUSES) * args.messages,
                    )
                )
        for worker in workers:
            # The baseline runs alone, not beside workers finishing their rounds.
            worker.terminate()
            await worker.wait()
        baseline_result = await post_all(
            baseline_port,
            "/webhook",
            signed_bodies(args.messages, "base"),
            args.connections,
            "asyncpg baseline (verify + insert)",
        )
    finally:
        for process in processes:
            if process.returncode is None:
                # uvicorn raises the signal it stopped on again once stopped; a SIGTERM would
                # then end a profiled server before cProfile writes, a KeyboardInterrupt lets it.
                process.send_signal(signal.SIGINT if args.profile_server else signal.SIGTERM)
                await process.wait()
        shutil.rmtree(workdir, ignore_errors=True)

    applying = (
        f"{args.worker_processes} worker process(es), unpinned"
        if args.worker_processes
        else "applied inside the server"
    )
    print(
        f"{args.messages} signed single-message webhooks, {args.connections} connections, "
        f"server on CPU 0, client on CPU 1, {applying}, PostgreSQL unpinned"
    )
    print(f"{'endpoint':40} {'msgs/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for result in (pytake_result, baseline_result):
        print(
            f"{result.name:40} {result.rate:8.0f} {result.percentile(0.5):8.2f} "
            f"{result.percentile(0.99):8.2f} {result.errors:7d}"
        )
    ratio = pytake_result.rate / baseline_result.rate
    print(f"PyTake / asyncpg baseline throughput ratio: {ratio:.2f}")
    applied_rate = args.messages / (pytake_result.seconds + applied_after)
    print(
        f"applied (contact, conversation, message, events) {applied_after:.1f} s after the last "
        f"acknowledgement: {applied_rate:.0f} messages/s from first post to last applied"
    )
    print(f"backlog lag, stored to applied: p50 {lag[0]:.2f} s, p99 {lag[1]:.2f} s")
    if status_result is not None:
        statuses = len(STATUSES) * args.messages
        print(
            f"{statuses} status webhooks (sent, delivered, read): acknowledged "
            f"{status_result.rate:.0f}/s (p50 {status_result.percentile(0.5):.2f} ms), applied "
            f"{statuses / (status_result.seconds + statuses_after):.0f}/s from first post to last "
            f"applied; lag p50 {status_lag[0]:.2f} s, p99 {status_lag[1]:.2f} s"
        )
    for drain in drains:
        print(drain)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--serve-baseline":
        uvicorn.run(
            baseline_app(sys.argv[3]), host="127.0.0.1", port=int(sys.argv[2]), log_level="warning"
        )
    else:
        asyncio.run(main())

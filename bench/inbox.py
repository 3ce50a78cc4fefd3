"""The agent inbox under load, against `pytake serve` on PostgreSQL and Redis:

(a) latency of a page of 50 conversations (contact, last message with its status history,
    assignee, queue, unread count) with 100,000 conversations and 2,000,000 messages, for an
    admin (every conversation) and for an agent (those of 2 of the 10 queues, and their own);
(b) fan-out: one signed inbound webhook to every connected `messageReceived` subscriber,
    from the POST to each subscriber's receipt, with one and with two server processes;
(c) memory per idle subscription: the server's resident memory before and after 90% of the
    subscriptions are opened (after the first tenth have grown its pools), divided by their
    number.

The data is loaded with COPY straight into PostgreSQL. The server runs on CPU 0; the client
on CPU 1, with the WebSocket connections held by client processes of 2,500 each (also on
CPU 1); PostgreSQL and Redis unpinned.

    .venv/bin/python -m bench.inbox [--conversations 100000] [--messages-each 20]
                                    [--subscribers 10000] [--events 10]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import hashlib
import hmac
import json
import os
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import websockets

from bench.databases import recreated_and_migrated
from bench.graphql_overhead import pinned, wait_ready

DSN = "postgresql://postgres@127.0.0.1:5432/pytake_bench_inbox"
REDIS = "redis://127.0.0.1:6379/0"
APP_SECRET = "bench-app-secret"
ADMIN_PASSWORD = "benchmark password 1"
PHONE_NUMBER_ID = "106540352242922"
PYTAKE = str(Path(sys.executable).with_name("pytake"))
REPOSITORY = Path(__file__).resolve().parents[1]
PAGE = """
query($after: String) { conversations(first: 50, after: $after) {
  pageInfo { endCursor }
  edges { node { id unreadCount windowOpen labels
    contact { waId profileName } assignee { id name } queue { id name }
    lastMessage { direction status content { ... on TextContent { body } }
                  statusHistory { status at } }
  } }
} }
"""
SUBSCRIPTION = "subscription { messageReceived { eventId conversationId } }"


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))] * 1000


async def prepare(dsn: str) -> None:
    database = await recreated_and_migrated(dsn)
    await database.dispose()


@asynccontextmanager
async def server(port: int, workdir: Path, prefix: str, dsn: str) -> AsyncIterator[int]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTAKE_")}
    env.update(
        PYTAKE_DATABASE_URL=dsn.replace("postgresql://", "postgresql+asyncpg://"),
        PYTAKE_BROADCAST_URL=REDIS,
        PYTAKE_BROADCAST_CHANNEL_PREFIX=prefix,
        PYTAKE_ADMIN_PASSWORD=ADMIN_PASSWORD,
        PYTAKE_WHATSAPP_APP_SECRET=APP_SECRET,
        PYTAKE_SECRET_KEY="bench-secret-key-of-at-least-32-characters",
        PYTAKE_DATA_DIR=str(workdir),
        PYTAKE_MAX_SUBSCRIPTIONS_PER_CONNECTION="5",
        PYTAKE_SUBSCRIBER_BUFFER_SIZE="1000",
    )
    process = await asyncio.create_subprocess_exec(
        *pinned([PYTAKE, "serve", "--port", str(port)], 0),
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        await wait_ready(f"http://127.0.0.1:{port}/readyz")
        yield process.pid
    finally:
        process.terminate()
        await process.wait()


async def sign_in(http: httpx.AsyncClient, email: str = "admin@example.com") -> str:
    response = await http.post(
        "/graphql",
        json={
            "query": "mutation($e: String!, $p: String!) { tokenCreate(input: {email: $e, "
            "password: $p}) { ... on TokenCreateSuccess { tokens { accessToken } } } }",
            "variables": {"e": email, "p": ADMIN_PASSWORD},
        },
    )
    return str(response.json()["data"]["tokenCreate"]["tokens"]["accessToken"])


async def graphql(http: httpx.AsyncClient, token: str, query: str, **variables: Any) -> Any:
    response = await http.post(
        "/graphql",
        json={"query": query, "variables": variables},
        headers={"authorization": f"Bearer {token}"},
    )
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


QUEUES = 10
AGENT_EMAIL = "agent@example.com"


async def queues_and_agent(http: httpx.AsyncClient, token: str) -> str:
    """Ten queues and an agent serving two of them; returns the agent's token."""
    queue_ids = []
    for n in range(QUEUES):
        data = await graphql(
            http,
            token,
            "mutation($n: String!) { queueCreate(input: {name: $n}) "
            "{ ... on QueueSaveSuccess { queue { id } } } }",
            n=f"Queue {n}",
        )
        queue_ids.append(data["queueCreate"]["queue"]["id"])
    created = await graphql(
        http,
        token,
        "mutation($p: String!) { userCreate(input: {email: "
        f'"{AGENT_EMAIL}", name: "Agent", role: AGENT, password: $p}}) '
        "{ ... on UserCreateSuccess { user { id } } } }",
        p=ADMIN_PASSWORD,
    )
    await graphql(
        http,
        token,
        "mutation($u: ID!, $q: [ID!]) { agentUpdate(input: {userId: $u, queueIds: $q}) "
        "{ __typename } }",
        u=created["userCreate"]["user"]["id"],
        q=queue_ids[:2],
    )
    return await sign_in(http, AGENT_EMAIL)


async def seed(dsn: str, conversations: int, messages_each: int) -> None:
    """Contacts, conversations and messages with COPY; a third assigned to the admin, each in
    one of the queues in turn."""
    connection = await asyncpg.connect(dsn)
    try:
        organization_id, admin_id = await connection.fetchrow(
            "SELECT organization_id, id FROM users WHERE role = 'owner' LIMIT 1"
        )
        number_id = await connection.fetchval("SELECT id FROM whatsapp_numbers LIMIT 1")
        queue_ids = [row["id"] for row in await connection.fetch("SELECT id FROM queues")]
        start = datetime.now(UTC) - timedelta(days=30)
        contacts, rows, messages = [], [], []
        for n in range(conversations):
            contact_id, conversation_id = uuid.uuid4(), uuid.uuid4()
            wa_id = f"55{n:011d}"
            created = start + timedelta(seconds=n * 20)
            contacts.append((contact_id, organization_id, wa_id, f"Customer {n}", created, created))
            last_id = None
            for m in range(messages_each):
                last_id = uuid.uuid4()
                sent = created + timedelta(seconds=m)
                inbound = m % 2 == 0
                messages.append(
                    (
                        last_id,
                        organization_id,
                        conversation_id,
                        "inbound" if inbound else "outbound",
                        f"wamid.BENCH{n}.{m}",
                        "text",
                        json.dumps({"body": f"message {m} of conversation {n}"}),
                        "delivered" if inbound else "read",
                        sent,
                        sent,
                        False,
                    )
                )
            last_at = created + timedelta(seconds=messages_each - 1)
            rows.append(
                (
                    conversation_id,
                    organization_id,
                    number_id,
                    contact_id,
                    "open",
                    n % 5,
                    last_at,
                    last_at,
                    created,
                    last_at,
                    last_id,
                    admin_id if n % 3 == 0 else None,
                    "[]",
                    queue_ids[n % len(queue_ids)],
                )
            )
        await connection.copy_records_to_table(
            "contacts",
            records=contacts,
            columns=["id", "organization_id", "wa_id", "profile_name", "created_at", "updated_at"],
        )
        await connection.copy_records_to_table(
            "conversations",
            records=rows,
            columns=[
                "id",
                "organization_id",
                "number_id",
                "contact_id",
                "status",
                "unread_count",
                "last_message_at",
                "last_inbound_at",
                "created_at",
                "updated_at",
                "last_message_id",
                "assignee_id",
                "labels",
                "queue_id",
            ],
        )
        await connection.copy_records_to_table(
            "messages",
            records=messages,
            columns=[
                "id",
                "organization_id",
                "conversation_id",
                "direction",
                "wamid",
                "type",
                "content",
                "status",
                "sent_at",
                "created_at",
                "forwarded",
            ],
        )
        await connection.execute("ANALYZE")
    finally:
        await connection.close()


async def page_latency(http: httpx.AsyncClient, token: str, requests: int) -> list[float]:
    latencies = []
    cursor = None
    for index in range(requests + 20):
        started = time.perf_counter()
        data = await graphql(http, token, PAGE, after=cursor)
        elapsed = time.perf_counter() - started
        assert len(data["conversations"]["edges"]) == 50
        cursor = data["conversations"]["pageInfo"]["endCursor"] if index % 4 else None
        if index >= 20:
            latencies.append(elapsed)
    return latencies


SEARCH = """
query($search: String!) { conversations(first: 50, filter: {search: $search}) {
  edges { node { id contact { waId } } }
} }
"""


async def search_latency(
    http: httpx.AsyncClient, token: str, conversations: int, messages_each: int, requests: int
) -> list[float]:
    """Searches for words of one conversation's messages, a different conversation each time
    (numbered past the message numbers, so that exactly one conversation matches)."""
    latencies = []
    for index in range(requests + 5):
        wanted = messages_each + (index * 7919) % (conversations - messages_each)
        started = time.perf_counter()
        data = await graphql(http, token, SEARCH, search=f"conversation {wanted}")
        elapsed = time.perf_counter() - started
        assert len(data["conversations"]["edges"]) == 1
        if index >= 5:
            latencies.append(elapsed)
    return latencies


def resident_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


class StampingConnection(websockets.ClientConnection):
    """Stamps the moment a `next` frame's bytes reach the client's socket, before the client
    library parses them: with a thousand connections in one client process, stamping after
    parsing would measure the client's own queue as much as the server."""

    arrivals: list[float]

    def data_received(self, data: bytes) -> None:
        if b'"type":"next"' in data:
            self.arrivals.append(time.perf_counter())
        super().data_received(data)


SUBSCRIBERS_PER_CLIENT = 2500
"""Subscriptions one client process holds: beyond a few thousand sockets, one process reading
them all would time its own queue rather than the server."""


async def subscribe(url: str, token: str) -> StampingConnection:
    connection = await websockets.connect(
        url,
        subprotocols=["graphql-transport-ws"],  # type: ignore[list-item]
        create_connection=StampingConnection,
        compression=None,
        open_timeout=60,
    )
    assert isinstance(connection, StampingConnection)
    connection.arrivals = []
    await connection.send(
        json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}})
    )
    await connection.recv()
    await connection.send(
        json.dumps({"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIPTION}})
    )
    return connection


async def listen(connection: StampingConnection) -> None:
    async for _ in connection:
        pass


async def hold_subscriptions(url: str, token: str, count: int) -> None:
    """A client process: opens `count` subscriptions, says "ready", then answers "report" with
    every subscription's arrival times (perf_counter, the system-wide monotonic clock on
    Linux, so the parent can compare them with its own) and ends at "close"."""
    connections: list[StampingConnection] = []
    for start in range(0, count, 50):
        connections += await asyncio.gather(
            *(subscribe(url, token) for _ in range(min(50, count - start)))
        )
    listeners = [asyncio.create_task(listen(connection)) for connection in connections]
    # Thousands of connections make a full collection of this process take most of a second,
    # which would be timed as the server's fan-out: they live until the end, so the collector
    # need never look at them.
    gc.freeze()
    print("ready", flush=True)
    while (command := (await asyncio.to_thread(sys.stdin.readline)).strip()) != "close":
        if command == "report":
            print(json.dumps([connection.arrivals for connection in connections]), flush=True)
    for listener in listeners:
        listener.cancel()
    await asyncio.gather(*(connection.close() for connection in connections))


class SubscriberGroup:
    """Subscriptions held by a client process of their own, on CPU 1."""

    def __init__(self, process: asyncio.subprocess.Process, count: int) -> None:
        self.process = process
        self.count = count

    @classmethod
    async def start(cls, url: str, token: str, count: int) -> SubscriberGroup:
        process = await asyncio.create_subprocess_exec(
            *pinned([sys.executable, "-m", "bench.inbox", "--hold", url, token, str(count)], 1),
            cwd=REPOSITORY,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            limit=64 * 1024 * 1024,
        )
        assert process.stdout is not None
        line = await process.stdout.readline()
        if line.strip() != b"ready":
            raise RuntimeError(f"a subscriber process did not start: {line!r}")
        return cls(process, count)

    async def arrivals(self) -> list[list[float]]:
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        self.process.stdin.write(b"report\n")
        await self.process.stdin.drain()
        return list(json.loads(await self.process.stdout.readline()))

    async def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(b"close\n")
        await self.process.stdin.drain()
        await self.process.wait()


async def subscriber_groups(url: str, token: str, count: int) -> list[SubscriberGroup]:
    sizes = [SUBSCRIBERS_PER_CLIENT] * (count // SUBSCRIBERS_PER_CLIENT)
    if count % SUBSCRIBERS_PER_CLIENT:
        sizes.append(count % SUBSCRIBERS_PER_CLIENT)
    return list(await asyncio.gather(*(SubscriberGroup.start(url, token, n) for n in sizes)))


def signed(wa_id: str, wamid: str, text: str = "fan-out", name: str = "Bench") -> tuple[bytes, str]:
    body = json.dumps(
        {
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
                                "contacts": [{"profile": {"name": name}, "wa_id": wa_id}],
                                "messages": [
                                    {
                                        "from": wa_id,
                                        "id": wamid,
                                        "timestamp": str(int(time.time())),
                                        "type": "text",
                                        "text": {"body": text},
                                    }
                                ],
                            },
                        }
                    ],
                }
            ],
        }
    ).encode()
    digest = hmac.new(APP_SECRET.encode(), body, hashlib.sha256).hexdigest()
    return body, f"sha256={digest}"


async def fan_out(
    http: httpx.AsyncClient, groups: list[SubscriberGroup], events: int, tag: str
) -> tuple[list[float], list[float], int]:
    """Every subscriber's delay from the POST, each event's first receipt (the pipeline
    before the fan-out: webhook, commit, bus), and how many receipts never came."""
    posted = []
    for index in range(events):
        body, signature = signed(f"5599{index:09d}", f"wamid.FAN.{tag}.{index}")
        posted.append(time.perf_counter())
        response = await http.post(
            "/api/v1/whatsapp/webhook",
            content=body,
            headers={"x-hub-signature-256": signature, "content-type": "application/json"},
        )
        assert response.status_code == 200
        await asyncio.sleep(FAN_OUT_SETTLE_SECONDS)
    arrivals = [a for group in groups for a in await group.arrivals()]
    latencies, firsts, missing = [], [], 0
    for index, started in enumerate(posted):
        received = [each[index] - started for each in arrivals if len(each) > index]
        missing += len(arrivals) - len(received)
        latencies += received
        if received:
            firsts.append(min(received))
    return latencies, firsts, missing


FAN_OUT_SETTLE_SECONDS = 3.0
"""Between two events: every subscriber has the first before the second is sent."""


async def close_all(groups: list[SubscriberGroup]) -> None:
    await asyncio.gather(*(group.close() for group in groups))


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--conversations", type=int, default=100_000)
    parser.add_argument("--messages-each", type=int, default=20)
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--events", type=int, default=10)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--dsn", default=DSN)
    args = parser.parse_args()

    await prepare(args.dsn)
    workdir = Path(tempfile.mkdtemp(prefix="pytake-inbox-bench-"))
    prefix = f"bench-{uuid.uuid4().hex[:8]}"
    first_port, second_port = 18191, 18192
    report: list[str] = []
    try:
        async with server(first_port, workdir, prefix, args.dsn) as first_pid:
            if (os.cpu_count() or 1) > 1:
                os.sched_setaffinity(0, {1})
            async with httpx.AsyncClient(
                base_url=f"http://127.0.0.1:{first_port}", timeout=60
            ) as http:
                token = await sign_in(http)
                await graphql(
                    http,
                    token,
                    'mutation { whatsappNumberCreate(input: {phoneNumberId: "106540352242922", '
                    'wabaId: "102290129340398", accessToken: "bench"}) { __typename } }',
                )
                agent_token = await queues_and_agent(http, token)
                loading = time.perf_counter()
                await seed(args.dsn, args.conversations, args.messages_each)
                report.append(
                    f"seeded {args.conversations:,} conversations and "
                    f"{args.conversations * args.messages_each:,} messages in "
                    f"{time.perf_counter() - loading:.0f} s"
                )
                pages = await page_latency(http, token, args.requests)
                report.append(
                    f"(a) conversations(first: 50) page: p50 {percentile(pages, 0.5):.1f} ms, "
                    f"p99 {percentile(pages, 0.99):.1f} ms over {len(pages)} requests "
                    "(target p99 < 50 ms)"
                )
                agent_pages = await page_latency(http, agent_token, args.requests)
                report.append(
                    f"    the same page as an agent of 2 of the {QUEUES} queues: p50 "
                    f"{percentile(agent_pages, 0.5):.1f} ms, p99 "
                    f"{percentile(agent_pages, 0.99):.1f} ms over {len(agent_pages)} requests"
                )
                searches = await search_latency(
                    http, token, args.conversations, args.messages_each, 50
                )
                report.append(
                    f"    the same page searched by message text: p50 "
                    f"{percentile(searches, 0.5):.1f} ms, p99 {percentile(searches, 0.99):.1f} ms "
                    f"over {len(searches)} requests"
                )
                ws = f"ws://127.0.0.1:{first_port}/graphql"
                # The first subscriptions grow the connection pool and the caches once; the
                # figure is what each further idle subscription adds.
                warm = args.subscribers // 10
                groups = await subscriber_groups(ws, token, warm)
                await asyncio.sleep(1)
                before = resident_kib(first_pid)
                groups += await subscriber_groups(ws, token, args.subscribers - warm)
                await asyncio.sleep(5)
                after = resident_kib(first_pid)
                per = (after - before) / (args.subscribers - warm)
                report.append(
                    f"(c) memory per idle subscription: {per:.1f} KiB = {per * 1.024:.1f} kB "
                    f"({before / 1024:.0f} MiB -> {after / 1024:.0f} MiB for "
                    f"{args.subscribers - warm} WebSocket subscriptions after the first "
                    f"{warm}; target <= 30 kB)"
                )
                one, first, missing = await fan_out(http, groups, args.events, "one")
                report.append(
                    f"(b) fan-out, one process, {args.subscribers} subscribers in "
                    f"{len(groups)} client processes: p50 {percentile(one, 0.5):.0f} ms, "
                    f"p99 {percentile(one, 0.99):.0f} ms from POST to receipt ({len(one)} "
                    f"receipts, {missing} missing; target p99 < 1 s); first receipt p50 "
                    f"{percentile(first, 0.5):.0f} ms"
                )
                await close_all(groups)
                async with server(second_port, workdir, prefix, args.dsn):
                    half = args.subscribers // 2
                    second_ws = f"ws://127.0.0.1:{second_port}/graphql"
                    groups = await subscriber_groups(ws, token, half)
                    groups += await subscriber_groups(second_ws, token, args.subscribers - half)
                    await asyncio.sleep(2)
                    two, first, missing = await fan_out(http, groups, args.events, "two")
                    report.append(
                        f"(b) fan-out, two processes behind Redis, {args.subscribers} "
                        f"subscribers: p50 {percentile(two, 0.5):.0f} ms, p99 "
                        f"{percentile(two, 0.99):.0f} ms ({len(two)} receipts, {missing} "
                        f"missing); first receipt p50 {percentile(first, 0.5):.0f} ms"
                    )
                    await close_all(groups)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print("\n".join(report))


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--hold":
        asyncio.run(hold_subscriptions(sys.argv[2], sys.argv[3], int(sys.argv[4])))
    else:
        asyncio.run(main())

"""Two `pytake worker` processes deliver one outbox on PostgreSQL: the simulator sees every send
exactly once, each customer's messages in order, and the number's throughput never exceeded.

The simulator runs as a process of its own, as Meta is: in pytest's process, with the whole
suite's objects on its heap, a garbage collection pause would hold back the arrivals it stamps
and release them together, a burst the senders never made."""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path

import httpx
from sqlalchemy import select

from domain.accounts.model import Actor
from domain.conversations.messaging import TextContent
from domain.ingestion.ingest import InboundService
from domain.whatsapp.inbound import INSTALLATION
from domain.whatsapp.numbers import NumberDetails
from persistence.models.conversations import ContactRow, ConversationRow
from tests.conftest import fresh_postgres_database
from tests.meta_payloads import PHONE_NUMBER_ID, WABA_ID
from tests.support import (
    REDIS_URL,
    TEST_SECRET,
    answering,
    eventually,
    free_port,
    make_settings,
    own_postgres_url,
)
from tests.web.test_webhook_ingestion import text_message
from web.app import build_runtime
from web.whatsapp.simulator import SentMessage, busiest_second

PYTAKE = str(Path(sys.executable).with_name("pytake"))
DATABASE_URL = own_postgres_url("sender")
CUSTOMERS = 100
MESSAGES_EACH = 4
THROUGHPUT = 40


@asynccontextmanager
async def pytake_simulator(workdir: Path) -> AsyncIterator[str]:
    """`pytake simulator` with no status webhooks and no throughput of its own, so that it only
    records what arrives and when."""
    port = free_port()
    graph_url = f"http://127.0.0.1:{port}"
    process = await asyncio.create_subprocess_exec(
        PYTAKE,
        "simulator",
        f"--port={port}",
        "--status-delays=off,off,off",
        "--messages-per-second=1000",
        "--no-window",
        cwd=workdir,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        await answering(graph_url, "/_simulator/stats", process)
        yield graph_url
    finally:
        process.terminate()
        await process.wait()


@asynccontextmanager
async def pytake_worker(workdir: Path, graph_url: str) -> AsyncIterator[None]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTAKE_")}
    env.update(
        PYTAKE_ENV="production",
        PYTAKE_DATABASE_URL=DATABASE_URL,
        PYTAKE_BROADCAST_URL=REDIS_URL,
        PYTAKE_SECRET_KEY=TEST_SECRET,
        PYTAKE_WHATSAPP_GRAPH_URL=graph_url,
        # Fewer sends in flight than customers waiting, so that one process cannot hold them all.
        PYTAKE_WHATSAPP_MAX_SENDS_IN_FLIGHT="20",
    )
    process = await asyncio.create_subprocess_exec(
        PYTAKE,
        "worker",
        cwd=workdir,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        yield
    finally:
        process.terminate()
        await process.wait()


async def test_two_worker_processes_send_every_message_once_in_order_within_the_rate(
    tmp_path: Path,
) -> None:
    await fresh_postgres_database(DATABASE_URL)
    settings = make_settings(DATABASE_URL, run_workers_in_process=False)
    async with (
        pytake_simulator(tmp_path) as graph_url,
        httpx.AsyncClient(base_url=graph_url) as simulator,
        build_runtime(settings).started() as runtime,
    ):
        owner = await runtime.services.accounts.bootstrap_admin(
            "Sender Co", "owner@sender.example", "Owner", "correct horse battery staple"
        )
        assert owner is not None
        organization_id = owner.organization_id
        await runtime.services.numbers.create(
            Actor.of(owner, None),
            PHONE_NUMBER_ID,
            WABA_ID,
            NumberDetails(access_token="token", messages_per_second=THROUGHPUT),
        )
        inbound = InboundService(runtime.unit_of_work, runtime.clock)
        customers = [f"5511{n:07d}" for n in range(CUSTOMERS)]
        await inbound.apply_many(
            [
                (text_message(f"wamid.HELLO{n}", sender=wa_id, at=int(time.time())), INSTALLATION)
                for n, wa_id in enumerate(customers)
            ]
        )
        async with runtime.database.engine.connect() as connection:
            rows = await connection.execute(
                select(ContactRow.wa_id, ConversationRow.id).join(
                    ConversationRow, ConversationRow.contact_id == ContactRow.id
                )
            )
            conversations = {wa_id: conversation for wa_id, conversation in rows}

        async def enqueue(round_: int) -> None:
            for wa_id in customers:
                await runtime.messaging.send(
                    organization_id, conversations[wa_id], TextContent(f"{wa_id} #{round_}")
                )

        for round_ in range(MESSAGES_EACH // 2):
            await enqueue(round_)
        async with AsyncExitStack() as workers:
            for _ in range(2):
                await workers.enter_async_context(pytake_worker(tmp_path, graph_url))
            for round_ in range(MESSAGES_EACH // 2, MESSAGES_EACH):
                await enqueue(round_)

            async def all_sent() -> bool:
                stats = (await simulator.get("/_simulator/stats")).json()
                return int(stats["sent"]) >= CUSTOMERS * MESSAGES_EACH

            await eventually(all_sent, within=60, what="every message to reach the simulator")
            await asyncio.sleep(1.0)
        sent = [
            SentMessage(**message)
            for message in (await simulator.get("/_simulator/sent")).json()["sent"]
        ]

    bodies = [message.payload["text"]["body"] for message in sent]
    assert len(bodies) == CUSTOMERS * MESSAGES_EACH
    assert len(set(bodies)) == len(bodies), "a message was sent twice"
    by_customer: dict[str, list[int]] = defaultdict(list)
    for message in sent:
        wa_id, round_ = message.payload["text"]["body"].split(" #")
        assert message.to == wa_id
        by_customer[wa_id].append(int(round_))
    assert all(rounds == list(range(MESSAGES_EACH)) for rounds in by_customer.values())
    assert len({message.user_agent for message in sent}) == 2, "one process did all the work"
    busiest = busiest_second([message.received_at for message in sent])
    assert busiest <= THROUGHPUT, f"{busiest} sends in one second; the number allows {THROUGHPUT}"

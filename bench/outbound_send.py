"""Outbox throughput of one number: `pytake worker` on PostgreSQL delivering queued text
messages to the Graph API simulator, beside plain httpx posting the same payloads to the same
simulator (same concurrency) in the same run.

The worker claims rows, waits for each row's pacing slot, calls the simulator and records the
wamid in its own transaction; the number's throughput is set high (1,000/s, Meta's top tier) so
that pacing is not what limits it. The simulator reports the busiest second it saw, which must
stay under the number's throughput.

    .venv/bin/python -m bench.outbound_send [--messages 3000] [--customers 300] [--rate 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from sqlalchemy import select

from bench.graphql_overhead import pinned, wait_ready
from domain.accounts.model import Actor
from domain.conversations.messaging import TextContent
from domain.ingestion.ingest import InboundService
from domain.whatsapp.inbound import INSTALLATION
from domain.whatsapp.numbers import NumberDetails
from persistence import migrate
from persistence.database import Database
from persistence.models.conversations import ConversationRow
from web.app import build_runtime
from web.settings import load_settings

REPOSITORY = Path(__file__).resolve().parents[1]
PYTAKE = str(Path(sys.executable).with_name("pytake"))
DEFAULT_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/pytake_bench_outbound"
ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"
SECRET = "bench-secret-key-with-at-least-32-characters"
PHONE_NUMBER_ID = "106540352242922"
CONCURRENCY = 64


def payload(wa_id: str, index: int) -> dict[str, Any]:
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": f"+{wa_id}",
        "type": "text",
        "text": {"preview_url": False, "body": f"baseline {index}"},
    }


async def baseline(simulator: str, customers: list[str], messages: int) -> float:
    """Sends per second of a bare httpx loop with the worker's concurrency."""
    queue = list(range(messages))
    async with httpx.AsyncClient(
        base_url=simulator, headers={"authorization": "Bearer bench"}, timeout=30
    ) as http:

        async def sender() -> None:
            while queue:
                index = queue.pop()
                body = payload(customers[index % len(customers)], index)
                response = await http.post(f"/v23.0/{PHONE_NUMBER_ID}/messages", json=body)
                response.raise_for_status()

        started = time.perf_counter()
        await asyncio.gather(*(sender() for _ in range(CONCURRENCY)))
        return messages / (time.perf_counter() - started)


async def enqueue(url: str, customers: list[str], messages: int, rate: int) -> float:
    """Connect a number, let every customer write, queue the messages; returns queued/s."""
    database = Database(url)
    try:
        await migrate.upgrade(database)
    finally:
        await database.dispose()
    settings = load_settings(
        database_url=url, secret_key=SECRET, run_workers_in_process=False, env="development"
    )
    async with build_runtime(settings).started() as runtime:
        owner = await runtime.services.accounts.bootstrap_admin(
            "Bench", "bench@example.com", "Bench", "benchmark password 1"
        )
        assert owner is not None
        await runtime.services.numbers.create(
            Actor.of(owner, None),
            PHONE_NUMBER_ID,
            "102290129340398",
            NumberDetails(access_token="bench", messages_per_second=rate),
        )
        now = str(int(time.time()))
        await InboundService(runtime.unit_of_work, runtime.clock).apply_many(
            [(inbound(wa_id, now), INSTALLATION) for wa_id in customers]
        )
        async with runtime.database.engine.connect() as connection:
            conversations = list(await connection.scalars(select(ConversationRow.id)))
        started = time.perf_counter()
        for index in range(messages):
            await runtime.messaging.send(
                owner.organization_id,
                conversations[index % len(conversations)],
                TextContent(f"message {index}"),
            )
        return messages / (time.perf_counter() - started)


def inbound(wa_id: str, timestamp: str) -> dict[str, Any]:
    return {
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
                            "contacts": [{"profile": {"name": wa_id}, "wa_id": wa_id}],
                            "messages": [
                                {
                                    "from": wa_id,
                                    "id": f"wamid.BENCH{wa_id}",
                                    "timestamp": timestamp,
                                    "type": "text",
                                    "text": {"body": "hello"},
                                }
                            ],
                        },
                    }
                ],
            }
        ],
    }


async def recreate_database(url: str) -> None:
    admin = await asyncpg.connect(ADMIN_DSN)
    name = url.rsplit("/", 1)[1]
    await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()


async def stats(http: httpx.AsyncClient) -> dict[str, Any]:
    response = await http.get("/_simulator/stats")
    result: dict[str, Any] = response.json()
    return result


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--messages", type=int, default=3000)
    parser.add_argument("--customers", type=int, default=300)
    parser.add_argument("--rate", type=int, default=1000, help="the number's messages/s")
    parser.add_argument("--database-url", default=DEFAULT_URL)
    args = parser.parse_args()
    customers = [f"5511{n:07d}" for n in range(args.customers)]
    port = 9391
    simulator_url = f"http://127.0.0.1:{port}"
    simulator = await asyncio.create_subprocess_exec(
        *pinned(
            [
                PYTAKE,
                "simulator",
                "--port",
                str(port),
                "--no-window",
                "--status-delays",
                "off,off,off",
                "--messages-per-second",
                "1000000",
            ],
            1,
        ),
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    worker: asyncio.subprocess.Process | None = None
    try:
        await wait_ready(f"{simulator_url}/_simulator/stats")
        baseline_rate = await baseline(simulator_url, customers, args.messages)
        async with httpx.AsyncClient(base_url=simulator_url) as http:
            await http.post("/_simulator/reset")
            await recreate_database(args.database_url)
            queued_rate = await enqueue(args.database_url, customers, args.messages, args.rate)
            env = {k: v for k, v in os.environ.items() if not k.startswith("PYTAKE_")}
            env.update(
                PYTAKE_DATABASE_URL=args.database_url,
                PYTAKE_SECRET_KEY=SECRET,
                PYTAKE_WHATSAPP_GRAPH_URL=simulator_url,
                PYTAKE_DATA_DIR=str(REPOSITORY / "data" / "bench"),
            )
            worker = await asyncio.create_subprocess_exec(
                *pinned([PYTAKE, "worker"], 0),
                env=env,
                stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.DEVNULL,
            )
            while (await stats(http))["sent"] < args.messages:
                if worker.returncode is not None:
                    raise RuntimeError(f"pytake worker exited with {worker.returncode}")
                await asyncio.sleep(0.2)
            final = await stats(http)
    finally:
        for process in (worker, simulator):
            if process is not None and process.returncode is None:
                process.terminate()
                await process.wait()
    seconds = final["last_at"] - final["first_at"]
    sent_rate = args.messages / seconds if seconds > 0 else float("inf")
    ceiling = args.rate * 0.9
    print(f"messages: {args.messages} to {args.customers} customers, one number at {args.rate}/s")
    print(f"queued through MessagingService: {queued_rate:,.0f} messages/s")
    print(f"pytake worker (one process):     {sent_rate:,.0f} sends/s")
    print(f"pacing ceiling of the number:    {ceiling:,.0f} sends/s")
    print(f"plain httpx, {CONCURRENCY} concurrent:       {baseline_rate:,.0f} sends/s")
    print(f"ratio worker / plain httpx:      {sent_rate / baseline_rate:.2f}")
    print(f"busiest second at the simulator: {final['busiest_second']} (limit {args.rate})")


if __name__ == "__main__":
    asyncio.run(main())

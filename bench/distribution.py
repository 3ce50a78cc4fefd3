"""Distribution on PostgreSQL with 200 online agents, in this process.

(a) Throughput: 6,000 conversations wait; rounds assign them as fast as they can to 200 agents
whose capacities (5 to 45) hold about 4,900; assignments per second.
(b) Latency: the distribution worker runs as in a server (rounds at least 100 ms apart);
conversations enter the queue one at a time through the queue service, at a steady rate, while
agents have room; p50 and p99 from entering the queue to being assigned (times as stored).

    .venv/bin/python -m bench.distribution [--entries 1000] [--rate 50]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import time

from sqlalchemy import select, update

from bench.databases import recreated_and_migrated, sqlalchemy_url
from domain.accounts.model import Actor
from domain.queues.model import QueueSettings
from domain.whatsapp.numbers import NumberDetails
from persistence.models.queues import QueueItemRow
from tests.queue_load import seed_agents, seed_conversations, seed_waiting
from web.app import build_runtime
from web.settings import load_settings

DEFAULT_DSN = "postgresql://postgres@127.0.0.1:5432/pytake_bench_distribution"
AGENTS = 200


async def fresh(dsn: str) -> str:
    database = await recreated_and_migrated(dsn)
    await database.dispose()
    return sqlalchemy_url(dsn)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=50, help="entries per second in (b)")
    parser.add_argument("--dsn", default=DEFAULT_DSN, help="a PostgreSQL database to recreate")
    args = parser.parse_args()
    settings = load_settings(
        database_url=await fresh(args.dsn),
        secret_key="bench-secret-key-of-at-least-32-characters",
        run_workers_in_process=False,
        password_hash_time_cost=1,
        password_hash_memory_kib=8192,
    )
    runtime = build_runtime(settings)
    async with runtime.started():
        services = runtime.services
        owner = await services.accounts.bootstrap_admin(
            "Bench Co", "owner@bench.example", "Owner", "benchmark password 1"
        )
        assert owner is not None
        actor = Actor.of(owner, None)
        organization_id = owner.organization_id
        number = await services.numbers.create(
            actor, "106540352242922", "102290129340398", NumberDetails(access_token="bench")
        )
        queue = await services.queues.create(actor, QueueSettings("General"))
        now = runtime.clock.now()
        await seed_agents(
            runtime.database,
            organization_id,
            AGENTS,
            queues_for=lambda n: {queue.id},
            skills_for=lambda n: set(),
            capacity_for=lambda n: 5 + n % 41,
            now=now,
        )
        await seed_waiting(runtime.database, organization_id, number.id, queue.id, 6000, now)
        started = time.perf_counter()
        assigned = 0
        while (outcome := await runtime.distribution.run_once()).assigned:
            assigned += outcome.assigned
        elapsed = time.perf_counter() - started
        print(
            f"(a) {assigned:,} assignments in {elapsed:.2f} s: {assigned / elapsed:,.0f} "
            f"assignments/s, in rounds, {AGENTS} online agents"
        )

        async with runtime.database.engine.begin() as connection:
            await connection.execute(
                update(QueueItemRow).values(status="completed", completed_at=now)
            )
        conversations = await seed_conversations(
            runtime.database, organization_id, number.id, args.entries, runtime.clock.now()
        )
        worker = asyncio.create_task(runtime.distribution.run_forever())
        for conversation_id in conversations:
            await services.queues.enqueue(actor, conversation_id, queue.id, 0)
            await asyncio.sleep(1 / args.rate)
        await asyncio.sleep(1.5)
        worker.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await worker
        async with runtime.database.engine.connect() as connection:
            rows = (
                await connection.execute(
                    select(QueueItemRow.entered_at, QueueItemRow.assigned_at).where(
                        QueueItemRow.conversation_id.in_(conversations)
                    )
                )
            ).all()
    waits = [(a - e).total_seconds() * 1000 for e, a in rows if a is not None]
    print(
        f"(b) {len(waits):,} of {len(rows):,} entries assigned at {args.rate:g}/s: enqueue to "
        f"assignment p50 {statistics.median(waits):.0f} ms, p99 {percentile(waits, 0.99):.0f} ms"
    )


if __name__ == "__main__":
    asyncio.run(main())

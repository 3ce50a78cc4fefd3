"""Notifications on PostgreSQL, in this process: 200 online agents in one queue.

(a) Throughput: 1,000 waiting conversations are assigned at once (distribution rounds), then
the notifications worker reads the events they made; notifications made per second.
(b) Delay: the worker runs as in a server (woken by the process's commits); a supervisor hands
conversations to agents one at a time at a steady rate, and a subscriber of the organization's
stream (as `notificationReceived` follows it) times each notification from the end of the
assignment's commit to its arrival: p50 and p99.
(c) Web Push: every agent has a browser subscribed to a push service on this machine; another
burst of assignments queues one push each, and the push worker encrypts (RFC 8291) and posts
them: pushes per second, all answered 201 by the local push service.

    .venv/bin/python -m bench.notifications [--assignments 1000] [--handoffs 300] [--rate 20]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import time
from uuid import UUID, uuid4

from sqlalchemy import delete, func, select

from bench.databases import recreated_and_migrated, sqlalchemy_url
from domain.accounts.model import Actor
from domain.notifications.events import NotificationCreated
from domain.notifications.push import PushSubscription
from domain.queues.model import QueueSettings
from domain.whatsapp.numbers import NumberDetails
from persistence.models.notifications import NotificationRow
from tests.queue_load import SeededAgent, seed_agents, seed_conversations, seed_waiting
from tests.webpush import Browser, push_service
from web.app import Runtime, build_runtime
from web.settings import load_settings

DEFAULT_DSN = "postgresql://postgres@127.0.0.1:5432/pytake_bench_notifications"
AGENTS = 200


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def notification_count(runtime: Runtime) -> int:
    async with runtime.database.engine.connect() as connection:
        return int(await connection.scalar(select(func.count()).select_from(NotificationRow)) or 0)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--assignments", type=int, default=1000)
    parser.add_argument("--handoffs", type=int, default=300)
    parser.add_argument("--rate", type=float, default=20, help="hand-offs per second in (b)")
    parser.add_argument("--dsn", default=DEFAULT_DSN, help="a PostgreSQL database to recreate")
    args = parser.parse_args()
    database = await recreated_and_migrated(args.dsn)
    await database.dispose()
    settings = load_settings(
        database_url=sqlalchemy_url(args.dsn),
        secret_key="bench-secret-key-of-at-least-32-characters",
        run_workers_in_process=False,
        push_allow_http=True,
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
        agents = await seed_agents(
            runtime.database,
            organization_id,
            AGENTS,
            queues_for=lambda n: {queue.id},
            skills_for=lambda n: set(),
            capacity_for=lambda n: 20,
            now=now,
        )
        # What came before the burst is read first, so the burst is timed alone.
        while await runtime.notifications.round():
            pass
        await seed_waiting(
            runtime.database, organization_id, number.id, queue.id, args.assignments, now
        )
        assigned = 0
        while (outcome := await runtime.distribution.run_once()).assigned:
            assigned += outcome.assigned
        before = await notification_count(runtime)
        started = time.perf_counter()
        while await runtime.notifications.round():
            pass
        elapsed = time.perf_counter() - started
        made = await notification_count(runtime) - before
        print(
            f"(a) {assigned:,} conversations assigned at once to {AGENTS} agents: {made:,} "
            f"notifications made in {elapsed:.2f} s, {made / elapsed:,.0f} notifications/s"
        )

        conversations = await seed_conversations(
            runtime.database, organization_id, number.id, args.handoffs, runtime.clock.now()
        )
        committed: dict[UUID, float] = {}
        delays: list[float] = []
        done = asyncio.Event()

        async def subscriber() -> None:
            stream = services.event_stream.follow(organization_id, None)
            async for event in stream:
                if event.type != NotificationCreated.type:
                    continue
                arrived = time.perf_counter()
                fact = NotificationCreated.read(event)
                async with runtime.database.engine.connect() as connection:
                    conversation_id = await connection.scalar(
                        select(NotificationRow.conversation_id).where(
                            NotificationRow.id == fact.notification_id
                        )
                    )
                if conversation_id in committed:
                    delays.append((arrived - committed[conversation_id]) * 1000)
                if len(delays) >= len(conversations):
                    done.set()
                    return

        listening = asyncio.create_task(subscriber())
        worker = asyncio.create_task(runtime.notifications.run_forever())
        await asyncio.sleep(0.2)
        for index, conversation_id in enumerate(conversations):
            agent = agents[index % len(agents)]
            await services.conversation_actions.assign(actor, conversation_id, agent.user_id)
            committed[conversation_id] = time.perf_counter()
            await asyncio.sleep(1 / args.rate)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(done.wait(), 10)
        for task in (worker, listening):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        print(
            f"(b) {len(delays):,} of {len(conversations):,} hand-offs at {args.rate:g}/s "
            f"notified: commit to subscriber p50 {statistics.median(delays):.1f} ms, "
            f"p99 {percentile(delays, 0.99):.1f} ms"
        )
        await pushes(runtime, organization_id, number.id, queue.id, agents, args.assignments)


async def pushes(
    runtime: Runtime,
    organization_id: UUID,
    number_id: UUID,
    queue_id: UUID,
    agents: list[SeededAgent],
    count: int,
) -> None:
    async with push_service() as service:
        async with runtime.unit_of_work(organization_id) as uow:
            for agent in agents:
                keys = Browser(service.endpoint(str(agent.user_id))).subscription()
                await uow.push_subscriptions.add(
                    PushSubscription(
                        id=uuid4(),
                        organization_id=organization_id,
                        user_id=agent.user_id,
                        endpoint=keys["endpoint"],
                        p256dh=keys["p256dh"],
                        auth=keys["auth"],
                        user_agent="bench",
                        created_at=runtime.clock.now(),
                    )
                )
            await uow.commit()
        # Each agent finished the burst before: the limit a minute must not hold these back.
        async with runtime.database.engine.begin() as connection:
            await connection.execute(delete(NotificationRow))
        await seed_waiting(
            runtime.database, organization_id, number_id, queue_id, count, runtime.clock.now()
        )
        while (await runtime.distribution.run_once()).assigned:
            pass
        while await runtime.notifications.round():
            pass
        started = time.perf_counter()
        while await runtime.push.round():
            pass
        elapsed = time.perf_counter() - started
        delivered = len(service.received)
    print(
        f"(c) {delivered:,} Web Pushes encrypted and posted to a local push service in "
        f"{elapsed:.2f} s, {delivered / elapsed:,.0f} pushes/s"
    )


if __name__ == "__main__":
    asyncio.run(main())

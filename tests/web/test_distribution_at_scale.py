"""10,000 waiting conversations and 200 agents with mixed capacities and skills: the agents come
online through two `pytake serve` processes at once, both distributing, while a supervisor
finishes conversations and sends agents away and back through both. No item is assigned twice,
no agent ever holds more than their capacity, Spanish items go to Spanish speakers, and items
nobody can take time out. (Capacities of 25 to 65 hold 9,000 conversations: each agent fills
up while another process is assigning too, and completions through both free the room the rest
need, which keeps the test within the suite's time budget.)"""

from __future__ import annotations

import asyncio
import os
import random
import sys
import time
import uuid
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select

from domain.accounts.model import Actor
from domain.queues.model import QueueSettings, Strategy
from domain.whatsapp.numbers import NumberDetails
from persistence.models.queues import QueueItemEventRow, QueueItemRow
from tests.conftest import fresh_postgres_database
from tests.meta_payloads import PHONE_NUMBER_ID, WABA_ID
from tests.queue_load import seed_agents, seed_waiting
from tests.support import (
    PASSWORD,
    REDIS_URL,
    TEST_SECRET,
    answering,
    free_port,
    make_settings,
    own_postgres_url,
)
from web.app import build_runtime

PYTAKE = str(Path(sys.executable).with_name("pytake"))
DATABASE_URL = own_postgres_url("distribution")
AGENTS = 200
GENERAL, SPANISH, UNSTAFFED = 8000, 1500, 500
IN_FLIGHT = 8


@asynccontextmanager
async def pytake_server(workdir: Path, port: int) -> AsyncIterator[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTAKE_")}
    env.update(
        PYTAKE_ENV="production",
        PYTAKE_DATABASE_URL=DATABASE_URL,
        PYTAKE_BROADCAST_URL=REDIS_URL,
        PYTAKE_BROADCAST_CHANNEL_PREFIX=f"scale-{uuid.uuid4().hex[:8]}",
        PYTAKE_SECRET_KEY=TEST_SECRET,
        PYTAKE_DISTRIBUTION_POLL_SECONDS="0.2",
        PYTAKE_DATABASE_POOL_SIZE="20",
    )
    process = await asyncio.create_subprocess_exec(
        PYTAKE,
        "serve",
        "--port",
        str(port),
        cwd=workdir,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        await answering(url, "/readyz", process)
        yield url
    finally:
        process.terminate()
        await process.wait()


PER_REQUEST = 25


def completions(count: int) -> str:
    """One request finishing `count` items, each its own mutation (and transaction)."""
    declared = ", ".join(f"$i{k}: ID!" for k in range(count))
    fields = " ".join(
        f"c{k}: queueItemComplete(input: {{id: $i{k}}}) {{ __typename "
        "... on ConflictError { message } }"
        for k in range(count)
    )
    return f"mutation({declared}) {{ {fields} }}"


STATUS = (
    "mutation($u: ID!, $s: AgentStatus!) { agentStatusUpdate(input: {userId: $u, status: $s}) "
    "{ __typename } }"
)


async def test_two_processes_distribute_ten_thousand_items_without_double_assignment_or_overload(
    tmp_path: Path,
) -> None:
    await fresh_postgres_database(DATABASE_URL)
    settings = make_settings(DATABASE_URL, run_workers_in_process=False)
    async with build_runtime(settings).started() as runtime:
        owner = await runtime.services.accounts.bootstrap_admin(
            "Busy Co", "owner@busy.example", "Owner", PASSWORD
        )
        assert owner is not None
        actor = Actor.of(owner, None)
        organization_id = owner.organization_id
        number = await runtime.services.numbers.create(
            actor, PHONE_NUMBER_ID, WABA_ID, NumberDetails(access_token="token")
        )
        queues = runtime.services.queues
        general = await queues.create(actor, QueueSettings("General"))
        spanish = await queues.create(
            actor, QueueSettings("Spanish", Strategy.ROUND_ROBIN, required_skills=("es",))
        )
        unstaffed = await queues.create(
            actor, QueueSettings("French", Strategy.LONGEST_IDLE, required_skills=("fr",))
        )
        now = runtime.clock.now()
        agents = await seed_agents(
            runtime.database,
            organization_id,
            AGENTS,
            queues_for=lambda n: (
                {general.id, unstaffed.id} | ({spanish.id} if n % 4 == 0 else set())
            ),
            skills_for=lambda n: {"es"} if n % 4 == 0 else set(),
            capacity_for=lambda n: 25 + n % 41,
            now=now,
            status="offline",
        )
        staffed = set(
            await seed_waiting(
                runtime.database,
                organization_id,
                number.id,
                general.id,
                GENERAL,
                now,
                priority_for=lambda n: n % 3,
            )
        )
        spanish_items = set(
            await seed_waiting(
                runtime.database, organization_id, number.id, spanish.id, SPANISH, now
            )
        )
        staffed |= spanish_items
        expiring = set(
            await seed_waiting(
                runtime.database,
                organization_id,
                number.id,
                unstaffed.id,
                UNSTAFFED,
                now,
                wait_deadline=now + timedelta(seconds=5),
            )
        )
        database = runtime.database

        async def count(status: str, items: set[uuid.UUID]) -> int:
            async with database.engine.connect() as connection:
                return int(
                    await connection.scalar(
                        select(func.count()).where(
                            QueueItemRow.status == status, QueueItemRow.id.in_(items)
                        )
                    )
                    or 0
                )

        started = time.perf_counter()
        async with AsyncExitStack() as stack, httpx.AsyncClient(timeout=30) as http:
            urls = [
                await stack.enter_async_context(pytake_server(tmp_path, free_port()))
                for _ in range(2)
            ]
            signed_in = await http.post(
                f"{urls[0]}/graphql",
                json={
                    "query": "mutation($p: String!) { tokenCreate(input: {email: "
                    '"owner@busy.example", password: $p}) { ... on TokenCreateSuccess '
                    "{ tokens { accessToken } } } }",
                    "variables": {"p": PASSWORD},
                },
            )
            token = signed_in.json()["data"]["tokenCreate"]["tokens"]["accessToken"]
            headers = {"authorization": f"Bearer {token}"}
            completed: set[uuid.UUID] = set()
            refused: list[str] = []
            flips = random.Random(200)

            async def graphql(n: int, query: str, variables: dict[str, Any]) -> dict[str, Any]:
                response = await http.post(
                    f"{urls[n % 2]}/graphql",
                    json={"query": query, "variables": variables},
                    headers=headers,
                )
                body: dict[str, Any] = response.json()
                assert "errors" not in body, body
                return body

            async def complete(n: int, item_ids: list[uuid.UUID]) -> None:
                variables = {f"i{k}": str(item) for k, item in enumerate(item_ids)}
                body = await graphql(n, completions(len(item_ids)), variables)
                for k, item_id in enumerate(item_ids):
                    outcome = body["data"][f"c{k}"]
                    if outcome["__typename"] == "QueueItemSuccess":
                        completed.add(item_id)
                    else:
                        refused.append(outcome["message"])

            for start in range(0, len(agents), 20):
                await asyncio.gather(
                    *(
                        graphql(n, STATUS, {"u": str(agent.user_id), "s": "ONLINE"})
                        for n, agent in enumerate(agents[start : start + 20])
                    )
                )
            print(f"\nagents online after {time.perf_counter() - started:.1f} s")
            round_ = 0
            while (waiting := await count("waiting", staffed)) or await count(
                "timed_out", expiring
            ) < UNSTAFFED:
                assert time.perf_counter() - started < 300, await count("waiting", staffed)
                async with database.engine.connect() as connection:
                    assigned = list(
                        await connection.scalars(
                            select(QueueItemRow.id)
                            .where(QueueItemRow.status == "assigned")
                            # Only as many as the waiting need: the rest stay assigned.
                            .limit(min(PER_REQUEST * IN_FLIGHT, max(waiting, 1)))
                        )
                    )
                if not assigned:
                    await asyncio.sleep(0.05)
                    continue
                batches = [
                    assigned[start : start + PER_REQUEST]
                    for start in range(0, len(assigned), PER_REQUEST)
                ]
                await asyncio.gather(*(complete(round_ + k, b) for k, b in enumerate(batches)))
                round_ += 1
                if round_ % 5 == 0:
                    # Agents step away and come back, through either process.
                    away = flips.sample(agents, 5)
                    for n, agent in enumerate(away):
                        await graphql(n, STATUS, {"u": str(agent.user_id), "s": "BREAK"})
                    for n, agent in enumerate(away):
                        await graphql(n + 1, STATUS, {"u": str(agent.user_id), "s": "ONLINE"})
        elapsed = time.perf_counter() - started

        async with database.engine.connect() as connection:
            events = list(
                (
                    await connection.execute(
                        select(
                            QueueItemEventRow.item_id,
                            QueueItemEventRow.kind,
                            QueueItemEventRow.agent_id,
                        ).order_by(QueueItemEventRow.id)
                    )
                ).all()
            )
            final = dict(
                (await connection.execute(select(QueueItemRow.id, QueueItemRow.status))).all()
            )

    capacity = {agent.user_id: agent.capacity for agent in agents}
    speaks_spanish = {agent.user_id for agent in agents if "es" in agent.skills}
    assignments: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    holding: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    most = 0
    over = []
    for item_id, kind, agent_id in events:
        if agent_id is None:
            continue
        if kind == "assigned":
            assignments[item_id].append(agent_id)
            holding[agent_id].add(item_id)
            most = max(most, len(holding[agent_id]))
            if len(holding[agent_id]) > capacity[agent_id]:
                over.append((agent_id, len(holding[agent_id]), capacity[agent_id]))
        elif kind in ("completed", "abandoned", "timed_out", "transferred"):
            holding[agent_id].discard(item_id)
    print(
        f"\n{len(staffed):,} items assigned ({len(completed):,} completed to make room) and "
        f"{UNSTAFFED} timed out in {elapsed:.1f} s across two processes; busiest agent held {most}"
    )
    assert refused == []
    assert over == [], over[:5]
    assert all(len(agents_) == 1 for agents_ in assignments.values()), "an item was assigned twice"
    assert set(assignments) == staffed
    assert all(final[item] == "completed" for item in completed)
    assert all(final[item] == "assigned" for item in staffed - completed)
    assert all(final[item] == "timed_out" for item in expiring)
    assert {assignments[item][0] for item in spanish_items} <= speaks_spanish

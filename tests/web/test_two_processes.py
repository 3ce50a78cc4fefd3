"""Two server processes on one PostgreSQL and one Redis deliver each other's events."""

from __future__ import annotations

import asyncio
import os
import sys
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from persistence import migrate
from persistence.database import Database
from tests.conftest import recreate_postgres_database
from tests.support import (
    PASSWORD,
    REDIS_URL,
    TEST_SECRET,
    GraphQLClient,
    answering,
    eventually,
    free_port,
    own_postgres_url,
    subscribed,
)

PYTAKE = str(Path(sys.executable).with_name("pytake"))
CREATE_AGENT = (
    'mutation($p: String!) { userCreate(input: {email: "cross@example.com", name: "Cross", '
    "role: AGENT, password: $p}) { __typename } }"
)
DATABASE_URL = own_postgres_url("two_process")


@asynccontextmanager
async def pytake_serve(
    port: int,
    workdir: Path,
    channel_prefix: str,
    database_url: str = DATABASE_URL,
    **settings: str,
) -> AsyncIterator[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTAKE_")}
    env.update(
        PYTAKE_ENV="production",
        PYTAKE_DATABASE_URL=database_url,
        PYTAKE_BROADCAST_URL=REDIS_URL,
        PYTAKE_BROADCAST_CHANNEL_PREFIX=channel_prefix,
        PYTAKE_SECRET_KEY=TEST_SECRET,
        PYTAKE_ADMIN_EMAIL="admin@example.com",
        PYTAKE_ADMIN_PASSWORD=PASSWORD,
        PYTAKE_PORT=str(port),
    )
    env.update({f"PYTAKE_{name.upper()}": value for name, value in settings.items()})
    process = await asyncio.create_subprocess_exec(
        PYTAKE,
        "serve",
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


@asynccontextmanager
async def two_servers(workdir: Path) -> AsyncIterator[tuple[str, str]]:
    """Two `pytake serve` processes on a freshly migrated database, sharing one bus."""
    await recreate_postgres_database(DATABASE_URL)
    database = Database(DATABASE_URL)
    await migrate.upgrade(database)
    await database.dispose()
    prefix = f"two-process-{uuid.uuid4().hex[:8]}"
    async with (
        pytake_serve(free_port(), workdir, prefix) as first_url,
        pytake_serve(free_port(), workdir, prefix) as second_url,
    ):
        yield first_url, second_url


async def test_an_event_committed_in_one_process_reaches_a_subscriber_of_the_other(
    tmp_path: Path,
) -> None:
    async with two_servers(tmp_path) as (first_url, second_url):
        writer = GraphQLClient(first_url)
        token = await writer.sign_in("admin@example.com")
        second_ws = second_url.replace("http://", "ws://") + "/graphql"
        query = "subscription { organizationEvents { id type payload } }"
        async with subscribed(second_ws, token, query) as subscription:
            await asyncio.sleep(0.3)
            created = await writer.data(
                CREATE_AGENT,
                {"p": PASSWORD},
                token=token,
            )
            delivered = await subscription.next_data(timeout=10)
        await writer.close()

    assert created["userCreate"]["__typename"] == "UserCreateSuccess"
    event = delivered["data"]["organizationEvents"]
    assert event["type"] == "user.created"
    assert event["payload"]["email"] == "cross@example.com"


async def test_a_user_deactivated_in_one_process_is_refused_by_the_other_at_once(
    tmp_path: Path,
) -> None:
    """The other process had the user in memory: the deactivation's event makes it forget."""
    async with two_servers(tmp_path) as (first_url, second_url):
        admin = GraphQLClient(first_url)
        admin_token = await admin.sign_in("admin@example.com")
        await admin.data(CREATE_AGENT, {"p": PASSWORD}, token=admin_token)
        other = GraphQLClient(second_url)
        agent_token = await other.sign_in("cross@example.com")
        me = await other.data("{ me { id email } }", token=agent_token)
        await asyncio.sleep(0.5)  # the second process now listens to the organization
        await other.data("{ me { id } }", token=agent_token)

        await admin.data(
            "mutation($id: ID!) { userDeactivate(input: {id: $id}) { __typename } }",
            {"id": me["me"]["id"]},
            token=admin_token,
        )

        async def refused() -> int | None:
            response = await other.post("{ me { id } }", token=agent_token)
            return response.status_code if response.status_code == 401 else None

        status = await eventually(refused, within=5, what="the second process refusing")
        await admin.close()
        await other.close()

    assert me["me"]["email"] == "cross@example.com"
    assert status == 401

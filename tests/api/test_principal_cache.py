"""A token's user is read once and then answered from memory, until anything about the user
changes: a repeated `{ me }` costs no SQL, and a demotion or deactivation applies at once."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from domain.accounts.model import Role
from tests.api.test_user_mutations import USER_DEACTIVATE, USER_UPDATE
from tests.support import GraphQLClient, RunningServer, add_user, create_tenant, eventually

ME = "{ me { email role } }"


@contextmanager
def statements(server: RunningServer) -> Iterator[list[str]]:
    """The SQL the server runs meanwhile, on every engine it has."""
    issued: list[str] = []

    def record(*args: Any) -> None:
        issued.append(str(args[2]))

    database = server.runtime.database
    engines = [database.engine.sync_engine, database.autocommit_engine.sync_engine]
    for engine in engines:
        event.listen(engine, "before_cursor_execute", record)
    try:
        yield issued
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", record)


async def remembered(server: RunningServer, client: GraphQLClient, token: str) -> None:
    """Until the server answers the token's user from memory."""

    async def answered_from_memory() -> bool:
        with statements(server) as issued:
            await client.data(ME, token=token)
        return not issued

    await eventually(answered_from_memory, within=5, what="the user answered from memory")


async def test_a_repeated_me_reads_nothing_from_the_database(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Acme")
    agent, token = await add_user(server, client, tenant, Role.AGENT)

    await remembered(server, client, token)
    with statements(server) as issued:
        data = await client.data(ME, token=token)

    assert data == {"me": {"email": agent.email, "role": "AGENT"}}
    assert issued == []


async def test_a_role_change_or_deactivation_is_not_answered_from_memory(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Acme")
    agent, token = await add_user(server, client, tenant, Role.SUPERVISOR)
    await remembered(server, client, token)

    await client.data(
        USER_UPDATE, {"input": {"id": str(agent.id), "role": "AGENT"}}, token=tenant.token
    )
    demoted = await client.data(ME, token=token)
    await remembered(server, client, token)
    await client.data(USER_DEACTIVATE, {"id": str(agent.id)}, token=tenant.token)
    refused = await client.post(ME, token=token)

    assert demoted["me"]["role"] == "AGENT"
    assert refused.status_code == 401
    assert refused.json()["errors"][0]["extensions"]["code"] == "ACCOUNT_DEACTIVATED"

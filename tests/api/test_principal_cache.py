"""A token's user is read once and then answered from memory, until anything about the user
changes: a repeated `{ me }` costs no SQL, and a demotion or deactivation applies at once."""

from __future__ import annotations

from domain.accounts.model import Role
from tests.api.test_user_mutations import USER_DEACTIVATE, USER_UPDATE
from tests.support import (
    GraphQLClient,
    RunningServer,
    add_user,
    counting_statements,
    create_tenant,
    eventually,
)

ME = "{ me { email role } }"


async def remembered(server: RunningServer, client: GraphQLClient, token: str) -> None:
    """Until the server answers the token's user from memory."""

    async def answered_from_memory() -> bool:
        with counting_statements(server.runtime.database) as issued:
            await client.data(ME, token=token)
        return not issued

    await eventually(answered_from_memory, within=5, what="the user answered from memory")


async def test_a_repeated_me_reads_nothing_from_the_database(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Acme")
    agent, token = await add_user(server, client, tenant, Role.AGENT)

    await remembered(server, client, token)
    with counting_statements(server.runtime.database) as issued:
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

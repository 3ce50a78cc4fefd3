"""userCreate, userUpdate and userDeactivate: role rules, validation and their effects."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from domain.accounts.model import Role
from persistence.models.accounts import UserRow
from persistence.models.audit import AuditLogRow
from tests.support import (
    PASSWORD,
    TOKEN_CREATE,
    GraphQLClient,
    RunningServer,
    add_user,
    create_tenant,
)

USER_CREATE = """
mutation Create($input: UserCreateInput!) {
  userCreate(input: $input) {
    __typename
    ... on UserCreateSuccess { user { id email name role isActive } }
    ... on ValidationError { message code field }
    ... on ConflictError { message code field }
    ... on PermissionDeniedError { message code }
  }
}
"""
USER_UPDATE = """
mutation Update($input: UserUpdateInput!) {
  userUpdate(input: $input) {
    __typename
    ... on UserUpdateSuccess { user { id name role } }
    ... on Error { message code }
  }
}
"""
USER_DEACTIVATE = """
mutation Deactivate($id: ID!) {
  userDeactivate(input: {id: $id}) {
    __typename
    ... on UserDeactivateSuccess { user { id isActive } }
    ... on Error { message code }
  }
}
"""


def new_user(**overrides: Any) -> dict[str, Any]:
    values = {
        "email": "Ana@Example.com",
        "name": " Ana  Silva ",
        "role": "AGENT",
        "password": PASSWORD,
    }
    values.update(overrides)
    return {"input": values}


async def test_an_admin_creates_an_agent_who_can_sign_in(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Acme")
    _, admin_token = await add_user(server, client, tenant, Role.ADMIN)

    data = await client.data(USER_CREATE, new_user(), token=admin_token)

    user = data["userCreate"]["user"]
    assert (user["email"], user["name"], user["role"], user["isActive"]) == (
        "ana@example.com",
        "Ana Silva",
        "AGENT",
        True,
    )
    signed_in = await client.data(TOKEN_CREATE, {"email": "ana@example.com", "password": PASSWORD})
    assert signed_in["tokenCreate"]["__typename"] == "TokenCreateSuccess"


async def test_user_create_reports_each_invalid_field(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Acme")

    bad_email = await client.data(USER_CREATE, new_user(email="nope"), token=tenant.token)
    bad_password = await client.data(USER_CREATE, new_user(password="short"), token=tenant.token)

    assert bad_email["userCreate"]["__typename"] == "ValidationError"
    assert bad_email["userCreate"]["field"] == "email"
    assert bad_password["userCreate"]["field"] == "password"
    assert "at least 12" in bad_password["userCreate"]["message"]


async def test_a_taken_email_is_a_conflict_even_across_organizations(
    server: RunningServer, client: GraphQLClient
) -> None:
    acme = await create_tenant(server, client, "Acme")
    globex = await create_tenant(server, client, "Globex")
    await client.data(USER_CREATE, new_user(), token=acme.token)

    data = await client.data(USER_CREATE, new_user(email="ANA@example.com"), token=globex.token)

    assert data["userCreate"]["__typename"] == "ConflictError"
    assert data["userCreate"]["field"] == "email"


async def test_agents_and_supervisors_cannot_create_users(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Acme")
    _, agent_token = await add_user(server, client, tenant, Role.AGENT)
    _, supervisor_token = await add_user(server, client, tenant, Role.SUPERVISOR)

    for token in (agent_token, supervisor_token):
        data = await client.data(USER_CREATE, new_user(), token=token)
        assert data["userCreate"]["__typename"] == "PermissionDeniedError"


async def test_an_admin_cannot_create_an_owner_or_promote_to_admin(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Acme")
    _, admin_token = await add_user(server, client, tenant, Role.ADMIN)
    agent, _ = await add_user(server, client, tenant, Role.AGENT)

    owner = await client.data(USER_CREATE, new_user(role="OWNER"), token=admin_token)
    promote = await client.data(
        USER_UPDATE, {"input": {"id": str(agent.id), "role": "ADMIN"}}, token=admin_token
    )

    assert owner["userCreate"]["__typename"] == "PermissionDeniedError"
    assert promote["userUpdate"]["__typename"] == "PermissionDeniedError"


async def test_users_change_their_own_name_but_not_their_role(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Acme")
    agent, agent_token = await add_user(server, client, tenant, Role.AGENT)

    renamed = await client.data(
        USER_UPDATE, {"input": {"id": str(agent.id), "name": "Bia"}}, token=agent_token
    )
    promoted = await client.data(
        USER_UPDATE, {"input": {"id": str(agent.id), "role": "OWNER"}}, token=agent_token
    )

    assert renamed["userUpdate"]["user"]["name"] == "Bia"
    assert promoted["userUpdate"]["__typename"] == "PermissionDeniedError"


async def test_a_password_change_ends_other_sessions_and_is_audited_without_the_value(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Acme")
    agent, _ = await add_user(server, client, tenant, Role.AGENT)
    old = await client.data(TOKEN_CREATE, {"email": agent.email, "password": PASSWORD})
    new_password = "a brand new passphrase"

    await client.data(
        USER_UPDATE, {"input": {"id": str(agent.id), "password": new_password}}, token=tenant.token
    )

    refresh = await client.data(
        "mutation($t: String!) { tokenRefresh(input: {refreshToken: $t}) { __typename } }",
        {"t": old["tokenCreate"]["tokens"]["refreshToken"]},
    )
    assert refresh["tokenRefresh"]["__typename"] == "InvalidTokenError"
    assert await client.sign_in(agent.email, new_password)
    async with server.runtime.database.session() as session:
        changes = await session.scalar(
            select(AuditLogRow.changes).where(AuditLogRow.action == "user.update")
        )
    assert changes == {"password": "changed"}


async def test_an_organization_always_keeps_an_owner(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Acme")
    second_owner, _ = await add_user(server, client, tenant, Role.OWNER)

    removed = await client.data(USER_DEACTIVATE, {"id": str(second_owner.id)}, token=tenant.token)
    demote_self = await client.data(
        USER_UPDATE, {"input": {"id": str(tenant.owner.id), "role": "ADMIN"}}, token=tenant.token
    )
    deactivate_self = await client.data(
        USER_DEACTIVATE, {"id": str(tenant.owner.id)}, token=tenant.token
    )

    assert removed["userDeactivate"]["user"]["isActive"] is False
    assert demote_self["userUpdate"]["message"] == "You cannot change your own role"
    assert deactivate_self["userDeactivate"]["message"] == "You cannot deactivate your own account"


async def test_deactivation_blocks_the_users_existing_access_token(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Acme")
    agent, agent_token = await add_user(server, client, tenant, Role.AGENT)

    data = await client.data(USER_DEACTIVATE, {"id": str(agent.id)}, token=tenant.token)

    assert data["userDeactivate"]["user"]["isActive"] is False
    response = await client.post("{ me { email } }", token=agent_token)
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "ACCOUNT_DEACTIVATED"
    async with server.runtime.database.session() as session:
        row = await session.get(UserRow, agent.id)
    assert row is not None
    assert row.is_active is False


async def test_a_malformed_id_is_a_validation_error(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Acme")

    data = await client.data(USER_DEACTIVATE, {"id": "not-a-uuid"}, token=tenant.token)

    assert data["userDeactivate"]["__typename"] == "ValidationError"


async def test_mutations_need_a_signed_in_user(
    server: RunningServer, client: GraphQLClient
) -> None:
    body = await client.execute(USER_CREATE, new_user())

    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"

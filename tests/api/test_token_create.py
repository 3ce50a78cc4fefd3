"""tokenCreate: signing in, and every way it refuses."""

from __future__ import annotations

from sqlalchemy import func, select

from domain.accounts.model import Role
from persistence.models import AuditLogRow, LoginAttemptRow
from tests.support import (
    PASSWORD,
    TOKEN_CREATE,
    GraphQLClient,
    RunningServer,
    add_user,
    create_tenant,
    make_settings,
    running_server,
)

ME = "{ me { id email role isActive } }"


async def test_sign_in_then_me_returns_the_signed_in_user(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Acme", superuser=True)

    data = await client.data(ME, token=tenant.token)

    assert data["me"] == {
        "id": str(tenant.owner.id),
        "email": tenant.owner.email,
        "role": "OWNER",
        "isActive": True,
    }


async def test_sign_in_returns_both_tokens_with_expiries(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Acme")

    data = await client.data(
        TOKEN_CREATE, {"email": tenant.owner.email.upper(), "password": PASSWORD}
    )

    tokens = data["tokenCreate"]["tokens"]
    assert tokens["tokenType"] == "Bearer"
    assert tokens["accessToken"].count(".") == 2
    assert tokens["accessTokenExpiresAt"] < tokens["refreshTokenExpiresAt"]


async def test_wrong_password_and_unknown_email_get_the_same_answer(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Acme")

    wrong = await client.data(
        TOKEN_CREATE, {"email": tenant.owner.email, "password": "not it at all"}
    )
    unknown = await client.data(TOKEN_CREATE, {"email": "nobody@example.com", "password": PASSWORD})

    assert (
        wrong["tokenCreate"]
        == unknown["tokenCreate"]
        == {
            "__typename": "InvalidCredentialsError",
            "message": "The email or password is incorrect",
            "code": "INVALID_CREDENTIALS",
        }
    )


async def test_deactivated_user_cannot_sign_in(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Acme")
    agent, _ = await add_user(server, client, tenant, Role.AGENT)
    await client.data(
        "mutation($id: ID!) { userDeactivate(input: {id: $id}) { __typename } }",
        {"id": str(agent.id)},
        token=tenant.token,
    )

    data = await client.data(TOKEN_CREATE, {"email": agent.email, "password": PASSWORD})

    assert data["tokenCreate"]["__typename"] == "AccountDeactivatedError"
    assert data["tokenCreate"]["code"] == "ACCOUNT_DEACTIVATED"


async def test_failed_attempts_are_limited_per_account(database_url: str, database: object) -> None:
    settings = make_settings(database_url, login_max_failures_per_account=3)
    async with running_server(settings) as server:
        client = GraphQLClient(server.url)
        tenant = await create_tenant(server, client, "Acme")
        for _ in range(3):
            await client.data(
                TOKEN_CREATE, {"email": tenant.owner.email, "password": "wrong password"}
            )

        limited = await client.data(
            TOKEN_CREATE, {"email": tenant.owner.email, "password": PASSWORD}
        )

        assert limited["tokenCreate"]["__typename"] == "RateLimitedError"
        assert 0 < limited["tokenCreate"]["retryAfterSeconds"] <= 15 * 60
        await client.close()


async def test_failed_attempts_are_limited_per_client_address(
    database_url: str, database: object
) -> None:
    settings = make_settings(database_url, login_max_failures_per_client=4)
    async with running_server(settings) as server:
        client = GraphQLClient(server.url)
        tenant = await create_tenant(server, client, "Acme")
        for number in range(4):
            await client.data(
                TOKEN_CREATE, {"email": f"guess{number}@example.com", "password": "x" * 12}
            )

        limited = await client.data(
            TOKEN_CREATE, {"email": tenant.owner.email, "password": PASSWORD}
        )

        assert limited["tokenCreate"]["__typename"] == "RateLimitedError"
        await client.close()


async def test_success_clears_the_account_failures_and_is_audited(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Acme")
    await client.data(TOKEN_CREATE, {"email": tenant.owner.email, "password": "wrong password"})

    await client.sign_in(tenant.owner.email)

    async with server.runtime.database.session() as session:
        failures = await session.scalar(
            select(func.count()).where(LoginAttemptRow.email == tenant.owner.email)
        )
        actions = list(
            await session.scalars(
                select(AuditLogRow.action).where(AuditLogRow.actor_user_id == tenant.owner.id)
            )
        )
    assert failures == 0
    assert actions.count("token.create") == 2

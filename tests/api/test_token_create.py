"""tokenCreate: signing in, and every way it refuses."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import func, select

from domain.accounts.model import Role
from persistence.models.accounts import LoginAttemptRow
from persistence.models.audit import AuditLogRow
from tests.support import (
    PASSWORD,
    TOKEN_CREATE,
    AdjustableClock,
    GraphQLClient,
    RunningServer,
    add_user,
    create_tenant,
    make_settings,
    running_server,
)
from web.settings import Settings

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


async def sign_in_from(
    client: GraphQLClient, address: str, email: str, password: str
) -> dict[str, Any]:
    """tokenCreate as a caller at `address`, behind the trusted proxy the tests run as."""
    response = await client.http.post(
        "/graphql",
        json={"query": TOKEN_CREATE, "variables": {"email": email, "password": password}},
        headers={"x-forwarded-for": address},
    )
    answer: dict[str, Any] = response.json()["data"]["tokenCreate"]
    return answer


def behind_proxy(database_url: str, **overrides: Any) -> Settings:
    return make_settings(database_url, trusted_proxies=["127.0.0.1/32"], **overrides)


async def test_guessing_from_one_address_is_slowed_with_doubling_delays(
    database_url: str, database: object
) -> None:
    settings = behind_proxy(database_url, login_free_failures_per_address=3)
    # Time stands still: the delays cannot run out while the test runs, however slow.
    async with running_server(settings, AdjustableClock()) as server:
        client = GraphQLClient(server.url)
        tenant = await create_tenant(server, client, "Acme")
        email = tenant.owner.email
        guesses = [
            await sign_in_from(client, "198.51.100.7", email, "wrong password") for _ in range(3)
        ]
        slowed = await sign_in_from(client, "198.51.100.7", email, PASSWORD)
        elsewhere = await sign_in_from(client, "198.51.100.8", email, PASSWORD)
        await client.close()

    assert [guess["__typename"] for guess in guesses] == ["InvalidCredentialsError"] * 3
    assert slowed["__typename"] == "RateLimitedError"
    assert slowed["retryAfterSeconds"] == 1
    assert elsewhere["__typename"] == "TokenCreateSuccess"


async def test_an_attacker_elsewhere_cannot_lock_the_owner_out_of_a_known_device(
    database_url: str, database: object
) -> None:
    """Ten wrong passwords from ten addresses slow the account for new devices, while the
    owner's own device, where the owner signed in before, still gets in."""
    settings = behind_proxy(database_url, login_max_failures_per_account=10)
    # Time stands still: the delays cannot run out while the test runs, however slow.
    async with running_server(settings, AdjustableClock()) as server:
        client = GraphQLClient(server.url)
        tenant = await create_tenant(server, client, "Acme")
        email = tenant.owner.email
        assert (await sign_in_from(client, "192.0.2.1", email, PASSWORD))["__typename"] == (
            "TokenCreateSuccess"
        )
        for attacker in range(10):
            await sign_in_from(client, f"203.0.113.{attacker}", email, "wrong password")
        new_device = await sign_in_from(client, "192.0.2.99", email, PASSWORD)
        owners_device = await sign_in_from(client, "192.0.2.1", email, PASSWORD)
        await client.close()

    assert new_device["__typename"] == "RateLimitedError"
    assert owners_device["__typename"] == "TokenCreateSuccess"


async def test_one_address_trying_many_accounts_is_slowed_but_known_devices_get_in(
    database_url: str, database: object
) -> None:
    settings = behind_proxy(database_url, login_max_failures_per_client=4)
    # Time stands still: the delays cannot run out while the test runs, however slow.
    async with running_server(settings, AdjustableClock()) as server:
        client = GraphQLClient(server.url)
        tenant = await create_tenant(server, client, "Acme")
        agent, _ = await add_user(server, client, tenant, Role.AGENT)
        office = "192.0.2.10"
        assert (await sign_in_from(client, office, tenant.owner.email, PASSWORD))[
            "__typename"
        ] == "TokenCreateSuccess"
        for number in range(4):
            await sign_in_from(client, office, f"guess{number}@example.com", "x" * 12)
        colleague = await sign_in_from(client, office, agent.email, PASSWORD)
        owner = await sign_in_from(client, office, tenant.owner.email, PASSWORD)
        await client.close()

    assert colleague["__typename"] == "RateLimitedError"
    assert owner["__typename"] == "TokenCreateSuccess"


async def test_concurrent_guesses_are_counted_before_they_are_checked(
    database_url: str, database: object
) -> None:
    """The limit and the record are one step: 20 guesses at once are not all evaluated."""
    settings = behind_proxy(database_url, login_free_failures_per_address=3)
    # Time stands still: the delays cannot run out while the test runs, however slow.
    async with running_server(settings, AdjustableClock()) as server:
        client = GraphQLClient(server.url)
        tenant = await create_tenant(server, client, "Acme")
        answers = await asyncio.gather(
            *(
                sign_in_from(client, "198.51.100.20", tenant.owner.email, "wrong password")
                for _ in range(20)
            )
        )
        await client.close()

    kinds = [answer["__typename"] for answer in answers]
    assert kinds.count("InvalidCredentialsError") == 3
    assert kinds.count("RateLimitedError") == 17


async def test_success_forgets_the_addresss_failures_and_is_audited(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Acme")
    await client.data(TOKEN_CREATE, {"email": tenant.owner.email, "password": "wrong password"})

    await client.sign_in(tenant.owner.email)

    async with server.runtime.database.session() as session:
        failures = await session.scalar(
            select(func.count()).where(
                LoginAttemptRow.email == tenant.owner.email, LoginAttemptRow.succeeded.is_(False)
            )
        )
        actions = list(
            await session.scalars(
                select(AuditLogRow.action).where(AuditLogRow.actor_user_id == tenant.owner.id)
            )
        )
    assert failures == 0
    assert actions.count("token.create") == 2

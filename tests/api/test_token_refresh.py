"""tokenRefresh and tokenRevoke: rotation, reuse detection and sign-out."""

from __future__ import annotations

from typing import Any

from domain.accounts.model import Role
from tests.support import (
    PASSWORD,
    TOKEN_CREATE,
    GraphQLClient,
    RunningServer,
    add_user,
    create_tenant,
)

REFRESH = """
mutation Refresh($token: String!) {
  tokenRefresh(input: {refreshToken: $token}) {
    __typename
    ... on TokenRefreshSuccess { tokens { accessToken refreshToken } user { email } }
    ... on Error { message code }
  }
}
"""
REVOKE = "mutation($token: String!) { tokenRevoke(input: {refreshToken: $token}) { revoked } }"


async def sign_in_tokens(client: GraphQLClient, email: str) -> dict[str, Any]:
    data = await client.data(TOKEN_CREATE, {"email": email, "password": PASSWORD})
    tokens: dict[str, Any] = data["tokenCreate"]["tokens"]
    return tokens


async def test_a_refresh_token_rotates_into_a_working_pair(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Acme")
    first = await sign_in_tokens(client, tenant.owner.email)

    rotated = (await client.data(REFRESH, {"token": first["refreshToken"]}))["tokenRefresh"]

    assert rotated["__typename"] == "TokenRefreshSuccess"
    assert rotated["tokens"]["refreshToken"] != first["refreshToken"]
    me = await client.data("{ me { email } }", token=rotated["tokens"]["accessToken"])
    assert me["me"]["email"] == tenant.owner.email


async def test_reusing_a_rotated_refresh_token_revokes_the_whole_sign_in(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Acme")
    first = await sign_in_tokens(client, tenant.owner.email)
    second = (await client.data(REFRESH, {"token": first["refreshToken"]}))["tokenRefresh"]

    replay = (await client.data(REFRESH, {"token": first["refreshToken"]}))["tokenRefresh"]
    after_theft = await client.data(REFRESH, {"token": second["tokens"]["refreshToken"]})

    assert replay["__typename"] == "InvalidTokenError"
    assert "already used or revoked" in replay["message"]
    assert after_theft["tokenRefresh"]["__typename"] == "InvalidTokenError"


async def test_an_unknown_refresh_token_is_refused(
    server: RunningServer, client: GraphQLClient
) -> None:
    data = await client.data(REFRESH, {"token": "made-up"})

    assert data["tokenRefresh"] == {
        "__typename": "InvalidTokenError",
        "message": "The refresh token is not recognised",
        "code": "INVALID_TOKEN",
    }


async def test_revoking_signs_out_and_other_sign_ins_keep_working(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Acme")
    laptop = await sign_in_tokens(client, tenant.owner.email)
    phone = await sign_in_tokens(client, tenant.owner.email)

    revoked = await client.data(REVOKE, {"token": laptop["refreshToken"]})

    assert revoked["tokenRevoke"]["revoked"] is True
    refused = await client.data(REFRESH, {"token": laptop["refreshToken"]})
    assert refused["tokenRefresh"]["__typename"] == "InvalidTokenError"
    still = await client.data(REFRESH, {"token": phone["refreshToken"]})
    assert still["tokenRefresh"]["__typename"] == "TokenRefreshSuccess"
    unknown = await client.data(REVOKE, {"token": "never-issued"})
    assert unknown["tokenRevoke"]["revoked"] is False


async def test_a_deactivated_user_cannot_refresh(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Acme")
    agent, _ = await add_user(server, client, tenant, Role.AGENT)
    tokens = await sign_in_tokens(client, agent.email)
    await client.data(
        "mutation($id: ID!) { userDeactivate(input: {id: $id}) { __typename } }",
        {"id": str(agent.id)},
        token=tenant.token,
    )

    data = await client.data(REFRESH, {"token": tokens["refreshToken"]})

    assert data["tokenRefresh"]["__typename"] == "AccountDeactivatedError"

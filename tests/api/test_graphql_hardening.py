"""The endpoint's defences: malformed and oversized input, limits, tokens, introspection."""

from __future__ import annotations

import jwt
import pytest

from domain.secrets import derive_key
from tests.support import (
    TEST_SECRET,
    GraphQLClient,
    RunningServer,
    create_tenant,
    make_settings,
    running_server,
)


async def test_a_syntax_error_is_a_400_with_a_code(
    server: RunningServer, client: GraphQLClient
) -> None:
    response = await client.post("{ me { email ")

    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["message"].startswith("Syntax Error")
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_an_unknown_field_is_a_400_naming_it(
    server: RunningServer, client: GraphQLClient
) -> None:
    response = await client.post("{ me { password } }")

    assert response.status_code == 400
    assert "Cannot query field 'password'" in response.json()["errors"][0]["message"]


async def test_a_body_that_is_not_json_is_a_400(
    server: RunningServer, client: GraphQLClient
) -> None:
    response = await client.http.post(
        "/graphql", content=b"{not json", headers={"content-type": "application/json"}
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["message"].startswith(
        "Unable to parse request body as JSON"
    )


async def test_an_oversized_body_is_a_413(server: RunningServer, client: GraphQLClient) -> None:
    response = await client.http.post(
        "/graphql", json={"query": "{ me { id } }", "variables": {"pad": "x" * 1_100_000}}
    )

    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"


async def test_too_deep_a_query_is_refused(server: RunningServer, client: GraphQLClient) -> None:
    deep = "{ organization { users { edges { node { id } } } } }"
    async with running_server(
        make_settings(str(server.runtime.database.url.render_as_string(False)), graphql_max_depth=3)
    ) as shallow:
        limited = GraphQLClient(shallow.url)
        response = await limited.post(deep)
        await limited.close()

    assert response.status_code == 400
    assert "exceeds maximum operation depth of 3" in response.json()["errors"][0]["message"]


async def test_too_many_aliases_are_refused(server: RunningServer, client: GraphQLClient) -> None:
    aliased = "{ " + " ".join(f"a{n}: me {{ id }}" for n in range(31)) + " }"

    response = await client.post(aliased)

    assert response.status_code == 400
    assert "aliases" in response.json()["errors"][0]["message"]


async def test_too_many_tokens_are_refused(server: RunningServer, client: GraphQLClient) -> None:
    huge = "{ me { " + " ".join(["id"] * 6000) + " } }"

    response = await client.post(huge)

    assert response.status_code == 400
    assert "more than 5000 tokens" in response.json()["errors"][0]["message"]


async def test_mutations_are_refused_over_get(server: RunningServer, client: GraphQLClient) -> None:
    response = await client.http.get(
        "/graphql",
        params={"query": 'mutation { tokenRevoke(input: {refreshToken: "x"}) { revoked } }'},
    )

    assert response.status_code == 400
    assert "mutations are not allowed when using GET" in response.json()["errors"][0]["message"]


async def test_queries_work_over_get(server: RunningServer, client: GraphQLClient) -> None:
    tenant = await create_tenant(server, client, "Acme")

    response = await client.http.get(
        "/graphql",
        params={"query": "{ me { email } }"},
        headers={"authorization": f"Bearer {tenant.token}"},
    )

    assert response.status_code == 200
    assert response.json()["data"]["me"]["email"] == tenant.owner.email


async def test_an_expired_token_is_a_401(server: RunningServer, client: GraphQLClient) -> None:
    tenant = await create_tenant(server, client, "Acme")
    claims = jwt.decode(tenant.token, options={"verify_signature": False})
    claims["exp"] = claims["iat"] - 1
    expired = jwt.encode(claims, derive_key(TEST_SECRET, "pytake/access-token"), algorithm="HS256")

    response = await client.post("{ me { email } }", token=expired)

    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "TOKEN_EXPIRED"
    assert response.headers["www-authenticate"].startswith('Bearer error="invalid_token"')


async def test_a_tampered_token_is_a_401(server: RunningServer, client: GraphQLClient) -> None:
    tenant = await create_tenant(server, client, "Acme")
    header, payload, signature = tenant.token.split(".")

    response = await client.post("{ me { email } }", token=f"{header}.{payload}x.{signature}")

    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "INVALID_TOKEN"


async def test_a_non_bearer_authorization_is_a_401(
    server: RunningServer, client: GraphQLClient
) -> None:
    response = await client.http.post(
        "/graphql", json={"query": "{ me { id } }"}, headers={"authorization": "Basic dXNlcjpwdw=="}
    )

    assert response.status_code == 401
    assert "Bearer" in response.json()["errors"][0]["message"]


async def test_introspection_and_graphiql_are_off_in_production_settings(
    database_url: str, database: object
) -> None:
    settings = make_settings(database_url).model_copy(
        update={"graphiql": False, "introspection": False}
    )
    async with running_server(settings) as server:
        client = GraphQLClient(server.url)
        introspection = await client.post("{ __schema { types { name } } }")
        ide = await client.http.get("/graphql", headers={"accept": "text/html"})
        misspelt = await client.post("{ mee { id } }")
        wrong_argument = await client.post("{ conversations(frist: 1) { edges { cursor } } }")
        await client.close()

    assert introspection.status_code == 400
    assert "introspection" in introspection.json()["errors"][0]["message"].lower()
    assert ide.status_code == 404
    for refused in (misspelt, wrong_argument):
        message = refused.json()["errors"][0]["message"]
        assert message.startswith(("Cannot query field 'mee'", "Unknown argument 'frist'"))
        assert "Did you mean" not in message


async def test_graphiql_is_served_in_development(
    server: RunningServer, client: GraphQLClient
) -> None:
    response = await client.http.get("/graphql", headers={"accept": "text/html"})

    assert response.status_code == 200
    assert "<title>PyTake GraphiQL</title>" in response.text
    assert "https://" not in response.text, "GraphiQL comes from PyTake's own assets"
    assert "script-src 'self';" in response.headers["content-security-policy"]


def deeply_nested(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        pytest.param(b'"a bare string"', "must be a JSON object", id="a bare string"),
        pytest.param(b"42", "must be a JSON object", id="a number"),
        pytest.param(deeply_nested(100_000), "nested too deeply", id="nested 100,000 deep"),
        pytest.param(
            b'{"query": "query($v: JSON) { me { id } }", "variables": {"v": '
            + deeply_nested(1_500)
            + b"}}",
            "nested too deeply",
            id="variables nested 1,500 deep",
        ),
        pytest.param(b'{"query": "{ me { id } }", "x": "\xff\xfe"}', "not UTF-8", id="not UTF-8"),
    ],
)
async def test_a_body_that_is_not_a_request_is_a_400_with_the_reason(
    server: RunningServer, client: GraphQLClient, body: bytes, reason: str
) -> None:
    response = await client.http.post(
        "/graphql", content=body, headers={"content-type": "application/json"}
    )

    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert reason in error["message"]

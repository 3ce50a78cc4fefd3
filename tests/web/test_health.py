"""/healthz, /readyz, and what callers get when the database is gone."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import httpx

from domain.accounts.model import Role
from domain.accounts.tokens import AccessTokenCodec
from tests.support import (
    TEST_SECRET,
    TOKEN_CREATE,
    GraphQLClient,
    RunningServer,
    make_settings,
    running_server,
)

UNREACHABLE_POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:1/pytake"


async def test_healthz_and_readyz_answer_when_everything_is_up(server: RunningServer) -> None:
    async with httpx.AsyncClient(base_url=server.url) as http:
        health = await http.get("/healthz")
        ready = await http.get("/readyz")

    assert health.json() == {"status": "ok"}
    assert ready.status_code == 200
    assert ready.json() == {
        "status": "ready",
        "checks": {"database": "ok", "eventBus": "ok", "workers": "ok"},
    }


async def test_readyz_names_the_unreachable_database() -> None:
    async with (
        running_server(make_settings(UNREACHABLE_POSTGRES)) as server,
        httpx.AsyncClient(base_url=server.url) as http,
    ):
        health = await http.get("/healthz")
        ready = await http.get("/readyz")

    assert health.status_code == 200
    assert ready.status_code == 503
    body = ready.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"].startswith("The database is unavailable")
    assert body["checks"]["eventBus"] == "ok"


async def test_graphql_answers_503_with_a_code_when_the_database_is_down() -> None:
    async with running_server(make_settings(UNREACHABLE_POSTGRES)) as server:
        client = GraphQLClient(server.url)
        response = await client.post(TOKEN_CREATE, {"email": "a@example.com", "password": "x" * 12})
        well_signed = AccessTokenCodec(TEST_SECRET, timedelta(minutes=15)).issue(
            uuid.uuid4(), uuid.uuid4(), Role.OWNER, datetime.now(UTC)
        )
        authenticated = await client.post("{ me { id } }", token=well_signed.value)
        await client.close()

    assert response.status_code == 503
    error = response.json()["errors"][0]
    assert error["extensions"] == {"code": "SERVICE_UNAVAILABLE", "component": "database"}
    assert "Traceback" not in response.text
    assert authenticated.status_code == 503
    assert authenticated.json()["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"

"""The HTTP requests of flows' HTTP nodes: only public addresses unless an operator allows a
network, the checked address is the one called, redirects are not followed, and every failure
is an outcome the flow can branch on."""

from __future__ import annotations

import ipaddress
from collections.abc import AsyncIterator
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from domain.flows.engine import CallHttp
from tests.support import serving
from web.flows.http_client import FlowHttpClient

LOOPBACK = [ipaddress.ip_network("127.0.0.0/8")]


class Shop:
    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []

    def app(self) -> Starlette:
        async def echo(request: Request) -> Response:
            self.requests.append(
                {
                    "host": request.headers.get("host"),
                    "method": request.method,
                    "body": (await request.body()).decode(),
                    "content_type": request.headers.get("content-type"),
                    "authorization": request.headers.get("authorization"),
                }
            )
            return JSONResponse({"order": {"status": "shipped"}})

        async def moved(_: Request) -> Response:
            return RedirectResponse("http://10.0.0.1/internal", status_code=302)

        async def huge(_: Request) -> Response:
            return Response(b"x" * 5000)

        return Starlette(
            routes=[
                Route("/echo", echo, methods=["GET", "POST"]),
                Route("/moved", moved),
                Route("/huge", huge),
            ]
        )


@pytest.fixture
async def shop() -> AsyncIterator[tuple[Shop, str]]:
    fake = Shop()
    async with serving(fake.app()) as url:
        yield fake, url


def call(url: str, method: str = "GET", body: str | None = None, **headers: str) -> CallHttp:
    return CallHttp("http", method, url, headers, body, 2.0)


@pytest.mark.parametrize(
    ("host", "shown"),
    [
        ("127.0.0.1", "127.0.0.1"),
        ("localhost", "127.0.0.1"),
        ("[::ffff:127.0.0.1]", "::ffff:7f00:1"),
    ],
)
async def test_loopback_is_refused_unless_allowed_and_nothing_is_sent(
    shop: tuple[Shop, str], host: str, shown: str
) -> None:
    fake, url = shop
    port = url.rsplit(":", 1)[1]
    client = FlowHttpClient()
    try:
        outcome = await client.call(call(f"http://{host}:{port}/echo"))
    finally:
        await client.close()

    assert outcome.status_code is None
    assert outcome.error is not None
    assert f"resolves to {shown}" in outcome.error
    assert "PYTAKE_FLOW_HTTP_ALLOWED_NETWORKS" in outcome.error
    assert fake.requests == []


@pytest.mark.parametrize(
    ("url", "error"),
    [
        ("http://10.1.2.3/orders", "resolves to 10.1.2.3, a private"),
        ("http://169.254.169.254/latest/meta-data", "resolves to 169.254.169.254"),
        ("file:///etc/passwd", "only http:// and https:// URLs"),
        ("http://name.invalid/x", "cannot resolve name.invalid"),
    ],
)
async def test_private_addresses_other_schemes_and_unknown_hosts_are_outcomes(
    url: str, error: str
) -> None:
    client = FlowHttpClient(LOOPBACK)
    try:
        outcome = await client.call(call(url))
    finally:
        await client.close()

    assert outcome.error is not None
    assert error in outcome.error
    assert not outcome.succeeded


async def test_an_allowed_call_keeps_its_host_headers_and_body_and_decodes_json(
    shop: tuple[Shop, str],
) -> None:
    fake, url = shop
    port = url.rsplit(":", 1)[1]
    client = FlowHttpClient(LOOPBACK)
    try:
        outcome = await client.call(
            call(
                f"http://localhost:{port}/echo",
                "POST",
                '{"order": 42}',
                Authorization="Bearer k",
            )
        )
    finally:
        await client.close()

    assert outcome.succeeded
    assert outcome.body == {"order": {"status": "shipped"}}
    assert fake.requests == [
        {
            "host": f"localhost:{port}",
            "method": "POST",
            "body": '{"order": 42}',
            "content_type": "application/json",
            "authorization": "Bearer k",
        }
    ]


async def test_redirects_are_not_followed_and_oversized_responses_are_refused(
    shop: tuple[Shop, str],
) -> None:
    _, url = shop
    client = FlowHttpClient(LOOPBACK, max_response_bytes=1024)
    try:
        moved = await client.call(call(f"{url}/moved"))
        huge = await client.call(call(f"{url}/huge"))
    finally:
        await client.close()

    assert moved.status_code == 302
    assert not moved.succeeded
    assert huge.error == "the response is larger than 1024 bytes"
    assert not huge.succeeded

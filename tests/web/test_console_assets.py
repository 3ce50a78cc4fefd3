"""How PyTake serves the console's files: the page is never cached and carries a strict CSP,
hashed assets are cached for a year, and an installation without the build says so."""

from __future__ import annotations

from pathlib import Path

import httpx
from starlette.applications import Starlette
from starlette.routing import Route

from web.console import CONTENT_SECURITY_POLICY, console_routes, graphiql_page


def client_for(build: Path) -> httpx.AsyncClient:
    app = Starlette(routes=[*console_routes(build), Route("/graphql", graphiql_page(build))])
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://pytake")


def built(tmp_path: Path) -> Path:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text('<script type="module" src="/assets/index-4f2a.js">')
    (tmp_path / "assets" / "index-4f2a.js").write_text("console.log('console')")
    (tmp_path / "graphiql.html").write_text('<script type="module" src="/assets/graphiql-9b.js">')
    (tmp_path / "service-worker.js").write_text("self.addEventListener('push', () => {})")
    return tmp_path


async def test_the_page_is_revalidated_and_locked_to_pytake_s_own_origin(tmp_path: Path) -> None:
    async with client_for(built(tmp_path)) as client:
        page = await client.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert page.headers["cache-control"] == "no-cache"
    policy = page.headers["content-security-policy"]
    assert policy == CONTENT_SECURITY_POLICY
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "http" not in policy, "no third-party origin"
    assert "frame-ancestors 'none'" in policy
    assert page.headers["x-content-type-options"] == "nosniff"


async def test_hashed_assets_are_cached_for_a_year(tmp_path: Path) -> None:
    async with client_for(built(tmp_path)) as client:
        asset = await client.get("/assets/index-4f2a.js")
        missing = await client.get("/assets/index-0000.js")
    assert asset.status_code == 200
    assert asset.text == "console.log('console')"
    assert asset.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert missing.status_code == 404


async def test_the_service_worker_is_served_at_the_root_and_never_cached(tmp_path: Path) -> None:
    async with client_for(built(tmp_path)) as client:
        worker = await client.get("/service-worker.js")
    assert worker.status_code == 200
    assert worker.text == "self.addEventListener('push', () => {})"
    assert worker.headers["content-type"].startswith("text/javascript")
    assert worker.headers["cache-control"] == "no-cache"
    assert worker.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert worker.headers["x-content-type-options"] == "nosniff"


async def test_graphiql_loosens_only_styles_and_fonts_for_its_editor(tmp_path: Path) -> None:
    async with client_for(built(tmp_path)) as client:
        page = await client.get("/graphql")
    assert page.status_code == 200
    assert "graphiql-9b.js" in page.text
    assert page.headers["cache-control"] == "no-cache"
    policy = dict(
        directive.split(" ", 1) for directive in page.headers["content-security-policy"].split("; ")
    )
    console = dict(directive.split(" ", 1) for directive in CONTENT_SECURITY_POLICY.split("; "))
    assert policy["style-src"] == "'self' 'unsafe-inline'"
    assert policy["font-src"] == "'self' data:"
    assert {k: v for k, v in policy.items() if k not in ("style-src", "font-src")} == {
        k: v for k, v in console.items() if k not in ("style-src", "font-src")
    }


async def test_an_installation_without_the_build_says_how_to_get_it(tmp_path: Path) -> None:
    async with client_for(tmp_path) as client:
        page = await client.get("/")
        ide = await client.get("/graphql")
    for answer in (page, ide):
        assert answer.status_code == 404
        assert "make serve" in answer.text
        assert "/graphql works without it" in answer.text

"""The console: the single-page application built from `console/` into `web/console_build`,
served at `/` from the installed package, so a wheel needs no Node on the server.

`index.html` is never cached, so a new release shows at the next load; the assets it names
carry a content hash and are cached for a year. Every page answer carries a strict
Content-Security-Policy: only PyTake's own scripts, styles and connections, nothing inline and
no third-party origin, so a script injected through a message cannot run, and cannot read the
tokens the console keeps."""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

CONSOLE_BUILD = Path(__file__).with_name("console_build")
PageHandler = Callable[[Request], Awaitable[Response]]

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        # Media arrives through PyTake's media route as blobs; the page's icon is an empty data URL.
        "img-src 'self' data: blob:",
        "media-src 'self' blob:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
PAGE_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
}
# GraphiQL's editor (Monaco) adds style elements at run time and its stylesheet embeds its
# fonts as data URLs; its scripts and workers still come only from PyTake's own assets, and the
# page shows nothing but what the API answers, as text.
GRAPHIQL_HEADERS = {
    **PAGE_HEADERS,
    "content-security-policy": CONTENT_SECURITY_POLICY.replace(
        "style-src 'self'", "style-src 'self' 'unsafe-inline'"
    ).replace("font-src 'self'", "font-src 'self' data:"),
}
NOT_BUILT = (
    "The console is not built into this installation. From a source checkout, `make serve` "
    "builds it (it needs Node.js 20 or newer, which it installs when absent); the GraphQL API "
    "at /graphql works without it."
)


class HashedAssets(StaticFiles):
    """Vite names each asset after its content, so an asset never changes under its name."""

    def file_response(
        self,
        full_path: str | os.PathLike[str],
        stat_result: os.stat_result,
        scope: Scope,
        status_code: int = 200,
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        response.headers["cache-control"] = "public, max-age=31536000, immutable"
        response.headers["x-content-type-options"] = "nosniff"
        return response


def built_page(page: Path, headers: dict[str, str] = PAGE_HEADERS) -> PageHandler:
    """The page as built when the server started (`make serve` builds before it starts)."""
    if not page.is_file():

        async def not_built(_: Request) -> Response:
            return PlainTextResponse(NOT_BUILT, status_code=404, headers=headers)

        return not_built

    async def serve(_: Request) -> Response:
        return FileResponse(page, headers={**headers, "cache-control": "no-cache"})

    return serve


def service_worker(script: Path) -> PageHandler:
    """The console's Service Worker (Web Push), at the root so that its scope is the whole
    console; never cached, so browsers pick up a new release's worker at once."""

    if not script.is_file():

        async def not_built(_: Request) -> Response:
            return PlainTextResponse(NOT_BUILT, status_code=404)

        return not_built

    async def serve(_: Request) -> Response:
        return FileResponse(
            script,
            media_type="text/javascript",
            headers={
                "cache-control": "no-cache",
                "x-content-type-options": "nosniff",
                "content-security-policy": CONTENT_SECURITY_POLICY,
            },
        )

    return serve


def graphiql_page(build: Path = CONSOLE_BUILD) -> PageHandler:
    """GraphiQL at GET /graphql for browsers, from the console's build."""
    return built_page(build / "graphiql.html", GRAPHIQL_HEADERS)


def console_routes(build: Path = CONSOLE_BUILD) -> list[BaseRoute]:
    return [
        Route("/", built_page(build / "index.html"), methods=["GET", "HEAD"]),
        Route("/service-worker.js", service_worker(build / "service-worker.js"), methods=["GET"]),
        Mount("/assets", HashedAssets(directory=build / "assets", check_dir=False)),
    ]

"""Meta's Graph API over httpx: one pooled client per process, every failure turned into a
GraphApiFailure carrying Meta's code (reference §6.1)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx

from domain.whatsapp.meta_errors import GraphApiFailure
from domain.whatsapp.trial import is_trial_id
from web.tls import client_tls_context

DEFAULT_GRAPH_URL = "https://graph.facebook.com"
DEFAULT_GRAPH_VERSION = "v23.0"
TEMPLATE_PAGE_SIZE = 100


class GraphApiClient:
    def __init__(
        self,
        base_url: str = DEFAULT_GRAPH_URL,
        version: str = DEFAULT_GRAPH_VERSION,
        timeout_seconds: float = 20.0,
        max_connections: int = 100,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._root = f"{base_url.rstrip('/')}/{version.strip('/')}"
        self._trial: GraphApiClient | None = None
        self._http = httpx.AsyncClient(
            transport=transport,
            # The process id tells operators (and the simulator) which process made a call.
            headers={"user-agent": f"PyTake (pid {os.getpid()})"},
            verify=client_tls_context(),
            timeout=httpx.Timeout(timeout_seconds, connect=min(5.0, timeout_seconds)),
            limits=httpx.Limits(
                max_connections=max_connections, max_keepalive_connections=max_connections
            ),
        )

    def route_trials_to(self, trial: GraphApiClient) -> None:
        """Calls about trial numbers and accounts go to `trial` (the built-in simulator)."""
        self._trial = trial

    async def close(self) -> None:
        await self._http.aclose()

    async def send_message(
        self, phone_number_id: str, access_token: str, payload: dict[str, Any]
    ) -> str | None:
        body = await self._call("POST", f"/{phone_number_id}/messages", access_token, json=payload)
        messages = body.get("messages")
        if isinstance(messages, list) and messages and isinstance(messages[0], dict):
            return str(messages[0]["id"])
        if body.get("success") is True:
            return None
        raise GraphApiFailure(200, None, "Unexpected response", f"no message id in {body!r:.200}")

    async def phone_number(self, phone_number_id: str, access_token: str) -> dict[str, Any]:
        fields = "display_phone_number,verified_name,quality_rating,status,throughput"
        return await self._call(
            "GET", f"/{phone_number_id}", access_token, params={"fields": fields}
        )

    async def subscribed_apps(self, waba_id: str, access_token: str) -> list[str]:
        body = await self._call("GET", f"/{waba_id}/subscribed_apps", access_token)
        data = body.get("data")
        apps = [entry.get("whatsapp_business_api_data") for entry in data or [] if entry]
        return [str(app.get("name") or app.get("id")) for app in apps if isinstance(app, dict)]

    async def templates_page(
        self, waba_id: str, access_token: str, after: str | None
    ) -> tuple[list[dict[str, Any]], str | None]:
        params: dict[str, str | int] = {
            "limit": TEMPLATE_PAGE_SIZE,
            "fields": "id,name,language,status,category,components,parameter_format,"
            "rejected_reason",
        }
        if after:
            params["after"] = after
        body = await self._call("GET", f"/{waba_id}/message_templates", access_token, params=params)
        items = [item for item in body.get("data", []) if isinstance(item, dict)]
        paging = body.get("paging") or {}
        has_next = bool(paging.get("next"))
        cursor = (paging.get("cursors") or {}).get("after") if has_next else None
        return items, cursor

    async def create_template(
        self, waba_id: str, access_token: str, definition: dict[str, Any]
    ) -> dict[str, Any]:
        return await self._call(
            "POST", f"/{waba_id}/message_templates", access_token, json=definition
        )

    async def delete_template(self, waba_id: str, access_token: str, name: str) -> None:
        await self._call(
            "DELETE", f"/{waba_id}/message_templates", access_token, params={"name": name}
        )

    async def media_url(self, media_id: str, access_token: str) -> dict[str, Any]:
        """Meta's two-step download: first the media's short-lived URL and mime type."""
        return await self._call("GET", f"/{media_id}", access_token)

    @asynccontextmanager
    async def media_stream(
        self, url: str, access_token: str
    ) -> AsyncIterator[tuple[str, AsyncIterator[bytes]]]:
        """The media's bytes as they arrive, never held whole in memory."""
        request = self._http.build_request(
            "GET", url, headers={"Authorization": f"Bearer {access_token}"}
        )
        try:
            response = await self._http.send(request, stream=True)
        except httpx.HTTPError as error:
            raise GraphApiFailure(None, details=f"{type(error).__name__}: {error}") from error
        try:
            if response.status_code >= 400:
                await response.aread()
                raise _failure(response)
            yield (
                response.headers.get("content-type", "application/octet-stream"),
                response.aiter_bytes(),
            )
        finally:
            await response.aclose()

    async def _call(
        self,
        method: str,
        path: str,
        access_token: str,
        *,
        json: dict[str, Any] | None = None,
        params: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        if self._trial is not None and is_trial_id(path.lstrip("/").split("/", 1)[0]):
            return await self._trial._call(method, path, access_token, json=json, params=params)
        try:
            response = await self._http.request(
                method,
                self._root + path,
                json=json,
                params=params,
                headers={"Authorization": f"Bearer {access_token}"},
            )
        except httpx.HTTPError as error:
            raise GraphApiFailure(None, details=f"{type(error).__name__}: {error}") from error
        if response.status_code >= 400:
            raise _failure(response)
        try:
            body = response.json()
        except ValueError as error:
            raise GraphApiFailure(
                response.status_code, None, "Unreadable response", response.text[:200]
            ) from error
        return body if isinstance(body, dict) else {"data": body}


def _failure(response: httpx.Response) -> GraphApiFailure:
    """Meta's error body (reference §6.1); `error_data` is an object or, for template calls,
    a plain string."""
    try:
        error = response.json().get("error") or {}
    except (ValueError, AttributeError):
        error = {}
    data = error.get("error_data")
    details = data.get("details", "") if isinstance(data, dict) else str(data or "")
    code = error.get("code")
    return GraphApiFailure(
        http_status=response.status_code,
        code=int(code) if isinstance(code, int | str) and str(code).isdigit() else None,
        title=str(error.get("error_user_title") or error.get("message") or response.reason_phrase),
        details=str(details or error.get("error_user_msg") or ""),
        transient=error.get("is_transient"),
    )

"""The HTTP requests of flows' `action_http_request` nodes.

A flow designer chooses the URL, so a request could otherwise reach the server's own network
(cloud metadata, the database, admin ports). Every address the host resolves to must be public
unless an operator allowed its network; the request then goes to the address that was checked
(with the original Host and TLS server name), so a second DNS answer cannot redirect it, and
redirects are not followed.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import socket
from collections.abc import Sequence
from typing import Any

import httpx

from domain.flows.engine import CallHttp, HttpOutcome
from web.tls import client_tls_context

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
DEFAULT_MAX_RESPONSE_BYTES = 1_048_576
USER_AGENT = "PyTake-Flows/1.0"


class RefusedAddress(Exception):
    pass


class FlowHttpClient:
    def __init__(
        self,
        allowed_networks: Sequence[IPNetwork] = (),
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    ) -> None:
        self._allowed = tuple(allowed_networks)
        self._max_bytes = max_response_bytes
        self._client = httpx.AsyncClient(
            follow_redirects=False, trust_env=False, verify=client_tls_context()
        )

    async def close(self) -> None:
        await self._client.aclose()

    async def call(self, call: CallHttp) -> HttpOutcome:
        try:
            url = httpx.URL(call.url)
        except httpx.InvalidURL as error:
            return HttpOutcome(None, error=f"the URL is not valid: {error}")
        if url.scheme not in ("http", "https") or not url.host:
            return HttpOutcome(None, error="only http:// and https:// URLs can be called")
        try:
            async with asyncio.timeout(call.timeout_seconds):
                address = await self._address(url)
                return await self._request(call, url, address)
        except TimeoutError:
            return HttpOutcome(None, error=f"no response within {call.timeout_seconds:g} s")
        except RefusedAddress as refused:
            return HttpOutcome(None, error=str(refused))
        except httpx.HTTPError as error:
            return HttpOutcome(None, error=f"the request failed: {error or type(error).__name__}")

    async def _address(self, url: httpx.URL) -> IPAddress:
        port = url.port or (443 if url.scheme == "https" else 80)
        try:
            found = await asyncio.get_running_loop().getaddrinfo(
                url.host, port, type=socket.SOCK_STREAM
            )
        except socket.gaierror as error:
            raise RefusedAddress(f"cannot resolve {url.host}: {error.strerror}") from error
        addresses = sorted({ipaddress.ip_address(entry[4][0]) for entry in found}, key=str)
        for address in addresses:
            if not self._permitted(address):
                raise RefusedAddress(
                    f"{url.host} resolves to {address}, a private, loopback or reserved "
                    "address; an operator can allow its network with "
                    "PYTAKE_FLOW_HTTP_ALLOWED_NETWORKS"
                )
        return addresses[0]

    def _permitted(self, address: IPAddress) -> bool:
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        if any(address in network for network in self._allowed):
            return True
        return address.is_global and not address.is_multicast

    async def _request(self, call: CallHttp, url: httpx.URL, address: IPAddress) -> HttpOutcome:
        headers = {"User-Agent": USER_AGENT, **call.headers, "Host": url.netloc.decode("ascii")}
        if call.body is not None and not any(h.lower() == "content-type" for h in headers):
            headers["Content-Type"] = "application/json" if _is_json(call.body) else "text/plain"
        extensions = {"sni_hostname": url.host} if url.scheme == "https" else {}
        request = self._client.build_request(
            call.method,
            url.copy_with(host=str(address)),
            headers=headers,
            content=call.body,
            extensions=extensions,
        )
        response = await self._client.send(request, stream=True)
        try:
            body = bytearray()
            async for chunk in response.aiter_bytes():
                body += chunk
                if len(body) > self._max_bytes:
                    return HttpOutcome(
                        response.status_code,
                        error=f"the response is larger than {self._max_bytes} bytes",
                    )
        finally:
            await response.aclose()
        return HttpOutcome(response.status_code, _decoded(bytes(body)))


def _is_json(body: str) -> bool:
    try:
        json.loads(body)
    except ValueError:
        return False
    return True


def _decoded(body: bytes) -> Any:
    text = body.decode("utf-8", errors="replace")
    try:
        return json.loads(text)
    except ValueError:
        return text

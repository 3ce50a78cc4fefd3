"""The GraphQL endpoint: bearer authentication, graphql-transport-ws only, JSON errors."""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import timedelta
from typing import Any

from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http import GraphQLHTTPResponse
from strawberry.http.streaming import HTTPStreamTransport
from strawberry.schema import BaseSchema
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import Message
from strawberry.types.unset import UNSET, UnsetType

from domain.accounts.model import Actor
from domain.accounts.services import Authentication
from domain.errors import AccountDeactivated, InvalidToken, ServiceUnavailable
from graphql_api.context import Context, Services


class AuthenticationFailed(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def error_response(
    status_code: int, code: str, message: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    body = {"data": None, "errors": [{"message": message, "extensions": {"code": code}}]}
    return JSONResponse(body, status_code=status_code, headers=headers)


def challenge(code: str) -> str:
    return f'Bearer error="invalid_token", error_description="{code}"'


class ClientAddress:
    """The caller's address; behind a trusted proxy, the nearest untrusted X-Forwarded-For hop."""

    def __init__(self, trusted_proxies: Sequence[str]) -> None:
        self._trusted = [ipaddress.ip_network(p, strict=False) for p in trusted_proxies]

    def _is_trusted(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in self._trusted)

    def of(self, request: Request | WebSocket) -> str | None:
        peer = request.client.host if request.client else None
        if peer is None or not self._is_trusted(peer):
            return peer
        forwarded = request.headers.get("x-forwarded-for", "")
        for hop in reversed([h.strip() for h in forwarded.split(",") if h.strip()]):
            if not self._is_trusted(hop):
                return hop
        return peer


def _rejected_before_execution(response: GraphQLHTTPResponse) -> bool:
    """A document that failed to parse or validate: no data, and no error tied to a field."""
    errors = response.get("errors") or []
    if response.get("data") is not None or not errors:
        return False
    for error in errors:
        if not isinstance(error, dict) or error.get("path"):
            return False
        extensions = error.setdefault("extensions", {})
        extensions.setdefault("code", "GRAPHQL_VALIDATION_FAILED")
    return True


MAX_ID_LENGTH = 100
OPTIONAL_OBJECTS = ("variables", "extensions")


def frame_problem(frame: object) -> str | None:
    """Why a graphql-transport-ws frame is not one the protocol defines, or None. Checked before
    strawberry reads the frame, which assumes the shapes the protocol promises."""
    if not isinstance(frame, dict):
        return "a message must be a JSON object"
    kind = frame.get("type")
    if not isinstance(kind, str):
        return "a message needs a string 'type'"
    if kind in ("subscribe", "complete"):
        operation_id = frame.get("id")
        if not isinstance(operation_id, str) or not 0 < len(operation_id) <= MAX_ID_LENGTH:
            return f"'id' must be a string of 1 to {MAX_ID_LENGTH} characters"
    if kind != "subscribe":
        return None
    payload = frame.get("payload")
    if not isinstance(payload, dict):
        return "a subscribe message needs a 'payload' object"
    if not isinstance(payload.get("query"), str):
        return "the subscribe payload's 'query' must be a string"
    for key in OPTIONAL_OBJECTS:
        if not isinstance(payload.get(key), dict | None):
            return f"the subscribe payload's '{key}' must be an object or null"
    if not isinstance(payload.get("operationName"), str | None):
        return "the subscribe payload's 'operationName' must be a string or null"
    return None


class TransportWSHandler(BaseGraphQLTransportWSHandler[Context, None]):
    """graphql-transport-ws, closing with 4400 and the reason on any frame the protocol does not
    define, as the protocol says, instead of failing inside strawberry."""

    async def handle_message(self, message: Message) -> None:
        problem = frame_problem(message)
        if problem is not None:
            await self.handle_invalid_message(problem)
            return
        await super().handle_message(message)


class GraphQLView(GraphQL[Context, None]):
    # No subscriptions or incremental delivery over HTTP streams: WebSocket only.
    stream_transport_classes_by_protocol: Mapping[str, type[HTTPStreamTransport]] = {}
    graphql_transport_ws_handler_class = TransportWSHandler

    def __init__(
        self,
        schema: BaseSchema,
        services: Services,
        *,
        graphiql: Callable[[Request], Awaitable[Response]] | None,
        trusted_proxies: Sequence[str] = (),
        max_subscriptions_per_connection: int = 20,
        connection_init_timeout: timedelta = timedelta(seconds=5),
    ) -> None:
        super().__init__(
            schema,
            graphql_ide="graphiql" if graphiql else None,
            subscription_protocols=[GRAPHQL_TRANSPORT_WS_PROTOCOL],
            connection_init_wait_timeout=connection_init_timeout,
            max_subscriptions_per_connection=max_subscriptions_per_connection,
        )
        self._services = services
        self._client_address = ClientAddress(trusted_proxies)
        self._graphiql = graphiql

    async def render_graphql_ide(self, request: Request) -> Response:
        """PyTake's own GraphiQL page (built with the console) instead of strawberry's, which
        loads GraphiQL from a public CDN and stays blank without internet."""
        assert self._graphiql is not None, "strawberry renders the IDE only when it is enabled"
        return await self._graphiql(request)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        response: Response
        try:
            response = await self.run(Request(scope, receive))
        except AuthenticationFailed as failure:
            response = error_response(
                401,
                failure.code,
                failure.message,
                {"WWW-Authenticate": challenge(failure.code)},
            )
        except ServiceUnavailable as outage:
            response = error_response(503, outage.code, outage.message, {"Retry-After": "5"})
        except HTTPException as bad_request:
            reason = bad_request.reason
            if reason.startswith("subscriptions are not allowed"):
                reason += "; subscribe over WebSocket at /graphql (graphql-transport-ws)"
            response = error_response(bad_request.status_code, "BAD_REQUEST", reason)
        await response(scope, receive, send)

    def decode_json(self, data: str | bytes) -> object:
        """Request bodies and WebSocket frames alike: what is not JSON is a JSONDecodeError,
        which strawberry answers with 400 or closes with 4400."""
        try:
            return json.loads(data)
        except RecursionError:
            raise json.JSONDecodeError("nested too deeply", "", 0) from None
        except UnicodeDecodeError:
            raise json.JSONDecodeError("not UTF-8", "", 0) from None

    def parse_json(self, data: str | bytes) -> Any:
        try:
            payload = self.decode_json(data)
        except json.JSONDecodeError as error:
            raise HTTPException(
                400, f"Unable to parse request body as JSON: {error.msg}"
            ) from error
        if not isinstance(payload, dict | list):
            raise HTTPException(400, "The request body must be a JSON object")
        return payload

    def create_response(
        self,
        response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse],
        sub_response: Response,
    ) -> Response:
        if isinstance(response_data, dict) and _rejected_before_execution(response_data):
            sub_response.status_code = 400
        return super().create_response(response_data, sub_response)

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        client_ip = self._client_address.of(request)
        context = Context(
            services=self._services,
            actor=Actor.anonymous(client_ip),
            request=request,
            response=response,
        )
        header = request.headers.get("authorization")
        if header and not isinstance(request, WebSocket):
            context.authenticate(await self._authenticate(header))
        return context

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        params = context.connection_params or {}
        header = params.get("authorization", params.get("Authorization"))
        if not isinstance(header, str):
            raise ConnectionRejectionError({"message": "connection_init needs an authorization"})
        try:
            context.authenticate(await self._authenticate(header))
        except (AuthenticationFailed, ServiceUnavailable) as failure:
            raise ConnectionRejectionError({"message": str(failure)}) from failure
        acknowledged: UnsetType = UNSET
        return acknowledged

    async def _authenticate(self, header: str) -> Authentication:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise AuthenticationFailed(
                "INVALID_TOKEN", "The Authorization header must be 'Bearer <access token>'"
            )
        try:
            return await self._services.accounts.resolve_access_token(token.strip())
        except (InvalidToken, AccountDeactivated) as error:
            raise AuthenticationFailed(error.code, error.message) from error

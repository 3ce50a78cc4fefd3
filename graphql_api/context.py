"""The typed per-request (or per-connection) context every resolver receives."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket

from domain.accounts.model import AUTHENTICATION_REQUIRED, Actor, User
from domain.accounts.services import AccountService
from domain.errors import Unauthenticated
from domain.event_stream import EventStream


@dataclass(frozen=True)
class Services:
    """Built once by the app; resolvers call these, never the database directly."""

    accounts: AccountService
    event_stream: EventStream


@dataclass
class Context:
    services: Services
    actor: Actor
    request: Request | WebSocket
    response: Response | WebSocket | None = None
    connection_params: dict[str, Any] | None = field(default=None)
    user: User | None = None
    """The authenticated user as loaded when the token was checked, for this request."""

    def require_user(self) -> User:
        if self.user is None:
            raise Unauthenticated(AUTHENTICATION_REQUIRED)
        return self.user

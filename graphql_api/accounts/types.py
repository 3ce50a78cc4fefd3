"""Organizations, users and tokens as the API shows them."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import Enum
from typing import Annotated, cast

import strawberry
from strawberry.scalars import JSON

from domain.accounts import model
from domain.accounts.services import TokenPair
from domain.pagination import PageRequest
from graphql_api.context import Context
from graphql_api.languages import Language
from graphql_api.node.types import Node
from graphql_api.pagination import (
    AfterArgument,
    BeforeArgument,
    Connection,
    FirstArgument,
    LastArgument,
)
from graphql_api.segments import BusinessSegment


@strawberry.enum(description="What a user may do in their organization.")
class UserRole(Enum):
    OWNER = strawberry.enum_value(
        "owner", description="Everything, including managing admins and other owners."
    )
    ADMIN = strawberry.enum_value(
        "admin", description="Manages the organization's settings, supervisors and agents."
    )
    SUPERVISOR = strawberry.enum_value(
        "supervisor", description="Oversees queues and agents and sees every conversation."
    )
    AGENT = strawberry.enum_value(
        "agent", description="Answers the conversations of their queues and those assigned."
    )

    def to_domain(self) -> model.Role:
        return model.Role[self.name]


@strawberry.type(description="A person who signs in to PyTake, member of one organization.")
class User(Node):
    id: strawberry.ID = strawberry.field(description="The user's id.")
    email: str = strawberry.field(description="The sign-in email, lower-cased and normalised.")
    name: str = strawberry.field(description="The name shown to colleagues.")
    role: UserRole = strawberry.field(description="What the user may do.")
    is_active: bool = strawberry.field(description="False once deactivated: sign-in is refused.")
    is_superuser: bool = strawberry.field(
        description="A platform superuser may create organizations."
    )
    created_at: datetime = strawberry.field(description="When the user was created (UTC).")
    updated_at: datetime = strawberry.field(description="When the user last changed (UTC).")

    @classmethod
    def from_domain(cls, user: model.User) -> User:
        return cls(
            id=strawberry.ID(str(user.id)),
            email=user.email,
            name=user.name,
            role=UserRole(user.role.value),
            is_active=user.is_active,
            is_superuser=user.is_superuser,
            created_at=user.created_at,
            updated_at=user.updated_at,
        )


@strawberry.type(description="A business using PyTake: the tenant that owns all its data.")
class Organization:
    id: strawberry.ID = strawberry.field(description="The organization's id.")
    name: str = strawberry.field(description="The organization's display name.")
    created_at: datetime = strawberry.field(description="When it was created (UTC).")
    language: Language = strawberry.field(
        description="The language it talks to customers in: ready-made flows come in it."
    )
    time_zone: str | None = strawberry.field(
        description="Where it works, as an IANA time zone; null until its profile is filled in."
    )
    business_hours: JSON | None = strawberry.field(
        description="Its opening hours, in the shape of the flow editor's business-hours node: "
        '`{"timeZone", "weekly": {"monday": [["09:00", "18:00"]], ...}, "holidays"}`.'
    )
    segment: BusinessSegment | None = strawberry.field(
        description="What kind of business it is; its ready-made flow is offered first."
    )

    @strawberry.field(
        description='The id of the organization\'s newest event ("0" before the first). '
        "Read it before subscribing and pass it as `after`: the stream then has a place to "
        "resume from even before its first event arrives, so a reconnection replays every "
        "event committed while the client was away."
    )
    async def last_event_id(self, info: strawberry.Info[Context, None]) -> strawberry.ID:
        latest = await info.context.services.event_stream.latest(uuid.UUID(self.id))
        return strawberry.ID(str(latest))

    @strawberry.field(description="The organization's users, oldest first (at most 100 a page).")
    async def users(
        self,
        info: strawberry.Info[Context, None],
        first: FirstArgument = None,
        after: AfterArgument = None,
        include_deactivated: Annotated[
            bool, strawberry.argument(description="Also list deactivated users.")
        ] = False,
        last: LastArgument = None,
        before: BeforeArgument = None,
    ) -> Connection[User]:
        page = await info.context.services.accounts.list_users(
            info.context.actor, PageRequest(first, after, last, before), include_deactivated
        )
        return Connection.of(page, User.from_domain)

    @classmethod
    def from_domain(cls, organization: model.Organization) -> Organization:
        return cls(
            id=strawberry.ID(str(organization.id)),
            name=organization.name,
            created_at=organization.created_at,
            language=Language(organization.language),
            time_zone=organization.time_zone,
            business_hours=(
                cast(JSON, dict(organization.business_hours))
                if organization.business_hours
                else None
            ),
            segment=BusinessSegment(organization.segment) if organization.segment else None,
        )


@strawberry.type(description="Credentials issued at sign-in or refresh.")
class AuthTokens:
    access_token: str = strawberry.field(
        description="Send as `Authorization: Bearer <accessToken>` on HTTP, or as "
        '`{"authorization": "Bearer <accessToken>"}` in the WebSocket connection_init payload.'
    )
    access_token_expires_at: datetime = strawberry.field(
        description="When the access token stops working (UTC); refresh before then."
    )
    refresh_token: str = strawberry.field(
        description="Exchange once with tokenRefresh for a new pair; using it twice revokes "
        "every token of this sign-in. Store it as a secret."
    )
    refresh_token_expires_at: datetime = strawberry.field(
        description="When the refresh token stops working (UTC)."
    )
    token_type: str = strawberry.field(description="Always `Bearer`.")

    @classmethod
    def from_domain(cls, pair: TokenPair) -> AuthTokens:
        return cls(
            access_token=pair.access.value,
            access_token_expires_at=pair.access.expires_at,
            refresh_token=pair.refresh.value,
            refresh_token_expires_at=pair.refresh.expires_at,
            token_type="Bearer",  # noqa: S106 - the OAuth token type name
        )

"""Account queries: who am I, my organization, a colleague."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import strawberry

from domain.errors import NotFound
from graphql_api.accounts.types import Organization, User
from graphql_api.context import Context
from graphql_api.ids import parse_uuid


@strawberry.type
class AccountQueries:
    @strawberry.field(description="The signed-in user. Requires authentication.")
    async def me(self, info: strawberry.Info[Context, None]) -> User:
        return User.from_domain(info.context.require_user())

    @strawberry.field(description="The signed-in user's organization. Requires authentication.")
    async def organization(self, info: strawberry.Info[Context, None]) -> Organization:
        organization = await info.context.services.accounts.current_organization(info.context.actor)
        return Organization.from_domain(organization)

    @strawberry.field(
        description="A user of the caller's organization by id; null when there is none."
    )
    async def user(
        self,
        info: strawberry.Info[Context, None],
        id: Annotated[strawberry.ID, strawberry.argument(description="The user's id.")],
    ) -> User | None:
        return await find_user(info, parse_uuid(id))


async def find_user(info: strawberry.Info[Context, None], user_id: UUID) -> User | None:
    try:
        user = await info.context.services.accounts.get_user(info.context.actor, user_id)
    except NotFound:
        return None
    return User.from_domain(user)

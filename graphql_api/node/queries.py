"""`node(id:)`: refetch any Node by its id alone, as Relay clients do."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated
from uuid import UUID

import strawberry

from domain.errors import Forbidden
from graphql_api.accounts.queries import find_user
from graphql_api.context import Context
from graphql_api.conversations.queries import find_conversation
from graphql_api.flows.queries import find_flow, find_flow_session
from graphql_api.ids import parse_uuid
from graphql_api.node.types import Node
from graphql_api.queues.queries import find_queue, find_queue_item

Finder = Callable[[strawberry.Info[Context, None], UUID], Awaitable[Node | None]]
FINDERS: tuple[Finder, ...] = (
    find_conversation,
    find_queue_item,
    find_flow_session,
    find_user,
    find_flow,
    find_queue,
)
"""Each kind's own read, with its own visibility rules; most often refetched first."""


@strawberry.type
class NodeQueries:
    @strawberry.field(
        description="Any object by its id, whatever its type, as the caller may see it; null "
        "when there is none or the caller may not see it. Ids carry no type, so each kind is "
        "looked up in turn: prefer the typed field (`conversation`, `flow`, ...) when the type "
        "is known."
    )
    async def node(
        self,
        info: strawberry.Info[Context, None],
        id: Annotated[strawberry.ID, strawberry.argument(description="The object's id.")],
    ) -> Node | None:
        object_id = parse_uuid(id)
        for find in FINDERS:
            try:
                found = await find(info, object_id)
            except Forbidden:
                # The caller may not read this kind at all: it is not theirs to find.
                continue
            if found is not None:
                return found
        return None

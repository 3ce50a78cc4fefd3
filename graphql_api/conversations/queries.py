"""Reading conversations and their messages. Every member of the organization may read them
for now; per-queue visibility for agents arrives with the agent inbox."""

from __future__ import annotations

from typing import Annotated

import strawberry

from domain.pagination import PageRequest
from graphql_api.context import Context
from graphql_api.conversations.types import Conversation, MessageConnection
from graphql_api.ids import parse_uuid


@strawberry.type
class ConversationQueries:
    @strawberry.field(
        description="A conversation of the caller's organization by id; null when there is none."
    )
    async def conversation(
        self,
        info: strawberry.Info[Context, None],
        id: Annotated[strawberry.ID, strawberry.argument(description="The conversation's id.")],
    ) -> Conversation | None:
        view = await info.context.services.conversations.conversation(
            info.context.actor, parse_uuid(id)
        )
        if view is None:
            return None
        return Conversation.from_view(view, info.context.services.clock.now())

    @strawberry.field(
        description="A conversation's messages, oldest first, at most 100 a page. Page forwards "
        "with `first`/`after`, or backwards from the newest with `last`/`before` (a chat's "
        "infinite scroll). Reactions are attached to the messages they react to. An unknown "
        "conversation gives the error NOT_FOUND."
    )
    async def messages(
        self,
        info: strawberry.Info[Context, None],
        conversation_id: Annotated[
            strawberry.ID, strawberry.argument(description="The conversation to read.")
        ],
        first: Annotated[
            int | None, strawberry.argument(description="Page size forwards, 1 to 100.")
        ] = None,
        after: Annotated[
            str | None, strawberry.argument(description="The `endCursor` of the previous page.")
        ] = None,
        last: Annotated[
            int | None, strawberry.argument(description="Page size backwards, 1 to 100.")
        ] = None,
        before: Annotated[
            str | None, strawberry.argument(description="The `startCursor` of the next page.")
        ] = None,
    ) -> MessageConnection:
        page = await info.context.services.conversations.messages(
            info.context.actor,
            parse_uuid(conversation_id),
            PageRequest(first=first, after=after, last=last, before=before),
        )
        return MessageConnection.from_page(page)

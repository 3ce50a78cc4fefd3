"""Reading conversations and their messages. Every member of the organization may read them
for now; per-queue visibility for agents arrives with the agent inbox."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import strawberry

from domain.pagination import PageRequest
from graphql_api.context import Context
from graphql_api.conversations.inputs import ConversationFilter
from graphql_api.conversations.types import (
    Conversation,
    ConversationNote,
    ConversationStats,
    Message,
)
from graphql_api.ids import parse_uuid
from graphql_api.pagination import (
    AfterArgument,
    BeforeArgument,
    Connection,
    FirstArgument,
    LastArgument,
)


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
        return await find_conversation(info, parse_uuid(id))

    @strawberry.field(
        description="The conversations the caller may see, most recently active first, at most "
        "100 a page. Supervisors, admins and owners see all of the organization's; agents see "
        "those assigned to them."
    )
    async def conversations(
        self,
        info: strawberry.Info[Context, None],
        filter: Annotated[
            ConversationFilter | None, strawberry.argument(description="Optional filters.")
        ] = None,
        first: FirstArgument = None,
        after: AfterArgument = None,
        last: LastArgument = None,
        before: BeforeArgument = None,
    ) -> Connection[Conversation]:
        now = info.context.services.clock.now()
        page = await info.context.services.conversations.page(
            info.context.actor,
            (filter or ConversationFilter()).to_domain(),
            PageRequest(first, after, last, before),
            now,
        )
        return Connection.of(page, lambda item: Conversation.from_item(item, now))

    @strawberry.field(
        description="The inbox in numbers for a period (metric definitions are on the fields)."
    )
    async def conversation_stats(
        self,
        info: strawberry.Info[Context, None],
        since: Annotated[datetime, strawberry.argument(description="Start of the period.")],
        until: Annotated[
            datetime | None,
            strawberry.argument(description="End of the period (excluded); now if null."),
        ] = None,
    ) -> ConversationStats:
        stats = await info.context.services.conversations.stats(info.context.actor, since, until)
        return ConversationStats.from_domain(stats)

    @strawberry.field(description="A conversation's internal notes, oldest first.")
    async def conversation_notes(
        self,
        info: strawberry.Info[Context, None],
        conversation_id: Annotated[
            strawberry.ID, strawberry.argument(description="The conversation.")
        ],
    ) -> list[ConversationNote]:
        notes = await info.context.services.conversation_actions.notes(
            info.context.actor, parse_uuid(conversation_id)
        )
        return [ConversationNote.from_domain(note) for note in notes]

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
        after: AfterArgument = None,
        last: Annotated[
            int | None, strawberry.argument(description="Page size backwards, 1 to 100.")
        ] = None,
        before: Annotated[
            str | None, strawberry.argument(description="The `startCursor` of the next page.")
        ] = None,
    ) -> Connection[Message]:
        page = await info.context.services.conversations.messages(
            info.context.actor,
            parse_uuid(conversation_id),
            PageRequest(first=first, after=after, last=last, before=before),
        )
        return Connection.of(page, Message.from_view)


async def find_conversation(
    info: strawberry.Info[Context, None], conversation_id: UUID
) -> Conversation | None:
    item = await info.context.services.conversations.conversation(
        info.context.actor, conversation_id
    )
    if item is None:
        return None
    return Conversation.from_item(item, info.context.services.clock.now())

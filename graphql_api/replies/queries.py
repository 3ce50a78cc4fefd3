"""Canned responses and reply suggestions."""

from __future__ import annotations

from typing import Annotated

import strawberry

from graphql_api.context import Context
from graphql_api.ids import parse_uuid
from graphql_api.replies.types import CannedResponse, ReplySuggestion


@strawberry.type
class RepliesQueries:
    @strawberry.field(description="The team's canned responses, by shortcut; any member.")
    async def canned_responses(self, info: strawberry.Info[Context, None]) -> list[CannedResponse]:
        found = await info.context.services.replies.canned_responses(info.context.actor)
        return [CannedResponse.from_domain(canned) for canned in found]

    @strawberry.field(
        description="What an agent might answer the customer's latest text, best first: inside "
        "the 24-hour window the team's canned responses and agents' past replies to similar "
        "texts; outside it approved templates. Ranked on this server (BM25); empty when the "
        "customer has written no text or nothing matches. Anyone who sees the conversation."
    )
    async def reply_suggestions(
        self,
        info: strawberry.Info[Context, None],
        conversation_id: Annotated[
            strawberry.ID, strawberry.argument(description="The conversation.")
        ],
        first: Annotated[int, strawberry.argument(description="How many, 1 to 10.")] = 3,
    ) -> list[ReplySuggestion]:
        found = await info.context.services.replies.suggestions(
            info.context.actor, parse_uuid(conversation_id, "conversationId"), first
        )
        return [ReplySuggestion.from_domain(suggestion) for suggestion in found]

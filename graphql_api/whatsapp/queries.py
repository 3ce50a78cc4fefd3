"""WhatsApp channel queries."""

from __future__ import annotations

import strawberry

from graphql_api.context import Context
from graphql_api.whatsapp.types import WhatsAppNumber


@strawberry.type
class WhatsAppQueries:
    @strawberry.field(
        description="The organization's connected WhatsApp numbers, oldest first. A plain list: "
        "Meta caps a business at 20 registered numbers."
    )
    async def whatsapp_numbers(self, info: strawberry.Info[Context, None]) -> list[WhatsAppNumber]:
        numbers = await info.context.services.numbers.list(info.context.actor)
        return [WhatsAppNumber.from_domain(number) for number in numbers]

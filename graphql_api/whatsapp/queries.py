"""WhatsApp channel queries."""

from __future__ import annotations

from typing import Annotated

import strawberry

from domain.errors import NotFound
from domain.whatsapp.model import WEBHOOK_PATH
from domain.whatsapp.templates import TemplateFilter
from graphql_api.context import Context
from graphql_api.ids import parse_uuid
from graphql_api.whatsapp.inputs import WhatsAppTemplateFilter
from graphql_api.whatsapp.types import WhatsAppNumber, WhatsAppNumberCheck, WhatsAppTemplate


@strawberry.type
class WhatsAppQueries:
    @strawberry.field(
        description="The organization's connected WhatsApp numbers, oldest first. A plain list: "
        "Meta caps a business at 20 registered numbers."
    )
    async def whatsapp_numbers(self, info: strawberry.Info[Context, None]) -> list[WhatsAppNumber]:
        numbers = await info.context.services.numbers.list(info.context.actor)
        return [WhatsAppNumber.from_domain(number) for number in numbers]

    @strawberry.field(
        description="A connectivity test of a number (owners and admins): its access token "
        "against the Graph API, an app subscribed to its WhatsApp account's webhooks, and the "
        "app secret and verify token its webhooks need; each with a sentence saying what is "
        "wrong. Changes nothing. Null when there is no such number."
    )
    async def whatsapp_number_check(
        self,
        info: strawberry.Info[Context, None],
        id: Annotated[strawberry.ID, strawberry.argument(description="The number.")],
    ) -> WhatsAppNumberCheck | None:
        base = info.context.services.public_url or str(info.context.request.base_url)
        try:
            checks = await info.context.services.numbers.check(
                info.context.actor, parse_uuid(id), base.rstrip("/") + WEBHOOK_PATH
            )
        except NotFound:
            return None
        return WhatsAppNumberCheck.from_domain(checks)

    @strawberry.field(
        description="The organization's message templates, by name then language, as last "
        "synchronized (whatsappTemplateSync) or created through PyTake. A plain list: Meta caps "
        "a WABA at 6,000 templates, and filters keep it short."
    )
    async def whatsapp_templates(
        self,
        info: strawberry.Info[Context, None],
        filter: Annotated[
            WhatsAppTemplateFilter | None, strawberry.argument(description="Optional filters.")
        ] = None,
    ) -> list[WhatsAppTemplate]:
        wanted = filter or WhatsAppTemplateFilter()
        found = await info.context.services.templates.search(
            info.context.actor,
            TemplateFilter(wanted.status, wanted.category, wanted.language, wanted.search),
        )
        return [WhatsAppTemplate.from_domain(template) for template in found]

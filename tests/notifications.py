"""Making notifications happen through the API, and reading them back."""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import select

from domain.accounts.model import Actor
from domain.ingestion.ingest import InboundService
from domain.whatsapp.numbers import NumberDetails
from persistence.models.conversations import ContactRow, ConversationRow
from tests.meta_payloads import PHONE_NUMBER_ID
from tests.support import GraphQLClient, RunningServer, Tenant, eventually
from tests.web.test_webhook_ingestion import text_message

NOTIFICATIONS = (
    "query($filter: NotificationFilterInput) { notifications(filter: $filter, first: 50) "
    "{ edges { node { id type category severity subject conversationId announced sound "
    "heldBecause readAt archivedAt } } } notificationUnreadCount }"
)
ASSIGN = (
    "mutation($id: ID!, $a: ID!) { conversationAssign(input: {id: $id, agentId: $a}) "
    "{ __typename } }"
)


async def with_number(server: RunningServer, tenant: Tenant) -> None:
    await server.runtime.services.numbers.create(
        Actor.of(tenant.owner, None), PHONE_NUMBER_ID, "1022", NumberDetails(access_token="t")
    )


async def customer_writes(server: RunningServer, wamid: str, sender: str) -> str:
    """A customer of the number writes; returns their conversation's id."""
    await InboundService(server.runtime.unit_of_work, server.runtime.clock).apply(
        text_message(wamid, sender=sender, at=int(time.time()))
    )
    async with server.runtime.database.engine.connect() as connection:
        return str(
            await connection.scalar(
                select(ConversationRow.id)
                .join(ContactRow, ContactRow.id == ConversationRow.contact_id)
                .where(ContactRow.wa_id == sender)
                .order_by(ConversationRow.updated_at.desc())
                .limit(1)
            )
        )


async def assign(client: GraphQLClient, token: str, conversation_id: str, agent_id: str) -> None:
    data = await client.data(ASSIGN, {"id": conversation_id, "a": agent_id}, token=token)
    assert data["conversationAssign"]["__typename"] == "ConversationChangeSuccess", data


async def notifications_of(
    client: GraphQLClient, token: str, **filter: Any
) -> tuple[list[dict[str, Any]], int]:
    """The person's notifications, newest first, and their unread count."""
    data = await client.data(NOTIFICATIONS, {"filter": filter or None}, token=token)
    return [edge["node"] for edge in data["notifications"]["edges"]], data[
        "notificationUnreadCount"
    ]


async def notified(client: GraphQLClient, token: str, count: int = 1) -> list[dict[str, Any]]:
    """Waits until the person has at least `count` notifications; returns them."""

    async def enough() -> list[dict[str, Any]] | None:
        found, _ = await notifications_of(client, token)
        return found if len(found) >= count else None

    return await eventually(enough, what=f"{count} notification(s)")

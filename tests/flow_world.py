"""Flows and queues answering customers for real, driven step by step: the Graph API simulator
plays the customer, the delivery processor and the workers run only when a test says, and time
is an injected clock."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from domain.accounts.model import Actor, Role, User
from domain.flows.model import FlowKind
from domain.flows.services import FlowDraft
from domain.queues.model import AgentStatus
from domain.queues.services import AgentChanges
from domain.whatsapp.templates import from_meta
from persistence.models.conversations import (
    ContactRow,
    ConversationRow,
    MessageRow,
    OutboundMessageRow,
)
from persistence.models.flows import FlowSessionRow, FlowSessionStepRow
from persistence.models.queues import QueueItemRow
from tests.flows import document
from tests.meta_payloads import WABA_ID
from tests.support import AdjustableClock, Channel, add_user, whatsapp_channel

Nodes = tuple[list[dict[str, Any]], list[dict[str, Any]]]
LOOPBACK = ["127.0.0.0/8"]


def meta_template(name: str, body: str, template_id: str) -> dict[str, Any]:
    return {
        "id": template_id,
        "name": name,
        "language": "en_US",
        "status": "APPROVED",
        "category": "UTILITY",
        "components": [{"type": "BODY", "text": body}],
    }


TEMPLATES = [
    meta_template("welcome_back", "Welcome back, {{1}}!", "900"),
    meta_template("order_update", "Your order {{1}} has shipped.", "901"),
]


@dataclass
class World:
    channel: Channel
    clock: AdjustableClock

    @property
    def runtime(self) -> Any:
        return self.channel.server.runtime

    @property
    def actor(self) -> Actor:
        return Actor.of(self.channel.tenant.owner, None)

    async def publish(
        self, name: str, kind: str, graph: Nodes, expiry_minutes: int = 10
    ) -> uuid.UUID:
        flows = self.runtime.services.flows
        draft = FlowDraft(
            name, FlowKind(kind), (self.channel.number.id,), expiry_minutes, document(*graph)
        )
        flow = await flows.create(self.actor, draft)
        await flows.publish(self.actor, flow.id)
        return uuid.UUID(str(flow.id))

    async def says(self, wa_id: str, **message: Any) -> None:
        """The customer's message, applied by the delivery processor (not running on its own
        in these tests, so that each step is taken when the test says)."""
        self.clock.advance(seconds=1)
        await self.channel.customer_says(wa_id, profile_name="Ana", **message)
        while await self.runtime.deliveries.run_once():
            pass

    async def score(self) -> int:
        """The signals worker's rounds until nothing is left to score; how many it scored."""
        scored = 0
        while found := await self.runtime.signals.run_once():
            scored += found
        return scored

    async def tick(self) -> None:
        timers = self.runtime.flow_timers
        while await timers.run_once():
            await timers.drain()

    async def replies(self, wa_id: str) -> list[str]:
        """What the business queued for this customer, oldest first."""
        async with self.runtime.database.engine.connect() as connection:
            result = await connection.execute(
                select(MessageRow.type, MessageRow.content)
                .join(OutboundMessageRow, OutboundMessageRow.message_id == MessageRow.id)
                .join(ConversationRow, ConversationRow.id == MessageRow.conversation_id)
                .join(ContactRow, ContactRow.id == ConversationRow.contact_id)
                .where(ContactRow.wa_id == wa_id)
                .order_by(OutboundMessageRow.id)
            )
            return [_text(kind, content) for kind, content in result.all()]

    async def sessions(self, wa_id: str) -> list[Any]:
        async with self.runtime.database.engine.connect() as connection:
            result = await connection.execute(
                select(FlowSessionRow)
                .join(ContactRow, ContactRow.id == FlowSessionRow.contact_id)
                .where(ContactRow.wa_id == wa_id)
                .order_by(FlowSessionRow.started_at)
            )
            return list(result.mappings())

    async def steps(self, session_id: uuid.UUID) -> list[Any]:
        async with self.runtime.database.engine.connect() as connection:
            result = await connection.execute(
                select(FlowSessionStepRow)
                .where(FlowSessionStepRow.session_id == session_id)
                .order_by(FlowSessionStepRow.sequence)
            )
            return list(result.mappings())

    async def conversation_id(self, wa_id: str) -> uuid.UUID:
        async with self.runtime.database.engine.connect() as connection:
            found = await connection.scalar(
                select(ConversationRow.id)
                .join(ContactRow, ContactRow.id == ConversationRow.contact_id)
                .where(ContactRow.wa_id == wa_id)
                .order_by(ConversationRow.created_at.desc())
                .limit(1)
            )
        assert found is not None
        return uuid.UUID(str(found))

    async def conversation(self, wa_id: str) -> Any:
        """The customer's latest conversation."""
        conversation_id = await self.conversation_id(wa_id)
        async with self.runtime.database.engine.connect() as connection:
            result = await connection.execute(
                select(ConversationRow).where(ConversationRow.id == conversation_id)
            )
            return result.mappings().one()

    async def items(self, wa_id: str) -> list[Any]:
        """The customer's queue items, oldest first."""
        async with self.runtime.database.engine.connect() as connection:
            result = await connection.execute(
                select(QueueItemRow)
                .join(ConversationRow, ConversationRow.id == QueueItemRow.conversation_id)
                .join(ContactRow, ContactRow.id == ConversationRow.contact_id)
                .where(ContactRow.wa_id == wa_id)
                .order_by(QueueItemRow.entered_at, QueueItemRow.id)
            )
            return list(result.mappings())

    async def distribute(self) -> Any:
        return await self.runtime.distribution.run_once()

    async def agent(self, capacity: int, *queue_ids: uuid.UUID, online: bool = True) -> User:
        """A new agent of the organization, serving these queues."""
        channel = self.channel
        user, _ = await add_user(channel.server, channel.client, channel.tenant, Role.AGENT)
        queues = self.runtime.services.queues
        await queues.update_agent(
            self.actor, user.id, AgentChanges(capacity=capacity, queue_ids=queue_ids)
        )
        if online:
            await queues.set_status(self.actor, user.id, AgentStatus.ONLINE)
        return user


def _text(kind: str, content: dict[str, Any]) -> str:
    if kind == "template":
        return str(content["text"])
    return str(content.get("body"))


async def store_templates(channel: Channel) -> None:
    channel.simulator.state.templates[WABA_ID] = [dict(t) for t in TEMPLATES]
    runtime = channel.server.runtime
    async with runtime.unit_of_work(channel.tenant.organization_id) as uow:
        for template in TEMPLATES:
            await uow.templates.save(
                from_meta(channel.tenant.organization_id, WABA_ID, template, datetime.now(UTC))
            )
        await uow.commit()


@asynccontextmanager
async def flow_world(database_url: str, **settings: Any) -> AsyncIterator[World]:
    clock = AdjustableClock()
    values: dict[str, Any] = {"run_workers_in_process": False, **settings}
    async with whatsapp_channel(database_url, clock=clock, **values) as channel:
        await store_templates(channel)
        yield World(channel, clock)

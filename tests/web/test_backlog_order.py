"""Two processors share a shuffled webhook backlog, on PostgreSQL and SQLite: every
conversation still receives its messages in the order the customer sent them (Meta's
timestamps), whichever process applies them and however the deliveries were stored."""

from __future__ import annotations

import asyncio
import json
import random
import time
from collections import defaultdict
from typing import Any

from sqlalchemy import func, select

from domain.accounts.model import Actor
from domain.ingestion.ingest import DeliveryOutcome, InboundService
from domain.whatsapp.inbound import Signer, conversation_keys
from domain.whatsapp.numbers import NumberDetails
from persistence.database import Database
from persistence.models.conversations import ConversationRow
from persistence.models.events import EventRow
from persistence.models.ingestion import WebhookBacklogKeyRow, WebhookDeliveryRow
from persistence.repositories.webhooks import claim_deliveries, finish_deliveries, store_delivery
from tests.meta_payloads import PHONE_NUMBER_ID, WABA_ID
from tests.support import make_settings
from tests.web.test_webhook_ingestion import text_message
from web.app import Runtime, build_runtime
from web.whatsapp.processor import LEASE, DeliveryProcessor

CUSTOMERS = 6
MESSAGES_EACH = 12
BATCH = 4
"""Far fewer deliveries per claim than the backlog holds, so the two share it."""


async def acknowledge(runtime: Runtime, payload: dict[str, Any]) -> None:
    """Stores a delivery as the webhook does, with the conversations it holds."""
    await store_delivery(
        runtime.database,
        json.dumps(payload),
        runtime.clock.now(),
        conversation_keys=conversation_keys(payload),
    )


async def pending(database: Database) -> int:
    async with database.session() as session:
        return int(
            await session.scalar(
                select(func.count())
                .select_from(WebhookDeliveryRow)
                .where(WebhookDeliveryRow.status != "processed")
            )
            or 0
        )


async def test_two_processors_apply_a_shuffled_backlog_in_each_conversations_order(
    database: Database,
) -> None:
    settings = make_settings(
        database.url.render_as_string(hide_password=False), run_workers_in_process=False
    )
    async with (
        build_runtime(settings).started() as first,
        build_runtime(settings).started() as second,
    ):
        owner = await first.services.accounts.bootstrap_admin(
            "Busy Co", "owner@busy.example", "Owner", "correct horse battery staple"
        )
        assert owner is not None
        await first.services.numbers.create(
            Actor.of(owner, None), PHONE_NUMBER_ID, WABA_ID, NumberDetails(access_token="t")
        )
        sent_from = int(time.time()) - 3600
        payloads = [
            text_message(
                f"wamid.C{customer}.{n:02d}", sender=f"5511{customer:07d}", at=sent_from + n
            )
            for customer in range(CUSTOMERS)
            for n in range(MESSAGES_EACH)
        ]
        random.Random(15).shuffle(payloads)
        for payload in payloads:
            await acknowledge(first, payload)

        applied = [0, 0]
        first_claimed, second_applied = asyncio.Event(), asyncio.Event()

        class HoldingFirstClaim(InboundService):
            """Holds its first claim until the other processor has applied one of its own,
            so the two certainly share the backlog, whatever the scheduling."""

            async def apply_many(
                self, deliveries: list[tuple[dict[str, Any], Signer]]
            ) -> list[DeliveryOutcome]:
                first_claimed.set()
                await second_applied.wait()
                return await super().apply_many(deliveries)

        async def work(index: int, processor: DeliveryProcessor) -> None:
            if index == 1:
                await first_claimed.wait()
            while await pending(first.database):
                applied[index] += await processor.run_once()
                if index == 1:
                    second_applied.set()
                await asyncio.sleep(0)

        processors = [
            DeliveryProcessor(
                runtime.database,
                inbound(runtime.unit_of_work, runtime.clock),
                runtime.clock,
                batch_size=BATCH,
            )
            for runtime, inbound in ((first, HoldingFirstClaim), (second, InboundService))
        ]
        await asyncio.wait_for(
            asyncio.gather(*(work(index, p) for index, p in enumerate(processors))), timeout=60
        )

        async with first.database.session() as session:
            received = list(
                await session.scalars(
                    select(EventRow.payload)
                    .where(EventRow.type == "message.received")
                    .order_by(EventRow.sequence)
                )
            )
            unread = list(await session.scalars(select(ConversationRow.unread_count)))
            backlog_keys = await session.scalar(
                select(func.count()).select_from(WebhookBacklogKeyRow)
            )

    assert all(applied), f"the processors did not share the backlog: {applied}"
    assert sum(applied) == CUSTOMERS * MESSAGES_EACH
    order: dict[str, list[str]] = defaultdict(list)
    for payload in received:
        customer, n = payload["wamid"].removeprefix("wamid.").split(".")
        order[customer].append(n)
    assert len(order) == CUSTOMERS
    for customer, numbers in order.items():
        assert numbers == sorted(numbers), f"{customer} received {numbers}"
        assert len(numbers) == MESSAGES_EACH
    assert unread == [MESSAGES_EACH] * CUSTOMERS
    assert backlog_keys == 0, "an applied delivery stayed in the backlog's index"


async def test_a_processor_held_back_by_another_asks_again_at_once_and_idles_when_done(
    database: Database,
) -> None:
    settings = make_settings(
        database.url.render_as_string(hide_password=False), run_workers_in_process=False
    )
    async with build_runtime(settings).started() as runtime:
        earlier, later = (text_message(f"wamid.HELD.{n}", at=1749416383 + n) for n in range(2))
        for payload in (earlier, later):
            await acknowledge(runtime, payload)
        # Another process claims the conversation's backlog and is still applying it.
        elsewhere = await claim_deliveries(runtime.database, 1, runtime.clock.now(), LEASE)
        stored_meanwhile = text_message("wamid.HELD.2", at=1749416390)
        await acknowledge(runtime, stored_meanwhile)
        processor = DeliveryProcessor(
            runtime.database,
            InboundService(runtime.unit_of_work, runtime.clock),
            runtime.clock,
        )

        held_back = await processor.round()
        await finish_deliveries(
            runtime.database, {d.id: {} for d in elsewhere}, runtime.clock.now()
        )
        applied = await processor.round()
        idle = await processor.round()

    assert len(elsewhere) == 2, "the claim did not take the conversation's whole backlog"
    assert held_back, "a processor held back waits for the next poll instead of asking again"
    assert applied
    assert not idle

"""Two processors share a shuffled webhook backlog, on PostgreSQL and SQLite: every
conversation still receives its messages in the order the customer sent them (Meta's
timestamps), whichever process applies them and however the deliveries were stored."""

from __future__ import annotations

import asyncio
import json
import random
import time
from collections import defaultdict

from sqlalchemy import func, select

from domain.accounts.model import Actor
from domain.ingestion.ingest import InboundService
from domain.whatsapp.inbound import conversation_keys
from domain.whatsapp.numbers import NumberDetails
from persistence.database import Database
from persistence.models.conversations import ConversationRow
from persistence.models.events import EventRow
from persistence.models.ingestion import WebhookBacklogKeyRow, WebhookDeliveryRow
from persistence.repositories.webhooks import store_delivery
from tests.meta_payloads import PHONE_NUMBER_ID, WABA_ID
from tests.support import make_settings
from tests.web.test_webhook_ingestion import text_message
from web.app import build_runtime
from web.whatsapp.processor import DeliveryProcessor

CUSTOMERS = 6
MESSAGES_EACH = 12
BATCH = 4
"""Far fewer deliveries per claim than the backlog holds, so the two share it."""


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
            await store_delivery(
                first.database,
                json.dumps(payload),
                first.clock.now(),
                conversation_keys=conversation_keys(payload),
            )

        applied = [0, 0]

        async def work(index: int, processor: DeliveryProcessor) -> None:
            while await pending(first.database):
                applied[index] += await processor.run_once()
                await asyncio.sleep(0)

        await asyncio.wait_for(
            asyncio.gather(
                *(
                    work(
                        index,
                        DeliveryProcessor(
                            runtime.database,
                            InboundService(runtime.unit_of_work, runtime.clock),
                            runtime.clock,
                            batch_size=BATCH,
                        ),
                    )
                    for index, runtime in enumerate((first, second))
                )
            ),
            timeout=60,
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

    assert all(applied), f"one processor applied the whole backlog: {applied}"
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

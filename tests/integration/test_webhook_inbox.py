"""The webhook inbox: claims under a lease, retries after a backoff, retention of processed
bodies only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from persistence.database import Database
from persistence.maintenance import purge_expired
from persistence.models.ingestion import WebhookDeliveryRow
from persistence.repositories.webhooks import (
    claim_deliveries,
    finish_deliveries,
    retry_delivery_later,
    store_delivery,
)

LEASE = timedelta(seconds=60)


async def statuses(database: Database) -> dict[int, str]:
    async with database.session() as session:
        rows = await session.scalars(select(WebhookDeliveryRow))
        return {row.id: row.status for row in rows}


async def test_a_claimed_delivery_is_not_claimed_again_until_its_lease_expires(
    database: Database,
) -> None:
    now = datetime.now(UTC)
    first = await store_delivery(database, '{"n": 1}', now)
    second = await store_delivery(database, '{"n": 2}', now)

    claimed = await claim_deliveries(database, 10, now, LEASE)
    again = await claim_deliveries(database, 10, now + timedelta(seconds=30), LEASE)
    after_lease = await claim_deliveries(database, 10, now + timedelta(seconds=61), LEASE)

    assert [d.id for d in claimed] == [first, second]
    assert [d.body for d in claimed] == ['{"n": 1}', '{"n": 2}']
    assert again == []
    assert [(d.id, d.attempts) for d in after_lease] == [(first, 2), (second, 2)]


async def test_a_retried_delivery_waits_for_its_backoff_and_gives_up_when_told(
    database: Database,
) -> None:
    now = datetime.now(UTC)
    retried = await store_delivery(database, "{}", now)
    abandoned = await store_delivery(database, "{}", now)
    await claim_deliveries(database, 10, now, LEASE)

    await retry_delivery_later(database, retried, "boom", now + timedelta(seconds=5))
    await retry_delivery_later(database, abandoned, "boom", None)

    assert await claim_deliveries(database, 10, now + timedelta(seconds=1), LEASE) == []
    due = await claim_deliveries(database, 10, now + timedelta(seconds=6), LEASE)
    assert [d.id for d in due] == [retried]
    assert (await statuses(database))[abandoned] == "failed"


async def test_retention_purges_processed_bodies_only(database: Database) -> None:
    old = datetime.now(UTC) - timedelta(days=40)
    processed = await store_delivery(database, "{}", old)
    pending = await store_delivery(database, "{}", old)
    await claim_deliveries(database, 1, datetime.now(UTC), LEASE)
    await finish_deliveries(database, {processed: {"messagesStored": 0}}, datetime.now(UTC))

    await purge_expired(
        database,
        events_before=old,
        attempts_before=old,
        deliveries_before=datetime.now(UTC) - timedelta(days=30),
    )

    assert await statuses(database) == {pending: "pending"}

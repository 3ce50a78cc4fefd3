"""The webhook inbox: claims under a lease, whole conversations at a time, retries after a
backoff, retention of processed bodies only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from persistence.database import Database
from persistence.maintenance import purge_expired
from persistence.models.ingestion import WebhookBacklogKeyRow, WebhookDeliveryRow
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


async def test_a_claim_takes_a_conversations_whole_backlog_and_leaves_one_being_applied(
    database: Database,
) -> None:
    now = datetime.now(UTC)
    ana_first = await store_delivery(database, "{}", now, conversation_keys=frozenset({"n ana"}))
    bia = await store_delivery(database, "{}", now, conversation_keys=frozenset({"n bia"}))
    statuses_only = await store_delivery(database, "{}", now)
    # One delivery can hold messages of several customers: it joins their backlogs.
    ana_and_caio = await store_delivery(
        database, "{}", now, conversation_keys=frozenset({"n ana", "n caio"})
    )
    caio = await store_delivery(database, "{}", now, conversation_keys=frozenset({"n caio"}))

    first = await claim_deliveries(database, 1, now, LEASE)
    while_ana_is_applied = await claim_deliveries(database, 10, now, LEASE)
    late_for_ana = await store_delivery(database, "{}", now, conversation_keys=frozenset({"n ana"}))
    still_held = await claim_deliveries(database, 10, now, LEASE)
    await finish_deliveries(database, {d.id: {} for d in first}, now)
    after = await claim_deliveries(database, 10, now, LEASE)

    assert [d.id for d in first] == [ana_first, ana_and_caio, caio]
    assert [d.id for d in while_ana_is_applied] == [bia, statuses_only]
    assert still_held == []
    assert [d.id for d in after] == [late_for_ana]
    async with database.session() as session:
        remaining = set(await session.scalars(select(WebhookBacklogKeyRow.delivery_id)))
    assert remaining == {bia, late_for_ana}, "an applied delivery's keys outlived it"


async def test_a_claim_holds_a_bounded_size_of_bodies_but_always_one(database: Database) -> None:
    now = datetime.now(UTC)
    body = "x" * 1000
    ids = [await store_delivery(database, body, now) for _ in range(5)]

    first = await claim_deliveries(database, 10, now, LEASE, max_characters=2500)
    second = await claim_deliveries(database, 10, now, LEASE, max_characters=500)

    assert [d.id for d in first] == ids[:2]
    assert [d.id for d in second] == ids[2:3], "a body over the bound is still claimed alone"

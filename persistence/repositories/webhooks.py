"""The webhook inbox: the acknowledgement path writes one row and nothing else."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Table,
    and_,
    bindparam,
    delete,
    exists,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from domain.whatsapp.inbound import INSTALLATION, Signer
from persistence.database import Database, outages_as_unavailable
from persistence.dialects import ChildInsert, RowInsert
from persistence.models.ingestion import WebhookBacklogKeyRow, WebhookDeliveryRow

DELIVERIES = cast(Table, WebhookDeliveryRow.__table__)
BACKLOG_KEYS = cast(Table, WebhookBacklogKeyRow.__table__)
PENDING = "pending"
PROCESSING = "processing"
PROCESSED = "processed"
FAILED = "failed"

# Built once: a statement assembled per request spends more CPU on its cache key than on I/O.
INSERT_DELIVERY = (
    insert(DELIVERIES)
    .values(
        body=bindparam("body"),
        received_at=bindparam("received_at"),
        signer_numbers=bindparam("signer_numbers"),
        status=PENDING,
        attempts=0,
    )
    .returning(DELIVERIES.c.id)
)
RAW_INSERT_DELIVERY = (
    "INSERT INTO webhook_deliveries (body, received_at, signer_numbers, status, attempts) "
    "VALUES ($1, $2, $3::jsonb, 'pending', 0) RETURNING id"
)
INSERT_BACKLOG_KEY = insert(BACKLOG_KEYS)
RAW_INSERT_DELIVERY_WITH_KEYS = (
    "WITH delivery AS (INSERT INTO webhook_deliveries "
    "(body, received_at, signer_numbers, status, attempts) "
    "VALUES ($1, $2, $3::jsonb, 'pending', 0) RETURNING id), "
    "keys AS (INSERT INTO webhook_backlog_keys (conversation_key, delivery_id) "
    "SELECT key, delivery.id FROM delivery, unnest($4::text[]) AS key) "
    "SELECT id FROM delivery"
)


async def store_delivery(
    database: Database,
    body: str,
    received_at: datetime,
    signer_numbers: frozenset[str] | None = None,
    conversation_keys: frozenset[str] = frozenset(),
) -> int:
    """Commit the raw body, who signed it (None: the installation's secret) and the
    conversations its messages belong to; only after this returns may the webhook be
    acknowledged. On PostgreSQL it is one statement in autocommit: no BEGIN and COMMIT round
    trips on the path Meta times."""
    signers = None if signer_numbers is None else sorted(signer_numbers)
    keys = sorted(conversation_keys)
    raw_signers = None if signers is None else json.dumps(signers)
    row = RowInsert(
        INSERT_DELIVERY,
        {"body": body, "received_at": received_at, "signer_numbers": signers},
        RAW_INSERT_DELIVERY_WITH_KEYS if keys else RAW_INSERT_DELIVERY,
        (body, received_at, raw_signers, keys) if keys else (body, received_at, raw_signers),
    )
    children = (
        ChildInsert(INSERT_BACKLOG_KEY, [{"conversation_key": key} for key in keys], "delivery_id")
        if keys
        else None
    )
    with outages_as_unavailable():
        # The hottest statement of the system: on PostgreSQL it goes straight to asyncpg.
        return await database.components.insert_returning_id(database.engines, row, children)


@dataclass(frozen=True)
class ClaimedDelivery:
    id: int
    body: str
    attempts: int
    signer: Signer


CLAIMS_LOCK = "webhook deliveries: claims"
MAX_CLAIMED_CHARACTERS = 4 * 1024 * 1024
"""Bodies reach 4 MiB each, and Meta batches up to 1,000 updates in one: a claim is bounded by
their size, not their number. 4 MiB holds a thousand ordinary deliveries, and at most about
28,000 of the smallest messages or statuses, which keeps every IN list of a batch under both
databases' limit of 32,766 parameters per statement."""


def _due(now: datetime) -> ColumnElement[bool]:
    return or_(
        and_(
            DELIVERIES.c.status == PENDING,
            or_(DELIVERIES.c.not_before.is_(None), DELIVERIES.c.not_before <= now),
        ),
        and_(DELIVERIES.c.status == PROCESSING, DELIVERIES.c.not_before <= now),
    )


def _in_a_conversation_being_applied(now: datetime) -> ColumnElement[bool]:
    """The delivery shares a conversation with one that a live claim holds."""
    own, shared = BACKLOG_KEYS.alias("own_keys"), BACKLOG_KEYS.alias("shared_keys")
    held = DELIVERIES.alias("held")
    return (
        select(own.c.delivery_id)
        .join(shared, shared.c.conversation_key == own.c.conversation_key)
        .join(held, held.c.id == shared.c.delivery_id)
        .where(
            own.c.delivery_id == DELIVERIES.c.id,
            held.c.status == PROCESSING,
            held.c.not_before > now,
        )
        .exists()
    )


async def claim_deliveries(
    database: Database,
    limit: int,
    now: datetime,
    lease: timedelta,
    max_characters: int = MAX_CLAIMED_CHARACTERS,
) -> list[ClaimedDelivery]:
    """Take up to `limit` deliveries that are due, for `lease`, holding `max_characters` of
    bodies at most unless the first alone holds more, with the rest of the due
    backlog of every conversation they hold messages for, so that a conversation's messages
    are applied together, in their own order, by one process at a time. A conversation another
    process is applying now is left alone until it is done.

    Claims run one at a time across processes (a transaction-scoped lock, held for a few
    statements), so two never split a conversation between them."""
    with outages_as_unavailable():
        async with database.session() as session, session.begin():
            await database.components.lock_names(session, [CLAIMS_LOCK])
            candidates = await session.execute(
                select(DELIVERIES.c.id, func.length(DELIVERIES.c.body))
                .where(_due(now), ~_in_a_conversation_being_applied(now))
                .order_by(DELIVERIES.c.id)
                .limit(limit)
                .with_for_update(skip_locked=True)
            )
            taken: set[int] = set()
            size = 0
            for delivery_id, length in candidates:
                size += length
                if taken and size > max_characters:
                    break
                taken.add(delivery_id)
            claimed_ids = await _with_whole_conversations(session, taken, now)
            if not claimed_ids:
                return []
            result = await session.execute(
                update(DELIVERIES)
                .where(DELIVERIES.c.id.in_(sorted(claimed_ids)))
                .values(
                    status=PROCESSING,
                    not_before=now + lease,
                    attempts=DELIVERIES.c.attempts + 1,
                )
                .returning(
                    DELIVERIES.c.id,
                    DELIVERIES.c.body,
                    DELIVERIES.c.attempts,
                    DELIVERIES.c.signer_numbers,
                )
            )
            rows = result.all()
    return sorted(
        (
            ClaimedDelivery(
                int(row.id), str(row.body), int(row.attempts), _signer(row.signer_numbers)
            )
            for row in rows
        ),
        key=lambda claimed: claimed.id,
    )


async def deliveries_due(database: Database, now: datetime) -> bool:
    with outages_as_unavailable():
        async with database.autocommit_engine.connect() as connection:
            return bool(await connection.scalar(select(exists().where(_due(now)))))


async def _with_whole_conversations(
    session: AsyncSession, claimed: set[int], now: datetime
) -> set[int]:
    """`claimed` grown by every due delivery that shares a conversation with it, then shrunk
    by every conversation that another process's live claim holds (and by the conversations
    the deliveries dropped with it share, so that none is split)."""
    keys_of: dict[int, set[str]] = defaultdict(set)
    seen_keys: set[str] = set()
    busy_keys: set[str] = set()
    unread = set(claimed)
    while unread:
        for delivery_id, key in await session.execute(
            select(BACKLOG_KEYS.c.delivery_id, BACKLOG_KEYS.c.conversation_key).where(
                BACKLOG_KEYS.c.delivery_id.in_(sorted(unread))
            )
        ):
            keys_of[delivery_id].add(key)
        new_keys = set().union(*(keys_of[delivery_id] for delivery_id in unread)) - seen_keys
        unread = set()
        seen_keys |= new_keys
        if not new_keys:
            break
        sharing = await session.execute(
            select(
                BACKLOG_KEYS.c.conversation_key,
                DELIVERIES.c.id,
                _due(now).label("due"),
                (DELIVERIES.c.status == PROCESSING).label("leased"),
            )
            .join(DELIVERIES, DELIVERIES.c.id == BACKLOG_KEYS.c.delivery_id)
            .where(
                BACKLOG_KEYS.c.conversation_key.in_(sorted(new_keys)),
                DELIVERIES.c.status.in_((PENDING, PROCESSING)),
            )
        )
        for key, delivery_id, due, leased in sharing:
            if delivery_id in claimed:
                continue
            if due:
                claimed.add(delivery_id)
                unread.add(delivery_id)
            elif leased:
                busy_keys.add(key)
            # A delivery pending a retry's backoff is not waited for: one poisoned message
            # must not hold its conversation back for the hours its retries can take.
    while dropped := {d for d in claimed if keys_of[d] & busy_keys}:
        claimed -= dropped
        for delivery_id in dropped:
            busy_keys |= keys_of[delivery_id]
    return claimed


def _signer(signer_numbers: list[str] | None) -> Signer:
    return INSTALLATION if signer_numbers is None else Signer(frozenset(signer_numbers))


async def finish_deliveries(
    database: Database, notes_by_id: dict[int, dict[str, Any]], now: datetime
) -> None:
    """Mark deliveries applied, with what each did, and take them out of the backlog. Most of
    a batch did the same (one message stored, one status recorded): one UPDATE per distinct
    note rather than one per delivery."""
    by_note: dict[str, tuple[dict[str, Any], list[int]]] = {}
    for delivery_id, notes in notes_by_id.items():
        by_note.setdefault(json.dumps(notes, sort_keys=True), (notes, []))[1].append(delivery_id)
    with outages_as_unavailable():
        async with database.engine.begin() as connection:
            for notes, delivery_ids in by_note.values():
                await connection.execute(
                    update(DELIVERIES)
                    .where(DELIVERIES.c.id.in_(delivery_ids))
                    .values(
                        status=PROCESSED,
                        processed_at=now,
                        notes=notes,
                        not_before=None,
                        last_error=None,
                    )
                )
            await connection.execute(
                delete(BACKLOG_KEYS).where(BACKLOG_KEYS.c.delivery_id.in_(sorted(notes_by_id)))
            )


async def retry_delivery_later(
    database: Database, delivery_id: int, error: str, retry_at: datetime | None
) -> None:
    """Back to pending until `retry_at`; with no retry time left, failed for an operator and
    out of the backlog."""
    with outages_as_unavailable():
        async with database.engine.begin() as connection:
            await connection.execute(
                update(DELIVERIES)
                .where(DELIVERIES.c.id == delivery_id)
                .values(
                    status=PENDING if retry_at is not None else FAILED,
                    not_before=retry_at,
                    last_error=error[:4000],
                )
            )
            if retry_at is None:
                await connection.execute(
                    delete(BACKLOG_KEYS).where(BACKLOG_KEYS.c.delivery_id == delivery_id)
                )


async def release_deliveries(database: Database, delivery_ids: list[int]) -> None:
    """Hand back claims an outage interrupted: due at once, and the attempt not counted."""
    with outages_as_unavailable():
        async with database.engine.begin() as connection:
            await connection.execute(
                update(DELIVERIES)
                .where(DELIVERIES.c.id.in_(delivery_ids), DELIVERIES.c.status == PROCESSING)
                .values(status=PENDING, not_before=None, attempts=DELIVERIES.c.attempts - 1)
            )

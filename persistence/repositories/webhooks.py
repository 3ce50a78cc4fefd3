"""The webhook inbox: the acknowledgement path writes one row and nothing else."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, and_, bindparam, insert, or_, select, update

from domain.whatsapp.inbound import INSTALLATION, Signer
from persistence.database import Database, outages_as_unavailable
from persistence.models.ingestion import WebhookDeliveryRow

DELIVERIES = cast(Table, WebhookDeliveryRow.__table__)
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


async def store_delivery(
    database: Database,
    body: str,
    received_at: datetime,
    signer_numbers: frozenset[str] | None = None,
) -> int:
    """Commit the raw body and who signed it (None: the installation's secret); only after
    this returns may the webhook be acknowledged.

    One INSERT is atomic on its own: autocommit spares the BEGIN and COMMIT round trips on
    the path Meta times."""
    signers = None if signer_numbers is None else sorted(signer_numbers)
    with outages_as_unavailable():
        async with database.autocommit_engine.connect() as connection:
            # The hottest statement of the system: on PostgreSQL it goes straight to asyncpg.
            return await database.components.insert_returning_id(
                connection,
                INSERT_DELIVERY,
                {"body": body, "received_at": received_at, "signer_numbers": signers},
                RAW_INSERT_DELIVERY,
                (body, received_at, None if signers is None else json.dumps(signers)),
            )


@dataclass(frozen=True)
class ClaimedDelivery:
    id: int
    body: str
    attempts: int
    signer: Signer


async def claim_deliveries(
    database: Database, limit: int, now: datetime, lease: timedelta
) -> list[ClaimedDelivery]:
    """Take up to `limit` deliveries that are due, for `lease`. Several processes never hold
    the same one: PostgreSQL skips rows another claim has locked; SQLite has one writer."""
    due = select(DELIVERIES.c.id).where(
        or_(
            and_(
                DELIVERIES.c.status == PENDING,
                or_(DELIVERIES.c.not_before.is_(None), DELIVERIES.c.not_before <= now),
            ),
            and_(DELIVERIES.c.status == PROCESSING, DELIVERIES.c.not_before <= now),
        )
    )
    claimable = due.order_by(DELIVERIES.c.id).limit(limit).with_for_update(skip_locked=True)
    with outages_as_unavailable():
        async with database.engine.begin() as connection:
            result = await connection.execute(
                update(DELIVERIES)
                .where(DELIVERIES.c.id.in_(claimable.scalar_subquery()))
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
                int(row.id),
                str(row.body),
                int(row.attempts),
                INSTALLATION
                if row.signer_numbers is None
                else Signer(frozenset(row.signer_numbers)),
            )
            for row in rows
        ),
        key=lambda claimed: claimed.id,
    )


def _signer(signer_numbers: list[str] | None) -> Signer:
    return INSTALLATION if signer_numbers is None else Signer(frozenset(signer_numbers))


async def finish_deliveries(
    database: Database, notes_by_id: dict[int, dict[str, Any]], now: datetime
) -> None:
    with outages_as_unavailable():
        async with database.engine.begin() as connection:
            await connection.execute(
                update(DELIVERIES)
                .where(DELIVERIES.c.id == bindparam("delivery_id"))
                .values(
                    status=PROCESSED,
                    processed_at=now,
                    notes=bindparam("delivery_notes"),
                    not_before=None,
                    last_error=None,
                ),
                [
                    {"delivery_id": delivery_id, "delivery_notes": notes}
                    for delivery_id, notes in notes_by_id.items()
                ],
            )


async def retry_delivery_later(
    database: Database, delivery_id: int, error: str, retry_at: datetime | None
) -> None:
    """Back to pending until `retry_at`; with no retry time left, failed for an operator."""
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


async def release_deliveries(database: Database, delivery_ids: list[int]) -> None:
    """Hand back claims an outage interrupted: due at once, and the attempt not counted."""
    with outages_as_unavailable():
        async with database.engine.begin() as connection:
            await connection.execute(
                update(DELIVERIES)
                .where(DELIVERIES.c.id.in_(delivery_ids), DELIVERIES.c.status == PROCESSING)
                .values(status=PENDING, not_before=None, attempts=DELIVERIES.c.attempts - 1)
            )

"""The webhook inbox: the acknowledgement path writes one row and nothing else."""

from __future__ import annotations

from datetime import datetime
from typing import cast

from sqlalchemy import Table, insert

from persistence.database import Database, is_unreachable, unavailable
from persistence.models import WebhookDeliveryRow

DELIVERIES = cast(Table, WebhookDeliveryRow.__table__)
PENDING = "pending"
PROCESSED = "processed"
FAILED = "failed"


async def store_delivery(database: Database, body: str, received_at: datetime) -> int:
    """Commit the raw body; only after this returns may the webhook be acknowledged."""
    try:
        async with database.engine.begin() as connection:
            delivery_id = await connection.scalar(
                insert(DELIVERIES)
                .values(body=body, received_at=received_at, status=PENDING, attempts=0)
                .returning(DELIVERIES.c.id)
            )
    except Exception as error:
        if is_unreachable(error):
            raise unavailable(error) from error
        raise
    return int(delivery_id)

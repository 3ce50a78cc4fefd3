"""The push worker's side of Web Push: the installation's VAPID key, the pushes that are due,
and what became of each."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import Table, delete, select, update

from domain.notifications.model import Notification
from domain.notifications.push import PushSubscription
from persistence.claims import claim_due
from persistence.database import Database, outages_as_unavailable
from persistence.dialects import COMPONENTS
from persistence.models.accounts import OrganizationRow
from persistence.models.notifications import WebPushKeyRow
from persistence.repositories.notifications import (
    NOTIFICATIONS,
    PUSH_DELIVERIES,
    SUBSCRIPTIONS,
    notification_from_row,
    push_subscription,
)

KEYS = cast(Table, WebPushKeyRow.__table__)
ORGANIZATIONS = cast(Table, OrganizationRow.__table__)
INSTALLATION_KEY = 1


async def stored_vapid_key(database: Database, generate: Callable[[], str], now: datetime) -> str:
    """The installation's sealed VAPID private key; the first process to ask stores the one
    `generate` makes, and every later one (and every other process) reads that one."""
    with outages_as_unavailable():
        async with database.engine.begin() as connection:
            stored = await connection.scalar(
                select(KEYS.c.private_key).where(KEYS.c.id == INSTALLATION_KEY)
            )
            if stored is not None:
                return cast(str, stored)
            await connection.execute(
                COMPONENTS[connection.dialect.name]
                .insert(KEYS)
                .values(id=INSTALLATION_KEY, private_key=generate(), created_at=now)
                .on_conflict_do_nothing(index_elements=[KEYS.c.id])
            )
            return cast(
                str,
                await connection.scalar(
                    select(KEYS.c.private_key).where(KEYS.c.id == INSTALLATION_KEY)
                ),
            )


@dataclass(frozen=True)
class DuePush:
    delivery_id: uuid.UUID
    attempts: int
    """Failed tries so far."""
    notification: Notification
    organization_name: str
    subscription: PushSubscription


async def claim_due_pushes(
    database: Database, limit: int, now: datetime, lease: timedelta
) -> list[DuePush]:
    claimed = await claim_due(
        database, PUSH_DELIVERIES, "due_at", limit, now, lease, (PUSH_DELIVERIES.c.id,)
    )
    if not claimed:
        return []
    with outages_as_unavailable():
        async with database.autocommit_engine.connect() as connection:
            result = await connection.execute(
                select(
                    PUSH_DELIVERIES.c.id.label("delivery_id"),
                    PUSH_DELIVERIES.c.attempts,
                    ORGANIZATIONS.c.name.label("organization_name"),
                    *NOTIFICATIONS.c,
                    *[column.label(f"subscription_{column.name}") for column in SUBSCRIPTIONS.c],
                )
                .select_from(
                    PUSH_DELIVERIES.join(
                        NOTIFICATIONS, NOTIFICATIONS.c.id == PUSH_DELIVERIES.c.notification_id
                    )
                    .join(SUBSCRIPTIONS, SUBSCRIPTIONS.c.id == PUSH_DELIVERIES.c.subscription_id)
                    .join(ORGANIZATIONS, ORGANIZATIONS.c.id == NOTIFICATIONS.c.organization_id)
                )
                .where(PUSH_DELIVERIES.c.id.in_([row.id for row in claimed]))
            )
            rows = result.mappings().all()
    prefix = "subscription_"
    return [
        DuePush(
            delivery_id=row["delivery_id"],
            attempts=row["attempts"],
            notification=notification_from_row(row),
            organization_name=row["organization_name"],
            subscription=push_subscription(
                {key[len(prefix) :]: value for key, value in row.items() if key.startswith(prefix)}
            ),
        )
        for row in rows
    ]


async def pushes_delivered(database: Database, pushes: list[DuePush], at: datetime) -> None:
    if not pushes:
        return
    with outages_as_unavailable():
        async with database.engine.begin() as connection:
            await connection.execute(
                delete(PUSH_DELIVERIES).where(
                    PUSH_DELIVERIES.c.id.in_([push.delivery_id for push in pushes])
                )
            )
            await connection.execute(
                update(SUBSCRIPTIONS)
                .where(SUBSCRIPTIONS.c.id.in_(sorted({push.subscription.id for push in pushes})))
                .values(last_delivered_at=at)
            )


async def push_retried(database: Database, push: DuePush, at: datetime, error: str) -> None:
    with outages_as_unavailable():
        async with database.engine.begin() as connection:
            await connection.execute(
                update(PUSH_DELIVERIES)
                .where(PUSH_DELIVERIES.c.id == push.delivery_id)
                .values(attempts=push.attempts + 1, due_at=at, last_error=error[:1000])
            )


async def push_dropped(database: Database, push: DuePush) -> None:
    """Given up: the notification stays in the person's center."""
    with outages_as_unavailable():
        async with database.engine.begin() as connection:
            await connection.execute(
                delete(PUSH_DELIVERIES).where(PUSH_DELIVERIES.c.id == push.delivery_id)
            )


async def push_subscription_gone(database: Database, push: DuePush) -> None:
    """The push service no longer knows the browser: its subscription and queued pushes go."""
    with outages_as_unavailable():
        async with database.engine.begin() as connection:
            await connection.execute(
                delete(PUSH_DELIVERIES).where(
                    PUSH_DELIVERIES.c.subscription_id == push.subscription.id
                )
            )
            await connection.execute(
                delete(SUBSCRIPTIONS).where(SUBSCRIPTIONS.c.id == push.subscription.id)
            )

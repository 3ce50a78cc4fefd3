"""The outbox: tenant-scoped writes in the unit of work, and the platform-level claim the sender
worker makes across organizations."""

from __future__ import annotations

import math
import uuid
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import (
    Double,
    Table,
    and_,
    bindparam,
    exists,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from domain.conversations.model import ClaimedSend, OutboxItem, SendKind, SendStatus
from domain.conversations.outbox import OUTBOUND_SHARE
from persistence.database import Database, outages_as_unavailable
from persistence.dialects import COMPONENTS, QueryComponents
from persistence.models.conversations import OutboundMessageRow, SendPacingRow
from persistence.models.whatsapp import WhatsAppNumberRow

OUTBOX = cast(Table, OutboundMessageRow.__table__)
PACING = cast(Table, SendPacingRow.__table__)
NUMBERS = cast(Table, WhatsAppNumberRow.__table__)
PACE_AHEAD_SECONDS = 2.0
"""A claim takes at most this many seconds of a number's sends, so that what one process holds
is sent well within its lease and other processes share the rest."""
MAX_ERROR = 4000


MARK_SENT = (
    update(OUTBOX)
    .where(
        OUTBOX.c.id == bindparam("b_send_id"),
        OUTBOX.c.organization_id == bindparam("b_organization_id"),
    )
    .values(
        status=SendStatus.SENT.value,
        wamid=bindparam("b_wamid"),
        sent_at=bindparam("b_sent_at"),
        not_before=None,
    )
)


class SqlOutbox:
    def __init__(self, session: AsyncSession, organization_id: uuid.UUID) -> None:
        self._session = session
        self._organization_id = organization_id

    def _mine(self, send_id: int) -> Any:
        return and_(OUTBOX.c.id == send_id, OUTBOX.c.organization_id == self._organization_id)

    async def add(self, item: OutboxItem) -> None:
        if item.organization_id != self._organization_id:
            raise LookupError("an outbox row belongs to the unit of work's organization")
        await self._session.execute(
            insert(OUTBOX).values(
                organization_id=item.organization_id,
                number_id=item.number_id,
                message_id=item.message_id,
                recipient=item.recipient,
                kind=item.kind.value,
                payload=item.payload,
                status=SendStatus.QUEUED.value,
                attempts=0,
                not_before=None,
                deadline=item.deadline,
                created_at=item.created_at,
            )
        )

    async def mark_sent(self, sent: list[tuple[int, str | None]], at: datetime) -> None:
        if not sent:
            return
        await self._session.execute(
            MARK_SENT,
            [
                {
                    "b_send_id": send_id,
                    "b_organization_id": self._organization_id,
                    "b_wamid": wamid,
                    "b_sent_at": at,
                }
                for send_id, wamid in sent
            ],
        )

    async def retry_at(
        self,
        send_id: int,
        not_before: datetime | None,
        code: int | None,
        error: str,
        *,
        refund_attempt: bool,
    ) -> None:
        values: dict[str, Any] = {
            "status": SendStatus.QUEUED.value,
            "not_before": not_before,
            "error_code": code,
            "error": error[:MAX_ERROR],
        }
        if refund_attempt:
            values["attempts"] = OUTBOX.c.attempts - 1
        await self._session.execute(update(OUTBOX).where(self._mine(send_id)).values(**values))

    async def fail(self, send_id: int, code: int | None, error: str) -> None:
        await self._session.execute(
            update(OUTBOX)
            .where(self._mine(send_id))
            .values(
                status=SendStatus.FAILED.value,
                error_code=code,
                error=error[:MAX_ERROR],
                not_before=None,
            )
        )


_EARLIER = OUTBOX.alias("earlier")
# A recipient's sends go one at a time, in order: a later message never overtakes an earlier
# one that is being sent or waiting for a retry.
_WAITS_FOR_EARLIER = exists().where(
    _EARLIER.c.number_id == OUTBOX.c.number_id,
    _EARLIER.c.recipient == OUTBOX.c.recipient,
    _EARLIER.c.status.in_((SendStatus.QUEUED.value, SendStatus.SENDING.value)),
    _EARLIER.c.id < OUTBOX.c.id,
)


def _claimable(now: datetime) -> Any:
    queued = OUTBOX.c.status == SendStatus.QUEUED.value
    sendable = and_(
        queued,
        or_(OUTBOX.c.not_before.is_(None), OUTBOX.c.not_before <= now),
        NUMBERS.c.healthy.is_(True),
        NUMBERS.c.deleted_at.is_(None),
        ~_WAITS_FOR_EARLIER,
    )
    # Rows that will never go are claimed too, so that the sender fails them visibly.
    doomed = and_(queued, or_(OUTBOX.c.deadline <= now, NUMBERS.c.deleted_at.is_not(None)))
    abandoned = and_(OUTBOX.c.status == SendStatus.SENDING.value, OUTBOX.c.not_before <= now)
    return (
        select(
            OUTBOX.c.id,
            OUTBOX.c.organization_id,
            OUTBOX.c.number_id,
            OUTBOX.c.message_id,
            OUTBOX.c.kind,
            OUTBOX.c.payload,
            OUTBOX.c.status,
            OUTBOX.c.attempts,
            OUTBOX.c.deadline,
            NUMBERS.c.phone_number_id,
            NUMBERS.c.access_token_sealed,
            NUMBERS.c.messages_per_second,
            NUMBERS.c.deleted_at,
        )
        .join(NUMBERS, NUMBERS.c.id == OUTBOX.c.number_id)
        .where(or_(sendable, doomed, abandoned))
        .order_by(OUTBOX.c.id)
    )


def _reserve_slots(components: QueryComponents) -> Any:
    """Atomically move a number's next free slot past `count` sends; returns the new value.
    One statement, so two processes reserving at once queue on the row, never overlap."""
    now: Any = bindparam("now", type_=Double())
    span: Any = bindparam("span", type_=Double())
    statement = components.insert(PACING).values(
        number_id=bindparam("number_id"), next_slot=now + span
    )
    return statement.on_conflict_do_update(
        index_elements=[PACING.c.number_id],
        set_={"next_slot": components.greatest(PACING.c.next_slot, now) + span},
    ).returning(PACING.c.next_slot)


RESERVE_SLOTS = {name: _reserve_slots(components) for name, components in COMPONENTS.items()}
MARK_SENDING = (
    update(OUTBOX)
    .where(OUTBOX.c.id == bindparam("send_id"))
    .values(
        status=SendStatus.SENDING.value,
        not_before=bindparam("lease_until"),
        attempts=OUTBOX.c.attempts + 1,
    )
)


async def claim_sends(
    database: Database,
    limit: int,
    now: datetime,
    wall_clock: Callable[[], float],
    lease: timedelta,
) -> list[ClaimedSend]:
    """Take up to `limit` rows and give each a send slot that keeps its number within the
    throughput Meta allows. PostgreSQL skips rows another process holds; SQLite has one
    writer. Each row's lease runs from its slot, so a row waiting for its turn is not taken
    for abandoned.

    Slots start from the wall clock read when they are reserved, not when the claim began: a
    slot dated before the claim's own round trips (slow on a fresh connection) would already
    be due on arrival, and the first sends would leave together."""
    statement = _claimable(now).limit(limit).with_for_update(of=OUTBOX, skip_locked=True)
    claim_began = wall_clock()
    with outages_as_unavailable():
        async with database.engine.begin() as connection:
            rows = (await connection.execute(statement)).mappings().all()
            by_number: dict[uuid.UUID, list[Any]] = defaultdict(list)
            doomed = []
            for row in rows:
                live = row["deleted_at"] is None and row["deadline"] > now
                if row["status"] == SendStatus.QUEUED.value and live:
                    rate = row["messages_per_second"] * OUTBOUND_SHARE
                    if len(by_number[row["number_id"]]) < max(
                        1, math.floor(rate * PACE_AHEAD_SECONDS)
                    ):
                        by_number[row["number_id"]].append(row)
                else:
                    doomed.append(row)
            claimed = [_claimed(row, claim_began) for row in doomed]
            for number_id, number_rows in by_number.items():
                interval = 1.0 / (number_rows[0]["messages_per_second"] * OUTBOUND_SHARE)
                span = interval * len(number_rows)
                reserved_until = await connection.scalar(
                    RESERVE_SLOTS[database.components.name],
                    {"number_id": number_id, "now": wall_clock(), "span": span},
                )
                first_slot = float(cast(float, reserved_until)) - span
                claimed += [
                    _claimed(row, first_slot + index * interval, interval)
                    for index, row in enumerate(number_rows)
                ]
            if claimed:
                await connection.execute(
                    MARK_SENDING,
                    [
                        {
                            "send_id": send.id,
                            "lease_until": now
                            + lease
                            + timedelta(seconds=max(0.0, send.slot - claim_began)),
                        }
                        for send in claimed
                    ],
                )
    return sorted(claimed, key=lambda send: send.slot)


def _claimed(row: Any, slot: float, interval: float = 0.0) -> ClaimedSend:
    return ClaimedSend(
        id=int(row["id"]),
        organization_id=row["organization_id"],
        number_id=row["number_id"],
        message_id=row["message_id"],
        kind=SendKind(row["kind"]),
        payload=row["payload"],
        attempts=int(row["attempts"]) + 1,
        deadline=row["deadline"],
        phone_number_id=row["phone_number_id"],
        access_token_sealed=row["access_token_sealed"],
        number_live=row["deleted_at"] is None,
        abandoned=row["status"] == SendStatus.SENDING.value,
        slot=slot,
        interval=interval,
    )


async def reserve_slot(
    database: Database, number_id: uuid.UUID, interval: float, wall_clock: float
) -> float:
    """A fresh slot for a send whose reserved one went by while its process was busy."""
    with outages_as_unavailable():
        async with database.engine.begin() as connection:
            reserved_until = await connection.scalar(
                RESERVE_SLOTS[database.components.name],
                {"number_id": number_id, "now": wall_clock, "span": interval},
            )
    return float(cast(float, reserved_until)) - interval


async def release_sends(database: Database, send_ids: list[int]) -> None:
    """Hand back claims whose call to Meta never started: due at once, attempt not counted."""
    with outages_as_unavailable():
        async with database.engine.begin() as connection:
            await connection.execute(
                update(OUTBOX)
                .where(OUTBOX.c.id.in_(send_ids), OUTBOX.c.status == SendStatus.SENDING.value)
                .values(
                    status=SendStatus.QUEUED.value,
                    not_before=None,
                    attempts=OUTBOX.c.attempts - 1,
                )
            )

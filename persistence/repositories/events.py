"""The organization event log: append at commit, read for resumption, purge by age."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import cast

from sqlalchemy import Table, and_, delete, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.events import DomainEvent, StoredEvent
from persistence.models.accounts import OrganizationRow
from persistence.models.events import EventRow
from persistence.repositories.scope import RepositoryScope

EVENTS = cast(Table, EventRow.__table__)


def event_to_domain(row: EventRow) -> StoredEvent:
    return StoredEvent(
        organization_id=row.organization_id,
        sequence=row.sequence,
        type=row.type,
        occurred_at=row.occurred_at,
        payload=row.payload,
    )


class SqlEventLog:
    def __init__(self, session: AsyncSession, organization_id: uuid.UUID) -> None:
        self._session = session
        self._organization_id = organization_id

    async def after(self, sequence: int, limit: int) -> list[StoredEvent]:
        rows = await self._session.scalars(
            select(EventRow)
            .where(EventRow.organization_id == self._organization_id, EventRow.sequence > sequence)
            .order_by(EventRow.sequence)
            .limit(limit)
        )
        return [event_to_domain(row) for row in rows]

    async def matching_after(
        self, sequence: int, until: int, wanted: Mapping[str, tuple[str, ...]], limit: int
    ) -> list[StoredEvent]:
        matches = [
            and_(
                EVENTS.c.type == event_type,
                *(EVENTS.c.payload[key].as_string().is_not(None) for key in required),
            )
            for event_type, required in sorted(wanted.items())
        ]
        result = await self._session.execute(
            select(EVENTS)
            .where(
                EVENTS.c.organization_id == self._organization_id,
                EVENTS.c.sequence > sequence,
                EVENTS.c.sequence <= until,
                or_(*matches),
            )
            .order_by(EVENTS.c.sequence)
            .limit(limit)
        )
        return [
            StoredEvent(
                organization_id=row["organization_id"],
                sequence=row["sequence"],
                type=row["type"],
                occurred_at=row["occurred_at"],
                payload=row["payload"],
            )
            for row in result.mappings()
        ]

    async def latest_sequence(self) -> int:
        value = await self._session.scalar(
            select(OrganizationRow.last_event_sequence).where(
                OrganizationRow.id == self._organization_id
            )
        )
        return int(value or 0)

    async def oldest_sequence(self) -> int | None:
        value = await self._session.scalar(
            select(func.min(EventRow.sequence)).where(
                EventRow.organization_id == self._organization_id
            )
        )
        return None if value is None else int(value)


async def append_events(
    session: AsyncSession, events: Sequence[DomainEvent], occurred_at: datetime
) -> list[StoredEvent]:
    """Allocate each organization's next sequences under its row lock, held only until commit."""
    by_organization: dict[uuid.UUID, list[DomainEvent]] = defaultdict(list)
    for domain_event in events:
        by_organization[domain_event.organization_id].append(domain_event)
    stored: list[StoredEvent] = []
    for organization_id in sorted(by_organization):
        batch = by_organization[organization_id]
        last = await session.scalar(
            update(OrganizationRow)
            .where(OrganizationRow.id == organization_id)
            .values(last_event_sequence=OrganizationRow.last_event_sequence + len(batch))
            .returning(OrganizationRow.last_event_sequence)
            .execution_options(synchronize_session=False)
        )
        if last is None:
            raise LookupError(f"events emitted for unknown organization {organization_id}")
        first = int(last) - len(batch) + 1
        for offset, domain_event in enumerate(batch):
            stored.append(
                StoredEvent(
                    organization_id=organization_id,
                    sequence=first + offset,
                    type=domain_event.type,
                    occurred_at=occurred_at,
                    payload=domain_event.payload(),
                )
            )
    if stored:
        # Core's executemany, sent as multi-row INSERTs: the ORM's per-object bookkeeping cost
        # more than the insert itself for a batch's hundreds of events.
        await session.execute(
            insert(EVENTS),
            [
                {
                    "organization_id": e.organization_id,
                    "sequence": e.sequence,
                    "type": e.type,
                    "payload": e.payload,
                    "occurred_at": e.occurred_at,
                }
                for e in stored
            ],
        )
    return stored


async def purge_events_before(session: AsyncSession, cutoff: datetime) -> int:
    result = await session.execute(delete(EventRow).where(EventRow.occurred_at < cutoff))
    return int(result.rowcount)  # type: ignore[attr-defined]


class EventRepositories(RepositoryScope):
    """The organization's committed events."""

    @property
    def events(self) -> SqlEventLog:
        return SqlEventLog(self.session, self.scope())

"""Resumable organization event streams: subscribe first, then read the backlog, then go live.

Sequences are allocated per organization in commit order, so every sequence below the newest one
a subscriber has seen is already in the event log: a jump in the live stream is filled from there.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from uuid import UUID

from domain.errors import EventsExpired, EventStreamInterrupted, InvalidInput
from domain.events import StoredEvent
from domain.unit_of_work import EventSubscriber, UnitOfWork, UnitOfWorkFactory

BACKLOG_BATCH = 500


def parse_event_id(after: str | None) -> int | None:
    if after is None:
        return None
    try:
        value = int(after)
    except ValueError as error:
        raise InvalidInput("'after' must be an event id received earlier", field="after") from error
    if value < 0:
        raise InvalidInput("'after' must not be negative", field="after")
    return value


class EventStream:
    def __init__(
        self, unit_of_work: UnitOfWorkFactory[UnitOfWork], subscriber: EventSubscriber
    ) -> None:
        self._uow = unit_of_work
        self._subscriber = subscriber

    async def latest(self, organization_id: UUID) -> int:
        """The newest event's id (0 before the first): a cursor to start a stream from."""
        async with self._uow(organization_id, read_only=True) as uow:
            return await uow.events.latest_sequence()

    async def follow(self, organization_id: UUID, after: int | None) -> AsyncIterator[StoredEvent]:
        async with self._subscriber.subscribe(organization_id) as live:
            if after is None:
                async with self._uow(organization_id, read_only=True) as uow:
                    last_seen = await uow.events.latest_sequence()
            else:
                await self._ensure_retained(organization_id, after)
                last_seen = after
            async for event in self._read_log(organization_id, last_seen, until=None):
                yield event
                last_seen = event.sequence
            try:
                async for event in live:
                    if event.sequence <= last_seen:
                        continue
                    if event.sequence > last_seen + 1:
                        async for missed in self._read_log(
                            organization_id, last_seen, event.sequence
                        ):
                            yield missed
                            last_seen = missed.sequence
                    yield event
                    last_seen = event.sequence
            except EventStreamInterrupted as interrupted:
                raise EventStreamInterrupted(interrupted.reason, last_seen) from interrupted

    async def _ensure_retained(self, organization_id: UUID, after: int) -> None:
        async with self._uow(organization_id, read_only=True) as uow:
            oldest = await uow.events.oldest_sequence()
            latest = await uow.events.latest_sequence()
        if after > latest:
            raise InvalidInput(f"'after' is ahead of the newest event ({latest})", field="after")
        oldest_available = oldest if oldest is not None else latest + 1
        if after + 1 < oldest_available:
            raise EventsExpired(after, oldest_available)

    async def _read_log(
        self, organization_id: UUID, after: int, until: int | None
    ) -> AsyncIterator[StoredEvent]:
        cursor = after
        while True:
            async with self._uow(organization_id, read_only=True) as uow:
                batch = await uow.events.after(cursor, BACKLOG_BATCH)
            for event in batch:
                if until is not None and event.sequence >= until:
                    return
                yield event
                cursor = event.sequence
            if len(batch) < BACKLOG_BATCH:
                return

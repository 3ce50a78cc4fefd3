"""Resumable streams over the real memory:// bus and the real event log."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from domain.accounts.events import OrganizationCreated
from domain.accounts.model import Organization
from domain.clock import SystemClock
from domain.errors import EventsExpired, InvalidInput
from domain.event_stream import EventStream, parse_event_id
from domain.events import StoredEvent
from persistence.database import Database
from persistence.maintenance import purge_expired
from persistence.unit_of_work import NoPublisher, SqlUnitOfWorkFactory
from web.broadcast import EventBus


@pytest.fixture
async def bus() -> AsyncIterator[EventBus]:
    bus = EventBus("memory://", channel_prefix=f"stream-{uuid.uuid4().hex[:6]}")
    await bus.start()
    yield bus
    await bus.stop()


async def emit(factory: SqlUnitOfWorkFactory, organization_id: uuid.UUID, name: str) -> None:
    async with factory(organization_id) as uow:
        uow.emit(OrganizationCreated(organization_id=organization_id, name=name))
        await uow.commit()


async def take(stream: AsyncIterator[StoredEvent], count: int) -> list[StoredEvent]:
    return [await asyncio.wait_for(anext(stream), 5) for _ in range(count)]


async def new_organization(database: Database) -> uuid.UUID:
    organization = Organization(uuid.uuid4(), "Acme", datetime.now(UTC))
    async with SqlUnitOfWorkFactory(database, NoPublisher(), SystemClock())(organization.id) as uow:
        await uow.organizations.add(organization)
        await uow.commit()
    return organization.id


async def test_events_missing_from_the_bus_are_filled_from_the_log(
    database: Database, bus: EventBus
) -> None:
    organization_id = await new_organization(database)
    silent = SqlUnitOfWorkFactory(database, NoPublisher(), SystemClock())
    loud = SqlUnitOfWorkFactory(database, bus, SystemClock())
    stream = EventStream(loud, bus).follow(organization_id, after=None)
    first_step = asyncio.ensure_future(anext(stream))
    await asyncio.sleep(0.1)

    await emit(silent, organization_id, "lost one")
    await emit(silent, organization_id, "lost two")
    await emit(loud, organization_id, "published")
    events = [await asyncio.wait_for(first_step, 5), *await take(stream, 2)]

    assert [e.sequence for e in events] == [1, 2, 3]
    assert [e.payload["name"] for e in events] == ["lost one", "lost two", "published"]
    await stream.aclose()  # type: ignore[attr-defined]


async def test_resuming_replays_the_backlog_then_goes_live(
    database: Database, bus: EventBus
) -> None:
    organization_id = await new_organization(database)
    factory = SqlUnitOfWorkFactory(database, bus, SystemClock())
    for name in ("one", "two", "three"):
        await emit(factory, organization_id, name)

    stream = EventStream(factory, bus).follow(organization_id, after=1)
    backlog = await take(stream, 2)
    await emit(factory, organization_id, "four")
    live = await take(stream, 1)

    assert [e.sequence for e in backlog + live] == [2, 3, 4]
    await stream.aclose()  # type: ignore[attr-defined]


async def test_purged_events_make_an_old_after_expire(database: Database, bus: EventBus) -> None:
    organization_id = await new_organization(database)
    factory = SqlUnitOfWorkFactory(database, bus, SystemClock())
    await emit(factory, organization_id, "old")
    await emit(factory, organization_id, "older")
    purged = await purge_expired(
        database,
        events_before=datetime.now(UTC) + timedelta(seconds=1),
        attempts_before=datetime.now(UTC),
    )

    stream = EventStream(factory, bus).follow(organization_id, after=0)
    with pytest.raises(EventsExpired) as expired:
        await anext(stream)

    assert purged == 2
    assert expired.value.oldest_available == 3


async def test_an_after_ahead_of_the_log_is_invalid(database: Database, bus: EventBus) -> None:
    organization_id = await new_organization(database)
    stream = EventStream(SqlUnitOfWorkFactory(database, bus, SystemClock()), bus).follow(
        organization_id, after=7
    )

    with pytest.raises(InvalidInput, match="ahead of the newest event"):
        await anext(stream)


@pytest.mark.parametrize("after", ["abc", "-1", "1.5"])
def test_after_must_be_an_event_id(after: str) -> None:
    with pytest.raises(InvalidInput):
        parse_event_id(after)

"""The unit of work: atomic changes, audit with every change, events in commit order."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from domain.accounts.events import OrganizationCreated, UserCreated
from domain.accounts.model import Organization, Role, User
from domain.audit import AuditEntry
from domain.clock import SystemClock
from domain.errors import Conflict
from domain.events import StoredEvent
from persistence.database import Database
from persistence.models.accounts import UserRow
from persistence.models.audit import AuditLogRow
from persistence.models.events import EventRow
from persistence.unit_of_work import SqlUnitOfWorkFactory, UnscopedAccess


class RecordingPublisher:
    def __init__(self) -> None:
        self.published: list[StoredEvent] = []

    async def publish(self, events: Sequence[StoredEvent]) -> None:
        self.published.extend(events)


class FailingPublisher:
    async def publish(self, events: Sequence[StoredEvent]) -> None:
        raise ConnectionError("the bus is down")


def a_user(organization_id: uuid.UUID, email: str) -> User:
    now = datetime.now(UTC)
    return User(
        uuid.uuid4(), organization_id, email, "Name", Role.AGENT, True, False, "hash", now, now
    )


async def new_organization(factory: SqlUnitOfWorkFactory) -> uuid.UUID:
    organization = Organization(uuid.uuid4(), "Acme", datetime.now(UTC))
    async with factory(organization.id) as uow:
        await uow.organizations.add(organization)
        uow.emit(OrganizationCreated(organization_id=organization.id, name="Acme"))
        await uow.commit()
    return organization.id


async def test_events_get_consecutive_sequences_and_are_published_after_commit(
    database: Database,
) -> None:
    publisher = RecordingPublisher()
    factory = SqlUnitOfWorkFactory(database, publisher, SystemClock())
    organization_id = await new_organization(factory)

    async with factory(organization_id) as uow:
        for n in range(3):
            user = a_user(organization_id, f"u{n}@example.com")
            await uow.users.add(user)
            uow.emit(
                UserCreated(
                    organization_id=organization_id, user_id=user.id, email=user.email, role="agent"
                )
            )
        assert len(publisher.published) == 1
        await uow.commit()

    assert [e.sequence for e in publisher.published] == [1, 2, 3, 4]
    async with factory(organization_id) as uow:
        assert await uow.events.latest_sequence() == 4
        assert [e.type for e in await uow.events.after(1, 10)] == ["user.created"] * 3


async def test_concurrent_writers_get_distinct_gapless_sequences(database: Database) -> None:
    factory = SqlUnitOfWorkFactory(database, RecordingPublisher(), SystemClock())
    organization_id = await new_organization(factory)

    async def write(n: int) -> None:
        async with factory(organization_id) as uow:
            user = a_user(organization_id, f"c{n}@example.com")
            await uow.users.add(user)
            uow.emit(
                UserCreated(
                    organization_id=organization_id, user_id=user.id, email=user.email, role="agent"
                )
            )
            await uow.commit()

    await asyncio.gather(*(write(n) for n in range(10)))

    async with database.session() as session:
        sequences = list(
            await session.scalars(select(EventRow.sequence).order_by(EventRow.sequence))
        )
    assert sequences == list(range(1, 12))


async def test_nothing_is_kept_when_the_unit_of_work_is_not_committed(database: Database) -> None:
    publisher = RecordingPublisher()
    factory = SqlUnitOfWorkFactory(database, publisher, SystemClock())
    organization_id = await new_organization(factory)

    with pytest.raises(RuntimeError):
        async with factory(organization_id) as uow:
            await uow.users.add(a_user(organization_id, "gone@example.com"))
            uow.emit(
                UserCreated(
                    organization_id=organization_id, user_id=uuid.uuid4(), email="x", role="agent"
                )
            )
            uow.audit(AuditEntry(organization_id, "user.create", "user", "x", datetime.now(UTC)))
            raise RuntimeError("the use case failed half-way")

    async with database.session() as session:
        assert await session.scalar(select(func.count()).select_from(UserRow)) == 0
        assert await session.scalar(select(func.count()).select_from(AuditLogRow)) == 0
        assert await session.scalar(select(func.count()).select_from(EventRow)) == 1
    assert len(publisher.published) == 1


async def test_a_unique_violation_at_commit_is_a_conflict_and_stores_nothing(
    database: Database,
) -> None:
    factory = SqlUnitOfWorkFactory(database, RecordingPublisher(), SystemClock())
    organization_id = await new_organization(factory)
    async with factory(organization_id) as uow:
        await uow.users.add(a_user(organization_id, "dup@example.com"))
        await uow.commit()

    with pytest.raises(Conflict):
        async with factory(organization_id) as uow:
            uow.audit(AuditEntry(organization_id, "user.create", "user", "x", datetime.now(UTC)))
            await uow.users.add(a_user(organization_id, "dup@example.com"))
            await uow.commit()

    async with database.session() as session:
        assert await session.scalar(select(func.count()).select_from(AuditLogRow)) == 0


async def test_a_bus_outage_does_not_undo_a_committed_change(database: Database) -> None:
    factory = SqlUnitOfWorkFactory(database, FailingPublisher(), SystemClock())

    organization_id = await new_organization(factory)

    async with factory(organization_id) as uow:
        assert await uow.events.latest_sequence() == 1


async def test_tenant_repositories_refuse_an_unscoped_unit_of_work(database: Database) -> None:
    factory = SqlUnitOfWorkFactory(database, RecordingPublisher(), SystemClock())

    async with factory() as uow:
        with pytest.raises(UnscopedAccess):
            await uow.users.get(uuid.uuid4())


async def test_datetimes_come_back_timezone_aware_in_utc(database: Database) -> None:
    factory = SqlUnitOfWorkFactory(database, RecordingPublisher(), SystemClock())
    organization_id = await new_organization(factory)
    sao_paulo = datetime(2026, 11, 22, 9, 30, tzinfo=UTC).astimezone(
        __import__("zoneinfo").ZoneInfo("America/Sao_Paulo")
    )
    user = a_user(organization_id, "tz@example.com")
    async with factory(organization_id) as uow:
        await uow.users.add(User(**{**user.__dict__, "created_at": sao_paulo}))
        await uow.commit()

    async with factory(organization_id) as uow:
        loaded = await uow.users.get(user.id)

    assert loaded is not None
    assert loaded.created_at.tzinfo is not None
    assert loaded.created_at.utcoffset() == timedelta(0)
    assert loaded.created_at == datetime(2026, 11, 22, 9, 30, tzinfo=UTC)


async def test_a_failed_statement_is_reported_without_its_values(database: Database) -> None:
    """Values are customers' names, numbers and messages: never in logs or error texts."""
    with pytest.raises(DBAPIError) as failed:
        async with database.session() as session:
            await session.execute(
                text("INSERT INTO no_such_table VALUES (:v)"), {"v": "Maria Silva"}
            )

    assert "Maria Silva" not in str(failed.value)
    assert "hidden" in str(failed.value)

"""A transaction per use case: rolls back unless committed, publishes events after commit."""

from __future__ import annotations

import logging
import uuid
from collections import ChainMap
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from types import TracebackType
from typing import Self

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from domain.audit import AuditEntry
from domain.clock import Clock
from domain.errors import Conflict, ServiceUnavailable
from domain.events import DomainEvent, StoredEvent
from domain.unit_of_work import EventPublisher
from persistence.database import Database, is_unreachable, unavailable
from persistence.dialects import QueryComponents
from persistence.models.audit import AuditLogRow
from persistence.repositories.accounts import AccountsRepositories
from persistence.repositories.conversations import ConversationsRepositories
from persistence.repositories.events import EventRepositories, append_events
from persistence.repositories.flows import FlowsRepositories
from persistence.repositories.notifications import NotificationsRepositories
from persistence.repositories.onboarding import OnboardingRepositories
from persistence.repositories.queues import QueuesRepositories
from persistence.repositories.replies import RepliesRepositories
from persistence.repositories.signals import SignalsRepositories
from persistence.repositories.team import TeamRepositories
from persistence.repositories.whatsapp import WhatsAppRepositories

logger = logging.getLogger(__name__)

CONFLICT_MESSAGE = "The change conflicts with data that already exists"


class UnscopedAccess(RuntimeError):
    """A tenant repository was used outside an organization-bound unit of work: a bug."""


class NoPublisher:
    async def publish(self, events: Sequence[StoredEvent]) -> None:
        return None


class SqlUnitOfWork(
    AccountsRepositories,
    WhatsAppRepositories,
    ConversationsRepositories,
    QueuesRepositories,
    FlowsRepositories,
    TeamRepositories,
    OnboardingRepositories,
    SignalsRepositories,
    RepliesRepositories,
    NotificationsRepositories,
    EventRepositories,
):
    """One transaction, with every feature's repositories: each feature contributes its set
    (`<Feature>Repositories` in persistence/repositories/<feature>.py)."""

    def __init__(
        self,
        database: Database,
        publisher: EventPublisher,
        clock: Clock,
        organization_id: uuid.UUID | None = None,
        read_only: bool = False,
    ) -> None:
        self._database = database
        self._read_only = read_only
        self._publisher = publisher
        self._clock = clock
        self._organization_id = organization_id
        self._pending_events: list[DomainEvent] = []
        self._pending_audit: list[AuditEntry] = []
        self._after_commit: list[Callable[[], None]] = []
        self._session: AsyncSession | None = None

    @property
    def session(self) -> AsyncSession:
        if self._session is None:
            raise RuntimeError("the unit of work is used outside 'async with'")
        return self._session

    @property
    def components(self) -> QueryComponents:
        return self._database.components

    def scope(self) -> uuid.UUID:
        if self._organization_id is None:
            raise UnscopedAccess("tenant data needs a unit of work bound to an organization")
        return self._organization_id

    def emit(self, event: DomainEvent) -> None:
        self._pending_events.append(event)

    def audit(self, entry: AuditEntry) -> None:
        self._pending_audit.append(entry)

    def after_commit(self, callback: Callable[[], None]) -> None:
        self._after_commit.append(callback)

    @asynccontextmanager
    async def savepoint(self) -> AsyncIterator[None]:
        """The changes, events and audit entries made inside are undone together if it
        raises; the transaction goes on. What repositories remember of the rows they read or
        wrote (a ChainMap in the session's `info`) gets a layer for the savepoint, dropped with
        it when it rolls back (a rolled-back write is no longer what is stored) and merged
        when it is kept: a cost of what the savepoint wrote, not of all that is remembered."""
        events, audit = len(self._pending_events), len(self._pending_audit)
        known = set(self.session.info)
        # In place: repositories opened before the savepoint hold these maps.
        layered = [m for m in self.session.info.values() if isinstance(m, ChainMap)]
        for memory in layered:
            memory.maps.insert(0, {})
        try:
            async with self.session.begin_nested():
                yield
        except BaseException:
            del self._pending_events[events:]
            del self._pending_audit[audit:]
            for memory in layered:
                memory.maps.pop(0)
            for key in set(self.session.info) - known:
                del self.session.info[key]
            raise
        for memory in layered:
            kept = memory.maps.pop(0)
            memory.maps[0].update(kept)

    async def __aenter__(self) -> Self:
        self._session = (
            self._database.read_session() if self._read_only else self._database.session()
        )
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        session = self.session
        self._session = None
        try:
            await session.rollback()
            await session.close()
        except Exception as cleanup_error:
            if exc is None and is_unreachable(cleanup_error):
                raise unavailable(cleanup_error) from cleanup_error
            if exc is None:
                raise
        if isinstance(exc, IntegrityError):
            raise Conflict(CONFLICT_MESSAGE) from exc
        if exc is not None and not isinstance(exc, ServiceUnavailable) and is_unreachable(exc):
            raise unavailable(exc) from exc

    async def commit(self) -> None:
        if self._read_only:
            raise RuntimeError("a read-only unit of work cannot commit")
        session = self.session
        try:
            await session.flush()
            session.add_all(self._audit_rows())
            # Sequences are allocated last so the organization row stays locked for milliseconds.
            stored = await append_events(session, self._pending_events, self._clock.now())
            await session.commit()
        except IntegrityError as error:
            await session.rollback()
            raise Conflict(CONFLICT_MESSAGE) from error
        self._pending_events.clear()
        self._pending_audit.clear()
        if stored:
            await self._publish(stored)
        callbacks, self._after_commit = self._after_commit, []
        for callback in callbacks:
            callback()

    async def _publish(self, stored: list[StoredEvent]) -> None:
        # The change is committed and the events are in the log; a bus outage must not turn a
        # successful change into an error. Subscribers resume from the log with `after`.
        try:
            await self._publisher.publish(stored)
        except Exception:
            logger.exception("could not publish %d committed events", len(stored))

    def _audit_rows(self) -> list[AuditLogRow]:
        return [
            AuditLogRow(
                id=uuid.uuid4(),
                organization_id=entry.organization_id,
                actor_user_id=entry.actor_user_id,
                action=entry.action,
                target_type=entry.target_type,
                target_id=entry.target_id,
                occurred_at=entry.occurred_at,
                client_ip=entry.client_ip,
                changes=entry.changes,
            )
            for entry in self._pending_audit
        ]


class SqlUnitOfWorkFactory:
    def __init__(self, database: Database, publisher: EventPublisher, clock: Clock) -> None:
        self.database = database
        self._publisher = publisher
        self._clock = clock

    def __call__(
        self, organization_id: uuid.UUID | None = None, *, read_only: bool = False
    ) -> SqlUnitOfWork:
        return SqlUnitOfWork(
            self.database, self._publisher, self._clock, organization_id, read_only
        )

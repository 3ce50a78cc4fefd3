"""One transaction, as every feature sees it. Each feature's ports extend `UnitOfWork` with the
repositories it reads and writes (`domain/<feature>/ports.py`); persistence's unit of work
composes them all, so a service asks only for what its feature may touch."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from types import TracebackType
from typing import Protocol, Self, TypeVar
from uuid import UUID

from domain.audit import AuditEntry
from domain.events import DomainEvent, StoredEvent


class EventLog(Protocol):
    """Committed events of the unit of work's organization."""

    async def after(self, sequence: int, limit: int) -> list[StoredEvent]: ...
    async def matching_after(
        self, sequence: int, until: int, wanted: Mapping[str, tuple[str, ...]], limit: int
    ) -> list[StoredEvent]:
        """Events after `sequence` and up to `until`, oldest first, of the types `wanted`
        names, each with the payload fields listed for its type set (not null)."""
        ...

    async def latest_sequence(self) -> int: ...
    async def oldest_sequence(self) -> int | None: ...


class UnitOfWork(Protocol):
    """One transaction. Tenant repositories exist only when it is bound to an organization."""

    @property
    def events(self) -> EventLog: ...

    def emit(self, event: DomainEvent) -> None: ...
    def audit(self, entry: AuditEntry) -> None: ...
    def after_commit(self, callback: Callable[[], None]) -> None:
        """Runs once the transaction has committed (not at all if it does not)."""
        ...

    def savepoint(self) -> AbstractAsyncContextManager[None]:
        """Changes made inside are undone together if it raises; the transaction goes on."""
        ...

    async def commit(self) -> None: ...
    async def __aenter__(self) -> Self: ...
    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...


Work_co = TypeVar("Work_co", bound=UnitOfWork, covariant=True)


class UnitOfWorkFactory(Protocol[Work_co]):
    """Opens a unit of work of the feature's kind, e.g. `UnitOfWorkFactory[QueuesUnitOfWork]`."""

    def __call__(self, organization_id: UUID | None = None, *, read_only: bool = False) -> Work_co:
        """read_only: no transaction (cheaper, and no write lock on SQLite); commit refuses."""
        ...


class EventSubscriber(Protocol):
    def subscribe(
        self, organization_id: UUID
    ) -> AbstractAsyncContextManager[AsyncIterator[StoredEvent]]: ...


class EventPublisher(Protocol):
    async def publish(self, events: Sequence[StoredEvent]) -> None: ...

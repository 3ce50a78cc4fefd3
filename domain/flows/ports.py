"""What flows need from persistence: flows with their versions, and the bot's sessions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Protocol
from uuid import UUID

from domain.ai.intents import IntentGuess
from domain.flows.model import Flow, FlowFilter, FlowKind, FlowVersion, RunnableFlow
from domain.flows.sessions import FlowSession, FlowSessionFilter, FlowStats, FlowStep
from domain.pagination import Page, PageRequest
from domain.queues.ports import QueuesUnitOfWork


class FlowRepository(Protocol):
    async def get(self, flow_id: UUID) -> Flow | None: ...
    async def page(
        self, flow_filter: FlowFilter, size: int, request: PageRequest
    ) -> Page[Flow]: ...
    async def add(self, flow: Flow) -> None:
        """Raises Conflict when the organization has a flow of that name."""
        ...

    async def save(self, flow: Flow) -> None:
        """Raises Conflict when the organization has another flow of that name."""
        ...

    async def published_on(self, number_ids: list[UUID], kind: FlowKind) -> list[Flow]:
        """Published, unarchived flows of a kind that run on any of these numbers."""
        ...

    async def runnable_on(self, number_id: UUID) -> list[RunnableFlow]:
        """The published, unarchived flows of every kind that answer on this number."""
        ...

    async def add_version(self, version: FlowVersion) -> None: ...
    async def version(self, flow_id: UUID, version: int) -> FlowVersion | None: ...
    async def versions(self, flow_id: UUID) -> list[FlowVersion]:
        """Every published version, newest first."""
        ...


class FlowSessionRepository(Protocol):
    async def active_for(self, conversation_id: UUID) -> FlowSession | None:
        """The conversation's active session, locked until the transaction ends."""
        ...

    async def active_in(self, conversation_ids: list[UUID]) -> dict[UUID, FlowSession]:
        """The active sessions of these conversations, by conversation; none locked."""
        ...

    async def get(self, session_id: UUID, lock: bool = False) -> FlowSession | None: ...
    async def last_started(self, conversation_id: UUID, flow_id: UUID) -> datetime | None: ...
    async def add(self, session: FlowSession) -> None:
        """Raises Conflict when the conversation has another active session."""
        ...

    async def save(self, session: FlowSession) -> None: ...
    async def add_steps(self, steps: list[FlowStep]) -> None: ...
    async def steps(self, session_ids: list[UUID]) -> dict[UUID, list[FlowStep]]: ...
    async def page(
        self, session_filter: FlowSessionFilter, size: int, request: PageRequest
    ) -> Page[FlowSession]: ...
    async def stats(self, flow_id: UUID, since: datetime, until: datetime) -> FlowStats: ...


class FlowsUnitOfWork(QueuesUnitOfWork, Protocol):
    @property
    def flows(self) -> FlowRepository: ...
    @property
    def flow_sessions(self) -> FlowSessionRepository: ...


IntentReader = Callable[[str], IntentGuess]


class IntentModels(Protocol):
    async def reader(self, organization_id: UUID) -> IntentReader | None:
        """What the organization's newest trained intent model reads in a text; None before
        its first training."""
        ...

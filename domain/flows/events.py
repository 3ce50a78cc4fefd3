"""Facts about the bot's sessions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar
from uuid import UUID

from domain.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class FlowSessionUpdated(DomainEvent):
    """A flow session started, went through nodes, or ended."""

    type: ClassVar[str] = "flow_session.updated"
    session_id: UUID
    flow_id: UUID
    conversation_id: UUID
    status: str
    step_count: int


@dataclass(frozen=True, kw_only=True)
class FlowPublished(DomainEvent):
    """A flow's draft, or an earlier version, was published as its next version."""

    type: ClassVar[str] = "flow.published"
    flow_id: UUID
    version: int

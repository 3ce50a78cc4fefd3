"""What replies need from persistence."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol
from uuid import UUID

from domain.replies.model import CannedResponse
from domain.signals.ports import SignalsUnitOfWork


@dataclass(frozen=True)
class PastReply:
    customer_text: str
    """The customer's text the agent answered."""
    reply: str


class CannedResponseRepository(Protocol):
    async def list(self) -> list[CannedResponse]:
        """By shortcut."""
        ...

    async def get(self, canned_id: UUID) -> CannedResponse | None: ...
    async def by_shortcut(self, shortcut: str) -> CannedResponse | None: ...
    async def save(self, canned: CannedResponse) -> None:
        """Insert or replace."""
        ...

    async def delete(self, canned_id: UUID) -> None: ...


class ReplyHistory(Protocol):
    async def latest_customer_text(self, conversation_id: UUID) -> str | None: ...
    async def past_replies(self, limit: int) -> list[PastReply]:
        """The organization's latest agent texts, each with the customer text before it."""
        ...


class RepliesUnitOfWork(SignalsUnitOfWork, Protocol):
    @property
    def canned_responses(self) -> CannedResponseRepository: ...
    @property
    def reply_history(self) -> ReplyHistory: ...

"""Facts about invitations."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar
from uuid import UUID

from domain.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class InvitationChanged(DomainEvent):
    """An invitation was made, given a new link, revoked or accepted."""

    type: ClassVar[str] = "invitation.changed"
    invitation_id: UUID
    status: str

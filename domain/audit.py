"""The audit trail: one record per change, written in the same transaction as the change."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID


@dataclass(frozen=True)
class AuditEntry:
    organization_id: UUID
    action: str
    target_type: str
    target_id: str
    occurred_at: datetime
    actor_user_id: UUID | None = None
    client_ip: str | None = None
    changes: dict[str, Any] = field(default_factory=dict)

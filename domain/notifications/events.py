"""What the notifications feature announces."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar
from uuid import UUID

from domain.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class NotificationCreated(DomainEvent):
    """A person has a new notification; only they receive it (`notificationReceived`)."""

    type: ClassVar[str] = "notification.created"
    notification_id: UUID
    user_id: UUID
    notification_type: str
    announced: bool


@dataclass(frozen=True, kw_only=True)
class NotificationsChanged(DomainEvent):
    """A person read or archived notifications: their other tabs update the bell."""

    type: ClassVar[str] = "notifications.changed"
    user_id: UUID
    change: str
    """read or archived."""
    unread_count: int


@dataclass(frozen=True, kw_only=True)
class NotificationPreferencesUpdated(DomainEvent):
    type: ClassVar[str] = "notification_preferences.updated"
    user_id: UUID

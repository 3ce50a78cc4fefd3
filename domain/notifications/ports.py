"""What the notifications feature needs from persistence."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol
from uuid import UUID

from domain.notifications.catalog import Category, Severity
from domain.notifications.model import Notification, Preferences
from domain.notifications.push import PushSubscription
from domain.pagination import Page, PageRequest
from domain.queues.ports import QueuesUnitOfWork


class NotificationRepository(Protocol):
    async def add_many(self, notifications: Sequence[Notification]) -> None: ...
    async def page(
        self,
        user_id: UUID,
        unread_only: bool,
        category: Category | None,
        severity: Severity | None,
        since: datetime | None,
        include_archived: bool,
        size: int,
        request: PageRequest,
    ) -> Page[Notification]:
        """Newest first."""
        ...

    async def get(self, notification_id: UUID) -> Notification | None: ...
    async def unread_count(self, user_id: UUID) -> int:
        """Not read and not archived."""
        ...

    async def mark_read(self, user_id: UUID, ids: Sequence[UUID] | None, at: datetime) -> int:
        """The person's given notifications, or all of them with None; how many changed."""
        ...

    async def archive(self, user_id: UUID, ids: Sequence[UUID], at: datetime) -> int: ...
    async def announced_since(self, user_ids: Sequence[UUID], since: datetime) -> dict[UUID, int]:
        """How many each person was shown since then (their frequency limit's count)."""
        ...

    async def unread_subjects(
        self, user_ids: Sequence[UUID], type_names: Sequence[str]
    ) -> set[tuple[UUID, str, str]]:
        """The (person, type, subject) of their unread notifications of these types."""
        ...

    async def held_back_of(self, user_id: UUID) -> list[Notification]:
        """The person's notifications held by the frequency limit and not yet summarized, held
        until commit."""
        ...

    async def summarized(self, ids: Sequence[UUID]) -> None: ...

    async def email_pending_of(self, user_id: UUID) -> list[Notification]:
        """The person's notifications waiting for their e-mail digest, held until commit
        (another process's digest skips them meanwhile)."""
        ...

    async def emailed(self, ids: Sequence[UUID]) -> None:
        """No longer waiting for a digest."""
        ...

    async def unread_about(
        self, user_ids: Sequence[UUID], type_name: str, conversation_ids: Sequence[UUID]
    ) -> set[tuple[UUID, UUID]]:
        """The (person, conversation) pairs that already have an unread one of this type."""
        ...


class PreferenceRepository(Protocol):
    async def get_many(self, user_ids: Sequence[UUID]) -> dict[UUID, Preferences]:
        """Each person's; the defaults for those who never changed them."""
        ...

    async def save(self, preferences: Preferences) -> None: ...


class PushSubscriptionRepository(Protocol):
    async def add(self, subscription: PushSubscription) -> None:
        """The browser's endpoint now belongs to this subscription alone."""
        ...

    async def remove(self, user_id: UUID, endpoint: str) -> bool: ...
    async def of_users(self, user_ids: Sequence[UUID]) -> dict[UUID, list[PushSubscription]]: ...
    async def deliver(self, pushes: Sequence[tuple[UUID, UUID]], due_at: datetime) -> None:
        """Queues each (notification, subscription) push, for the push worker."""
        ...


class NotificationCursor(Protocol):
    async def claim(self) -> int | None:
        """The last organization event read, held until commit; None while another process
        holds it."""
        ...

    async def advance(self, sequence: int) -> None: ...


class NotificationsUnitOfWork(QueuesUnitOfWork, Protocol):
    @property
    def notifications(self) -> NotificationRepository: ...
    @property
    def notification_preferences(self) -> PreferenceRepository: ...
    @property
    def push_subscriptions(self) -> PushSubscriptionRepository: ...
    @property
    def notification_cursor(self) -> NotificationCursor: ...

"""People's notifications, their preferences and the notifier's cursor, in SQL."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, RowMapping, Table, delete, func, insert, select, true, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.notifications.catalog import Category, Severity
from domain.notifications.model import (
    HeldBecause,
    Notification,
    Preferences,
    preferences_document,
    preferences_from_document,
)
from domain.notifications.push import PushSubscription
from domain.pagination import Edge, Page, PageRequest
from persistence.database import Database, outages_as_unavailable
from persistence.dialects import QueryComponents
from persistence.models.accounts import OrganizationRow
from persistence.models.notifications import (
    NotificationCursorRow,
    NotificationPreferencesRow,
    NotificationRow,
    PushDeliveryRow,
    PushSubscriptionRow,
)
from persistence.repositories.cursors import Keyset, encode_cursor
from persistence.repositories.scope import RepositoryScope

NOTIFICATIONS = cast(Table, NotificationRow.__table__)
PREFERENCES = cast(Table, NotificationPreferencesRow.__table__)
CURSORS = cast(Table, NotificationCursorRow.__table__)
SUBSCRIPTIONS = cast(Table, PushSubscriptionRow.__table__)
PUSH_DELIVERIES = cast(Table, PushDeliveryRow.__table__)
ORGANIZATIONS = cast(Table, OrganizationRow.__table__)
ORDER = Keyset(NOTIFICATIONS.c.created_at, NOTIFICATIONS.c.id, newest_first=True)


async def people_with_due_digests(
    database: Database, waiting_since: datetime, limit: int
) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """(organization, person) pairs with a notification waiting for their e-mail digest since
    before `waiting_since`."""
    return await _people_flagged(database, NOTIFICATIONS.c.email_pending, waiting_since, limit)


async def people_with_held_back(
    database: Database, held_since: datetime, limit: int
) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """(organization, person) pairs whose frequency limit held a notification back before
    `held_since` that no summary counted yet."""
    return await _people_flagged(database, NOTIFICATIONS.c.awaiting_summary, held_since, limit)


async def _people_flagged(
    database: Database, flag: ColumnElement[bool], since: datetime, limit: int
) -> list[tuple[uuid.UUID, uuid.UUID]]:
    with outages_as_unavailable():
        async with database.autocommit_engine.connect() as connection:
            result = await connection.execute(
                select(NOTIFICATIONS.c.organization_id, NOTIFICATIONS.c.user_id)
                .where(flag == true(), NOTIFICATIONS.c.created_at <= since)
                .group_by(NOTIFICATIONS.c.organization_id, NOTIFICATIONS.c.user_id)
                .limit(limit)
            )
            return [(row[0], row[1]) for row in result.all()]


async def organizations_with_unread_events(database: Database, limit: int) -> list[uuid.UUID]:
    """Organizations whose event log has gone past what the notifier read (every one, for an
    organization it has never read)."""
    read = func.coalesce(CURSORS.c.last_sequence, 0)
    with outages_as_unavailable():
        async with database.autocommit_engine.connect() as connection:
            result = await connection.execute(
                select(ORGANIZATIONS.c.id)
                .select_from(
                    ORGANIZATIONS.outerjoin(
                        CURSORS, CURSORS.c.organization_id == ORGANIZATIONS.c.id
                    )
                )
                .where(ORGANIZATIONS.c.last_event_sequence > read)
                .order_by(ORGANIZATIONS.c.last_event_sequence - read)
                .limit(limit)
            )
            return list(result.scalars())


class SqlNotificationRepository:
    def __init__(self, session: AsyncSession, organization_id: uuid.UUID) -> None:
        self._session = session
        self._organization_id = organization_id
        self._mine = NOTIFICATIONS.c.organization_id == organization_id

    async def add_many(self, notifications: Sequence[Notification]) -> None:
        if not notifications:
            return
        await self._session.execute(
            insert(NOTIFICATIONS),
            [
                {
                    "id": n.id,
                    "organization_id": self._organization_id,
                    "user_id": n.user_id,
                    "type": n.type,
                    "category": n.category.value,
                    "severity": n.severity.value,
                    "subject": n.subject,
                    "conversation_id": n.conversation_id,
                    "event_sequence": n.event_sequence,
                    "announced": n.announced,
                    "sound": n.sound,
                    "held_because": n.held_because.value if n.held_because else None,
                    "created_at": n.created_at,
                    "read_at": n.read_at,
                    "archived_at": n.archived_at,
                    "email_pending": n.email_pending,
                    "awaiting_summary": n.awaiting_summary,
                }
                for n in notifications
            ],
        )

    async def page(
        self,
        user_id: uuid.UUID,
        unread_only: bool,
        category: Category | None,
        severity: Severity | None,
        since: datetime | None,
        include_archived: bool,
        size: int,
        request: PageRequest,
    ) -> Page[Notification]:
        query = select(*NOTIFICATIONS.columns).where(self._mine, NOTIFICATIONS.c.user_id == user_id)
        if unread_only:
            query = query.where(NOTIFICATIONS.c.read_at.is_(None))
        if not include_archived:
            query = query.where(NOTIFICATIONS.c.archived_at.is_(None))
        if category is not None:
            query = query.where(NOTIFICATIONS.c.category == category.value)
        if severity is not None:
            query = query.where(NOTIFICATIONS.c.severity == severity.value)
        if since is not None:
            query = query.where(NOTIFICATIONS.c.created_at >= since)
        result = await self._session.execute(ORDER.select(query, request, size))
        return ORDER.page(
            list(result.mappings()),
            request,
            size,
            lambda r: Edge(encode_cursor(r["created_at"], r["id"]), notification_from_row(r)),
        )

    async def get(self, notification_id: uuid.UUID) -> Notification | None:
        result = await self._session.execute(
            select(NOTIFICATIONS).where(self._mine, NOTIFICATIONS.c.id == notification_id)
        )
        row = result.mappings().first()
        return notification_from_row(row) if row else None

    async def unread_count(self, user_id: uuid.UUID) -> int:
        count = await self._session.scalar(
            select(func.count())
            .select_from(NOTIFICATIONS)
            .where(
                self._mine,
                NOTIFICATIONS.c.user_id == user_id,
                NOTIFICATIONS.c.read_at.is_(None),
                NOTIFICATIONS.c.archived_at.is_(None),
            )
        )
        return int(count or 0)

    async def mark_read(
        self, user_id: uuid.UUID, ids: Sequence[uuid.UUID] | None, at: datetime
    ) -> int:
        statement = update(NOTIFICATIONS).where(
            self._mine, NOTIFICATIONS.c.user_id == user_id, NOTIFICATIONS.c.read_at.is_(None)
        )
        if ids is not None:
            statement = statement.where(NOTIFICATIONS.c.id.in_(list(ids)))
        result = await self._session.execute(statement.values(read_at=at))
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def archive(self, user_id: uuid.UUID, ids: Sequence[uuid.UUID], at: datetime) -> int:
        result = await self._session.execute(
            update(NOTIFICATIONS)
            .where(
                self._mine,
                NOTIFICATIONS.c.user_id == user_id,
                NOTIFICATIONS.c.id.in_(list(ids)),
                NOTIFICATIONS.c.archived_at.is_(None),
            )
            .values(archived_at=at)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def announced_since(
        self, user_ids: Sequence[uuid.UUID], since: datetime
    ) -> dict[uuid.UUID, int]:
        if not user_ids:
            return {}
        result = await self._session.execute(
            select(NOTIFICATIONS.c.user_id, func.count())
            .where(
                self._mine,
                NOTIFICATIONS.c.user_id.in_(list(user_ids)),
                NOTIFICATIONS.c.announced.is_(True),
                NOTIFICATIONS.c.created_at >= since,
            )
            .group_by(NOTIFICATIONS.c.user_id)
        )
        return {user_id: int(count) for user_id, count in result.all()}

    async def held_back_of(self, user_id: uuid.UUID) -> list[Notification]:
        result = await self._session.execute(
            select(NOTIFICATIONS)
            .where(
                self._mine,
                NOTIFICATIONS.c.user_id == user_id,
                NOTIFICATIONS.c.awaiting_summary == true(),
            )
            .with_for_update(skip_locked=True)
        )
        return [notification_from_row(row) for row in result.mappings()]

    async def summarized(self, ids: Sequence[uuid.UUID]) -> None:
        if ids:
            await self._session.execute(
                update(NOTIFICATIONS)
                .where(self._mine, NOTIFICATIONS.c.id.in_(list(ids)))
                .values(awaiting_summary=False)
            )

    async def email_pending_of(self, user_id: uuid.UUID) -> list[Notification]:
        result = await self._session.execute(
            select(NOTIFICATIONS)
            .where(
                self._mine,
                NOTIFICATIONS.c.user_id == user_id,
                NOTIFICATIONS.c.email_pending == true(),
            )
            .order_by(NOTIFICATIONS.c.created_at)
            .with_for_update(skip_locked=True)
        )
        return [notification_from_row(row) for row in result.mappings()]

    async def emailed(self, ids: Sequence[uuid.UUID]) -> None:
        if ids:
            await self._session.execute(
                update(NOTIFICATIONS)
                .where(self._mine, NOTIFICATIONS.c.id.in_(list(ids)))
                .values(email_pending=False)
            )

    async def unread_about(
        self,
        user_ids: Sequence[uuid.UUID],
        type_name: str,
        conversation_ids: Sequence[uuid.UUID],
    ) -> set[tuple[uuid.UUID, uuid.UUID]]:
        if not user_ids or not conversation_ids:
            return set()
        result = await self._session.execute(
            select(NOTIFICATIONS.c.user_id, NOTIFICATIONS.c.conversation_id).where(
                self._mine,
                NOTIFICATIONS.c.user_id.in_(list(user_ids)),
                NOTIFICATIONS.c.type == type_name,
                NOTIFICATIONS.c.conversation_id.in_(list(conversation_ids)),
                NOTIFICATIONS.c.read_at.is_(None),
                NOTIFICATIONS.c.archived_at.is_(None),
            )
        )
        return {(user_id, conversation_id) for user_id, conversation_id in result.all()}

    async def unread_subjects(
        self, user_ids: Sequence[uuid.UUID], type_names: Sequence[str]
    ) -> set[tuple[uuid.UUID, str, str]]:
        if not user_ids or not type_names:
            return set()
        result = await self._session.execute(
            select(NOTIFICATIONS.c.user_id, NOTIFICATIONS.c.type, NOTIFICATIONS.c.subject).where(
                self._mine,
                NOTIFICATIONS.c.user_id.in_(list(user_ids)),
                NOTIFICATIONS.c.type.in_(list(type_names)),
                NOTIFICATIONS.c.read_at.is_(None),
                NOTIFICATIONS.c.archived_at.is_(None),
            )
        )
        return {(user_id, kind, subject) for user_id, kind, subject in result.all()}


class SqlPreferenceRepository:
    def __init__(
        self, session: AsyncSession, organization_id: uuid.UUID, components: QueryComponents
    ) -> None:
        self._session = session
        self._organization_id = organization_id
        self._sql = components

    async def get_many(self, user_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Preferences]:
        found: dict[uuid.UUID, Preferences] = {}
        if user_ids:
            result = await self._session.execute(
                select(PREFERENCES).where(
                    PREFERENCES.c.organization_id == self._organization_id,
                    PREFERENCES.c.user_id.in_(list(user_ids)),
                )
            )
            for row in result.mappings():
                found[row["user_id"]] = preferences_from_document(
                    row["user_id"], row["document"], row["updated_at"]
                )
        return {user_id: found.get(user_id) or Preferences(user_id) for user_id in user_ids}

    async def save(self, preferences: Preferences) -> None:
        values = {
            "document": preferences_document(preferences),
            "updated_at": preferences.updated_at,
        }
        upsert = self._sql.insert(PREFERENCES)
        await self._session.execute(
            upsert.values(
                user_id=preferences.user_id, organization_id=self._organization_id, **values
            ).on_conflict_do_update(index_elements=[PREFERENCES.c.user_id], set_=values)
        )


class SqlPushSubscriptionRepository:
    def __init__(self, session: AsyncSession, organization_id: uuid.UUID) -> None:
        self._session = session
        self._organization_id = organization_id
        self._mine = SUBSCRIPTIONS.c.organization_id == organization_id

    async def add(self, subscription: PushSubscription) -> None:
        # An endpoint is one browser: whoever subscribed it last receives its pushes, even
        # when the one before was someone of another organization who signed out there.
        await self._session.execute(
            delete(SUBSCRIPTIONS).where(SUBSCRIPTIONS.c.endpoint == subscription.endpoint)
        )
        await self._session.execute(
            insert(SUBSCRIPTIONS).values(
                id=subscription.id,
                organization_id=self._organization_id,
                user_id=subscription.user_id,
                endpoint=subscription.endpoint,
                p256dh=subscription.p256dh,
                auth=subscription.auth,
                user_agent=subscription.user_agent,
                created_at=subscription.created_at,
            )
        )

    async def remove(self, user_id: uuid.UUID, endpoint: str) -> bool:
        result = await self._session.execute(
            delete(SUBSCRIPTIONS).where(
                self._mine, SUBSCRIPTIONS.c.user_id == user_id, SUBSCRIPTIONS.c.endpoint == endpoint
            )
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def of_users(
        self, user_ids: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, list[PushSubscription]]:
        found: dict[uuid.UUID, list[PushSubscription]] = {}
        if not user_ids:
            return found
        result = await self._session.execute(
            select(SUBSCRIPTIONS)
            .where(self._mine, SUBSCRIPTIONS.c.user_id.in_(list(user_ids)))
            .order_by(SUBSCRIPTIONS.c.created_at)
        )
        for row in result.mappings():
            found.setdefault(row["user_id"], []).append(push_subscription(row))
        return found

    async def deliver(
        self, pushes: Sequence[tuple[uuid.UUID, uuid.UUID]], due_at: datetime
    ) -> None:
        if pushes:
            await self._session.execute(
                insert(PUSH_DELIVERIES),
                [
                    {
                        "id": uuid.uuid4(),
                        "notification_id": notification_id,
                        "subscription_id": subscription_id,
                        "attempts": 0,
                        "due_at": due_at,
                    }
                    for notification_id, subscription_id in pushes
                ],
            )


def push_subscription(row: Mapping[Any, Any]) -> PushSubscription:
    return PushSubscription(
        id=row["id"],
        organization_id=row["organization_id"],
        user_id=row["user_id"],
        endpoint=row["endpoint"],
        p256dh=row["p256dh"],
        auth=row["auth"],
        user_agent=row["user_agent"],
        created_at=row["created_at"],
    )


class SqlNotificationCursor:
    def __init__(
        self, session: AsyncSession, organization_id: uuid.UUID, components: QueryComponents
    ) -> None:
        self._session = session
        self._organization_id = organization_id
        self._sql = components

    async def claim(self) -> int | None:
        await self._session.execute(
            self._sql.insert(CURSORS)
            .values(organization_id=self._organization_id, last_sequence=0)
            .on_conflict_do_nothing(index_elements=[CURSORS.c.organization_id])
        )
        return cast(
            int | None,
            await self._session.scalar(
                select(CURSORS.c.last_sequence)
                .where(CURSORS.c.organization_id == self._organization_id)
                .with_for_update(skip_locked=True)
            ),
        )

    async def advance(self, sequence: int) -> None:
        await self._session.execute(
            update(CURSORS)
            .where(CURSORS.c.organization_id == self._organization_id)
            .values(last_sequence=sequence)
        )


def notification_from_row(row: RowMapping) -> Notification:
    return Notification(
        id=row["id"],
        organization_id=row["organization_id"],
        user_id=row["user_id"],
        type=row["type"],
        category=Category(row["category"]),
        severity=Severity(row["severity"]),
        subject=row["subject"],
        created_at=row["created_at"],
        announced=row["announced"],
        sound=row["sound"],
        held_because=HeldBecause(row["held_because"]) if row["held_because"] else None,
        conversation_id=row["conversation_id"],
        event_sequence=row["event_sequence"],
        read_at=row["read_at"],
        archived_at=row["archived_at"],
        email_pending=row["email_pending"],
        awaiting_summary=row["awaiting_summary"],
    )


class NotificationsRepositories(RepositoryScope):
    """The organization's people's notifications and preferences, and the notifier's cursor."""

    @property
    def notifications(self) -> SqlNotificationRepository:
        return SqlNotificationRepository(self.session, self.scope())

    @property
    def notification_preferences(self) -> SqlPreferenceRepository:
        return SqlPreferenceRepository(self.session, self.scope(), self.components)

    @property
    def push_subscriptions(self) -> SqlPushSubscriptionRepository:
        return SqlPushSubscriptionRepository(self.session, self.scope())

    @property
    def notification_cursor(self) -> SqlNotificationCursor:
        return SqlNotificationCursor(self.session, self.scope(), self.components)

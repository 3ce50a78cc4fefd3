"""The caller's own notifications, the types there are, and the caller's preferences."""

from __future__ import annotations

from typing import Annotated

import strawberry

from domain.notifications.catalog import TYPES, Category, Severity
from domain.notifications.services import NotificationFilter
from domain.pagination import PageRequest
from graphql_api.context import Context
from graphql_api.notifications.inputs import NotificationFilterInput
from graphql_api.notifications.types import (
    Notification,
    NotificationChannels,
    NotificationPreferences,
    NotificationType,
    PushSubscription,
)
from graphql_api.pagination import (
    AfterArgument,
    BeforeArgument,
    Connection,
    FirstArgument,
    LastArgument,
)


@strawberry.type
class NotificationsQueries:
    @strawberry.field(
        description="The caller's own notifications, newest first, at most 100 a page; "
        "archived ones only with `filter.includeArchived`."
    )
    async def notifications(
        self,
        info: strawberry.Info[Context, None],
        filter: Annotated[
            NotificationFilterInput | None, strawberry.argument(description="Which to list.")
        ] = None,
        first: FirstArgument = None,
        after: AfterArgument = None,
        last: LastArgument = None,
        before: BeforeArgument = None,
    ) -> Connection[Notification]:
        chosen = filter or NotificationFilterInput()
        page = await info.context.services.notifications.notifications(
            info.context.actor,
            NotificationFilter(
                unread_only=chosen.unread_only,
                category=Category(chosen.category.name.lower()) if chosen.category else None,
                severity=Severity(chosen.severity.name.lower()) if chosen.severity else None,
                since=chosen.since,
                include_archived=chosen.include_archived,
            ),
            PageRequest(first, after, last, before),
        )
        return Connection.of(page, Notification.from_domain)

    @strawberry.field(
        description="How many of the caller's notifications are neither read nor archived."
    )
    async def notification_unread_count(self, info: strawberry.Info[Context, None]) -> int:
        return await info.context.services.notifications.unread_count(info.context.actor)

    @strawberry.field(description="Every type of notification PyTake makes; any member.")
    async def notification_types(
        self, info: strawberry.Info[Context, None]
    ) -> list[NotificationType]:
        info.context.actor.require_user()
        return [NotificationType.from_domain(kind) for kind in TYPES.values()]

    @strawberry.field(description="What the caller chose about their notifications.")
    async def notification_preferences(
        self, info: strawberry.Info[Context, None]
    ) -> NotificationPreferences:
        preferences = await info.context.services.notifications.preferences(info.context.actor)
        return NotificationPreferences.from_domain(preferences)

    @strawberry.field(description="How notifications can reach people here; any member.")
    async def notification_channels(
        self, info: strawberry.Info[Context, None]
    ) -> NotificationChannels:
        notifications = info.context.services.notifications
        return NotificationChannels(
            email=notifications.channels.email,
            web_push_public_key=await notifications.push_public_key(info.context.actor),
        )

    @strawberry.field(description="The caller's browsers that receive Web Push.")
    async def push_subscriptions(
        self, info: strawberry.Info[Context, None]
    ) -> list[PushSubscription]:
        subscriptions = await info.context.services.notifications.push_subscriptions(
            info.context.actor
        )
        return [PushSubscription.from_domain(subscription) for subscription in subscriptions]

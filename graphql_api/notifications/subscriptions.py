"""The caller's notifications, live."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry

from domain.notifications.events import NotificationCreated
from graphql_api.context import Context
from graphql_api.conversations.subscriptions import AfterArgument
from graphql_api.events.stream import events_of
from graphql_api.notifications.types import Notification, NotificationEvent

CREATED = frozenset({NotificationCreated.type})


@strawberry.type
class NotificationsSubscriptions:
    @strawberry.subscription(
        description="Each new notification of the caller's, with their unread count, "
        "resumable with `after`; nobody else's."
    )
    async def notification_received(
        self, info: strawberry.Info[Context, None], after: AfterArgument = None
    ) -> AsyncGenerator[NotificationEvent, None]:
        user_id, _, _ = info.context.actor.require_user()
        service = info.context.services.notifications
        async for event in events_of(info, CREATED, after):
            fact = NotificationCreated.read(event)
            if fact.user_id != user_id:
                continue
            notification = await service.notification(info.context.actor, fact.notification_id)
            if notification is None:
                continue
            yield NotificationEvent(
                event_id=strawberry.ID(str(event.sequence)),
                notification=Notification.from_domain(notification),
                unread_count=await service.unread_count(info.context.actor),
            )

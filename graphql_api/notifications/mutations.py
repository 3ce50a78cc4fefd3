"""Marking the caller's notifications read or archived, and changing their preferences."""

from __future__ import annotations

from datetime import time
from typing import Annotated

import strawberry

from domain.errors import InvalidInput
from domain.notifications.model import QuietHours
from domain.notifications.services import PreferenceChanges, TypeChoiceChange
from graphql_api.context import Context
from graphql_api.errors import ValidationError
from graphql_api.ids import parse_uuid
from graphql_api.mutations import MUTATION_INPUT, mutation
from graphql_api.notifications.inputs import (
    NotificationArchiveInput,
    NotificationMarkReadInput,
    NotificationPreferencesUpdateInput,
    PushSubscriptionAddInput,
    PushSubscriptionRemoveInput,
)
from graphql_api.notifications.types import NotificationPreferences, PushSubscription


@strawberry.type(description="The notifications are marked read.")
class NotificationMarkReadSuccess:
    unread_count: int = strawberry.field(description="The caller's unread count now.")


@strawberry.type(description="The notifications are archived.")
class NotificationArchiveSuccess:
    unread_count: int = strawberry.field(description="The caller's unread count now.")


@strawberry.type(description="The preferences are changed.")
class NotificationPreferencesUpdateSuccess:
    preferences: NotificationPreferences = strawberry.field(description="As they are now.")


@strawberry.type(description="The browser now receives the caller's announced notifications.")
class PushSubscriptionAddSuccess:
    subscription: PushSubscription = strawberry.field(description="The browser's subscription.")


@strawberry.type(description="The browser no longer receives Web Push.")
class PushSubscriptionRemoveSuccess:
    removed: bool = strawberry.field(
        description="False when the caller had no subscription with that endpoint."
    )


PushSubscriptionAddPayload = Annotated[
    PushSubscriptionAddSuccess | ValidationError,
    strawberry.union(
        "PushSubscriptionAddPayload", description="The outcome of pushSubscriptionAdd."
    ),
]
PushSubscriptionRemovePayload = Annotated[
    PushSubscriptionRemoveSuccess | ValidationError,
    strawberry.union(
        "PushSubscriptionRemovePayload", description="The outcome of pushSubscriptionRemove."
    ),
]
NotificationMarkReadPayload = Annotated[
    NotificationMarkReadSuccess | ValidationError,
    strawberry.union(
        "NotificationMarkReadPayload", description="The outcome of notificationMarkRead."
    ),
]
NotificationArchivePayload = Annotated[
    NotificationArchiveSuccess | ValidationError,
    strawberry.union(
        "NotificationArchivePayload", description="The outcome of notificationArchive."
    ),
]
NotificationPreferencesUpdatePayload = Annotated[
    NotificationPreferencesUpdateSuccess | ValidationError,
    strawberry.union(
        "NotificationPreferencesUpdatePayload",
        description="The outcome of notificationPreferencesUpdate.",
    ),
]


@strawberry.type
class NotificationsMutations:
    @mutation(
        description="Mark some of the caller's notifications read, or all of them; ids that "
        "are not the caller's change nothing. Audited with how many changed."
    )
    async def notification_mark_read(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[NotificationMarkReadInput, MUTATION_INPUT],
    ) -> NotificationMarkReadPayload:
        if input.all == (input.ids is not None):
            raise InvalidInput("give either ids or all: true", field="ids")
        ids = None if input.all else [parse_uuid(i, "ids") for i in input.ids or []]
        unread = await info.context.services.notifications.mark_read(info.context.actor, ids)
        return NotificationMarkReadSuccess(unread_count=unread)

    @mutation(
        description="Archive some of the caller's notifications (out of the center's list); "
        "ids that are not the caller's change nothing. Audited with how many changed."
    )
    async def notification_archive(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[NotificationArchiveInput, MUTATION_INPUT],
    ) -> NotificationArchivePayload:
        ids = [parse_uuid(i, "ids") for i in input.ids]
        unread = await info.context.services.notifications.archive(info.context.actor, ids)
        return NotificationArchiveSuccess(unread_count=unread)

    @mutation(
        description="Change what the caller chose about their notifications; audited with "
        "each preference before and after."
    )
    async def notification_preferences_update(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[NotificationPreferencesUpdateInput, MUTATION_INPUT],
    ) -> NotificationPreferencesUpdatePayload:
        quiet = input.quiet_hours
        preferences = await info.context.services.notifications.update_preferences(
            info.context.actor,
            PreferenceChanges(
                types={
                    choice.type: TypeChoiceChange(
                        in_app=choice.in_app,
                        sound=choice.sound,
                        push=choice.push,
                        email=choice.email,
                    )
                    for choice in input.types
                }
                if input.types is not None
                else None,
                time_zone=input.time_zone,
                follow_organization_time_zone=input.follow_organization_time_zone,
                quiet_hours=QuietHours(_clock_time(quiet.start), _clock_time(quiet.end))
                if quiet
                else None,
                clear_quiet_hours=input.clear_quiet_hours,
                do_not_disturb_until=input.do_not_disturb_until,
                end_do_not_disturb=input.end_do_not_disturb,
                urgent_passes=input.urgent_passes,
                max_announced_per_minute=input.max_announced_per_minute,
                sound_volume=input.sound_volume,
            ),
        )
        return NotificationPreferencesUpdateSuccess(
            preferences=NotificationPreferences.from_domain(preferences)
        )

    @mutation(
        description="Send the caller's announced notifications to this browser as Web Push "
        "(encrypted for it, RFC 8291). A browser belongs to whoever subscribed it last. "
        "Audited with the push service's host, never the endpoint."
    )
    async def push_subscription_add(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[PushSubscriptionAddInput, MUTATION_INPUT],
    ) -> PushSubscriptionAddPayload:
        subscription = await info.context.services.notifications.add_push_subscription(
            info.context.actor, input.endpoint, input.p256dh, input.auth, input.user_agent
        )
        return PushSubscriptionAddSuccess(subscription=PushSubscription.from_domain(subscription))

    @mutation(description="Stop sending Web Push to one of the caller's browsers; audited.")
    async def push_subscription_remove(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[PushSubscriptionRemoveInput, MUTATION_INPUT],
    ) -> PushSubscriptionRemovePayload:
        removed = await info.context.services.notifications.remove_push_subscription(
            info.context.actor, input.endpoint
        )
        return PushSubscriptionRemoveSuccess(removed=removed)


def _clock_time(value: str) -> time:
    try:
        parsed = time.fromisoformat(value)
    except ValueError as error:
        raise InvalidInput(f"'{value}' is not a time of day as HH:MM", "quietHours") from error
    if len(value) != 5 or parsed.second or parsed.microsecond:
        raise InvalidInput(f"'{value}' is not a time of day as HH:MM", "quietHours")
    return parsed

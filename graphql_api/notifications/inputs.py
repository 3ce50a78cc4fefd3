"""Filtering notifications, marking them, and changing preferences."""

from __future__ import annotations

from datetime import datetime

import strawberry

from graphql_api.notifications.types import NotificationCategory, NotificationSeverity


@strawberry.input(description="Which of the caller's notifications to list.")
class NotificationFilterInput:
    unread_only: bool = strawberry.field(default=False, description="Only those not yet read.")
    category: NotificationCategory | None = strawberry.field(
        default=None, description="Only this category."
    )
    severity: NotificationSeverity | None = strawberry.field(
        default=None, description="Only this severity."
    )
    since: datetime | None = strawberry.field(default=None, description="Only those made since.")
    include_archived: bool = strawberry.field(default=False, description="Archived ones too.")


@strawberry.input(description="Which of the caller's notifications to mark read.")
class NotificationMarkReadInput:
    ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="These (at most 100); with `all`, leave it out."
    )
    all: bool = strawberry.field(default=False, description="Every unread one.")


@strawberry.input(description="Which of the caller's notifications to archive.")
class NotificationArchiveInput:
    ids: list[strawberry.ID] = strawberry.field(description="These (at most 100).")


@strawberry.input(description="A choice about one type of notification.")
class NotificationTypePreferenceInput:
    type: str = strawberry.field(description="The type's name (`notificationTypes`).")
    in_app: bool = strawberry.field(description="Keep and announce it in the app.")
    sound: bool = strawberry.field(default=True, description="With a sound.")
    push: bool | None = strawberry.field(
        default=None,
        description="Sent as Web Push to the person's subscribed browsers when announced; "
        "null keeps the current choice.",
    )
    email: bool | None = strawberry.field(
        default=None,
        description="In the person's e-mail digest when still unread; null keeps the current "
        "choice.",
    )


@strawberry.input(description="Daily quiet hours in the caller's time zone.")
class QuietHoursInput:
    start: str = strawberry.field(description="HH:MM.")
    end: str = strawberry.field(description="HH:MM; before `start` to run past midnight.")


@strawberry.input(description="What to change in the caller's preferences; null leaves it.")
class NotificationPreferencesUpdateInput:
    types: list[NotificationTypePreferenceInput] | None = strawberry.field(
        default=None, description="Only the types named change."
    )
    time_zone: str | None = strawberry.field(
        default=None, description="An IANA time zone for quiet hours."
    )
    follow_organization_time_zone: bool = strawberry.field(
        default=False, description="Use the organization's time zone again."
    )
    quiet_hours: QuietHoursInput | None = strawberry.field(
        default=None, description="Set quiet hours."
    )
    clear_quiet_hours: bool = strawberry.field(default=False, description="No quiet hours.")
    do_not_disturb_until: datetime | None = strawberry.field(
        default=None, description="Turn do-not-disturb on until then (in the future)."
    )
    end_do_not_disturb: bool = strawberry.field(
        default=False, description="Turn do-not-disturb off now."
    )
    urgent_passes: bool | None = strawberry.field(
        default=None, description="Announce urgent ones through do-not-disturb and quiet hours."
    )
    max_announced_per_minute: int | None = strawberry.field(default=None, description="1 to 120.")
    sound_volume: int | None = strawberry.field(
        default=None, description="The tone's volume in the console, 0 to 100."
    )


@strawberry.input(description="A browser's Web Push subscription, as PushSubscription.toJSON().")
class PushSubscriptionAddInput:
    endpoint: str = strawberry.field(description="The push service's URL for this browser.")
    p256dh: str = strawberry.field(
        description="`keys.p256dh`: the browser's P-256 public key, base64url."
    )
    auth: str = strawberry.field(
        description="`keys.auth`: the browser's 16-byte authentication secret, base64url."
    )
    user_agent: str | None = strawberry.field(
        default=None, description="Which browser it is, to tell the person's browsers apart."
    )


@strawberry.input(description="A browser that no longer wants Web Push.")
class PushSubscriptionRemoveInput:
    endpoint: str = strawberry.field(description="The subscription's endpoint.")

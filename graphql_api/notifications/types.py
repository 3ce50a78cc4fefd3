"""A person's notifications, the types there are, and their preferences."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry

from domain.accounts.model import Role
from domain.notifications import catalog, push
from domain.notifications import model as domain
from graphql_api.accounts.types import UserRole


@strawberry.enum(description="What a notification is about.")
class NotificationCategory(Enum):
    CONVERSATIONS = strawberry.enum_value("conversations", description="Conversations of yours.")
    QUEUES = strawberry.enum_value("queues", description="Queues you answer or supervise.")
    AI = strawberry.enum_value("ai", description="Alerts on customers' sentiment.")
    SYSTEM = strawberry.enum_value("system", description="Numbers and sending.")
    SECURITY = strawberry.enum_value("security", description="Access to the organization.")


@strawberry.enum(description="How much a notification matters.")
class NotificationSeverity(Enum):
    INFO = strawberry.enum_value("info", description="Worth knowing.")
    WARNING = strawberry.enum_value("warning", description="Worth acting on.")
    URGENT = strawberry.enum_value(
        "urgent",
        description="Act now; announced through do-not-disturb and quiet hours unless the "
        "person chose otherwise (`urgentPasses`).",
    )


@strawberry.enum(description="Why a notification was kept without being announced.")
class NotificationHeldBecause(Enum):
    DO_NOT_DISTURB = strawberry.enum_value(
        "do_not_disturb", description="The person's do-not-disturb was on."
    )
    QUIET_HOURS = strawberry.enum_value(
        "quiet_hours", description="It came in the person's quiet hours."
    )
    FREQUENCY_LIMIT = strawberry.enum_value(
        "frequency_limit",
        description="The person had been shown as many as they allow in a minute.",
    )


@strawberry.type(description="Something a person was told about.")
class Notification:
    id: strawberry.ID = strawberry.field(description="PyTake's id of the notification.")
    type: str = strawberry.field(description="Its type's name (`notificationTypes` lists them).")
    category: NotificationCategory = strawberry.field(description="Its type's category.")
    severity: NotificationSeverity = strawberry.field(description="Its type's severity.")
    subject: str = strawberry.field(
        description="What happened, in a line, in the organization's language."
    )
    conversation_id: strawberry.ID | None = strawberry.field(
        description="The conversation it is about, if any: where clicking it leads."
    )
    created_at: datetime = strawberry.field(
        description="When what it reports happened (UTC); newest first in lists."
    )
    announced: bool = strawberry.field(
        description="Shown as it came (a toast, and a sound if `sound`); false when held."
    )
    sound: bool = strawberry.field(description="Announced with a sound, as the person chose.")
    held_because: NotificationHeldBecause | None = strawberry.field(
        description="Why it was not announced, when it was not."
    )
    read_at: datetime | None = strawberry.field(description="When the person read it.")
    archived_at: datetime | None = strawberry.field(
        description="When the person archived it (out of the center's list)."
    )

    @classmethod
    def from_domain(cls, notification: domain.Notification) -> Notification:
        return cls(
            id=strawberry.ID(str(notification.id)),
            type=notification.type,
            category=NotificationCategory(notification.category.value),
            severity=NotificationSeverity(notification.severity.value),
            subject=notification.subject,
            conversation_id=strawberry.ID(str(notification.conversation_id))
            if notification.conversation_id
            else None,
            created_at=notification.created_at,
            announced=notification.announced,
            sound=notification.sound,
            held_because=NotificationHeldBecause(notification.held_because.value)
            if notification.held_because
            else None,
            read_at=notification.read_at,
            archived_at=notification.archived_at,
        )


@strawberry.type(description="A kind of notification PyTake makes.")
class NotificationType:
    name: str = strawberry.field(description="Its name, as notifications and preferences use.")
    category: NotificationCategory = strawberry.field(description="What it is about.")
    severity: NotificationSeverity = strawberry.field(description="How much it matters.")
    description: str = strawberry.field(description="When it is made, and for whom.")
    on_by_default: bool = strawberry.field(
        description="Shown in the center unless the person turns it off."
    )
    email_by_default: bool = strawberry.field(
        description="In the e-mail digest unless the person turns it off."
    )
    roles: list[UserRole] = strawberry.field(
        description="The roles that can receive it (the others never do)."
    )

    @classmethod
    def from_domain(cls, kind: catalog.NotificationType) -> NotificationType:
        return cls(
            name=kind.name,
            category=NotificationCategory(kind.category.value),
            severity=NotificationSeverity(kind.severity.value),
            description=kind.description,
            on_by_default=kind.on_by_default,
            email_by_default=kind.email_by_default,
            roles=[UserRole(role.value) for role in sorted(kind.roles, key=list(Role).index)],
        )


@strawberry.type(description="A person's choice about one type of notification.")
class NotificationTypePreference:
    type: str = strawberry.field(description="The type's name.")
    in_app: bool = strawberry.field(description="Kept in the center, and announced in the app.")
    sound: bool = strawberry.field(description="Announced with a sound.")
    push: bool = strawberry.field(
        description="Sent as Web Push to the person's subscribed browsers when announced."
    )
    email: bool = strawberry.field(
        description="In the person's e-mail digest when still unread (if the installation "
        "sends e-mail)."
    )


@strawberry.type(description="A daily stretch without announcements, in the person's time zone.")
class QuietHours:
    start: str = strawberry.field(description="When it starts, HH:MM.")
    end: str = strawberry.field(
        description="When it ends, HH:MM; before `start` when it runs past midnight."
    )


@strawberry.type(description="What a person chose about their notifications.")
class NotificationPreferences:
    types: list[NotificationTypePreference] = strawberry.field(
        description="Every type, as it applies to the person (their choice or the default)."
    )
    time_zone: str | None = strawberry.field(
        description="The IANA time zone quiet hours are in; null follows the organization's."
    )
    quiet_hours: QuietHours | None = strawberry.field(
        description="Daily hours without announcements; null when there are none."
    )
    do_not_disturb_until: datetime | None = strawberry.field(
        description="Nothing is announced until then (urgent ones if `urgentPasses`); null "
        "when off."
    )
    urgent_passes: bool = strawberry.field(
        description="Urgent notifications are announced through do-not-disturb and quiet hours."
    )
    max_announced_per_minute: int = strawberry.field(
        description="At most this many announced in any minute; the rest are kept, held."
    )
    sound_volume: int = strawberry.field(
        description="The volume of the console's tone for announced notifications, 0 to 100."
    )
    updated_at: datetime | None = strawberry.field(
        description="When the person last changed them; null while they are the defaults."
    )

    @classmethod
    def from_domain(cls, preferences: domain.Preferences) -> NotificationPreferences:
        quiet = preferences.quiet_hours
        return cls(
            types=[
                NotificationTypePreference(
                    type=kind.name,
                    in_app=choice.in_app,
                    sound=choice.sound,
                    push=choice.push,
                    email=choice.email,
                )
                for kind in catalog.TYPES.values()
                for choice in [preferences.choice(kind)]
            ],
            time_zone=preferences.time_zone,
            quiet_hours=QuietHours(
                start=quiet.start.isoformat("minutes"), end=quiet.end.isoformat("minutes")
            )
            if quiet
            else None,
            do_not_disturb_until=preferences.do_not_disturb_until,
            urgent_passes=preferences.urgent_passes,
            max_announced_per_minute=preferences.max_announced_per_minute,
            sound_volume=preferences.sound_volume,
            updated_at=preferences.updated_at,
        )


@strawberry.type(description="A notification for the subscriber arrived.")
class NotificationEvent:
    event_id: strawberry.ID = strawberry.field(
        description="The event's id; pass the last one as `after` when resubscribing."
    )
    notification: Notification = strawberry.field(description="The notification.")
    unread_count: int = strawberry.field(description="The subscriber's unread count now.")


@strawberry.type(description="How notifications can reach people on this installation.")
class NotificationChannels:
    email: bool = strawberry.field(
        description="A mail server is configured: e-mail digests go out."
    )
    web_push_public_key: str = strawberry.field(
        description="The VAPID application server key browsers subscribe to Web Push with "
        "(`applicationServerKey`), base64url."
    )


@strawberry.type(description="A browser of the caller's that receives Web Push.")
class PushSubscription:
    id: strawberry.ID = strawberry.field(description="PyTake's id of the subscription.")
    endpoint: str = strawberry.field(
        description="The push service's URL for the browser, to compare with the browser's own."
    )
    user_agent: str | None = strawberry.field(description="Which browser it is, as it said.")
    created_at: datetime = strawberry.field(description="When the browser subscribed.")

    @classmethod
    def from_domain(cls, subscription: push.PushSubscription) -> PushSubscription:
        return cls(
            id=strawberry.ID(str(subscription.id)),
            endpoint=subscription.endpoint,
            user_agent=subscription.user_agent,
            created_at=subscription.created_at,
        )

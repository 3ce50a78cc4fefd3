"""A person's own notifications and preferences: only ever their own, whatever their role."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Protocol
from urllib.parse import urlsplit
from uuid import UUID, uuid4

from domain.accounts.model import Actor
from domain.accounts.services import checked_time_zone
from domain.audit import AuditEntry
from domain.clock import Clock
from domain.errors import InvalidInput
from domain.notifications.catalog import TYPES, Category, Severity
from domain.notifications.events import NotificationPreferencesUpdated, NotificationsChanged
from domain.notifications.model import (
    Notification,
    Preferences,
    QuietHours,
    TypeChoice,
    preferences_document,
)
from domain.notifications.ports import NotificationsUnitOfWork
from domain.notifications.push import PushSubscription, checked_subscription
from domain.pagination import Page, PageRequest
from domain.unit_of_work import UnitOfWorkFactory

MAX_ANNOUNCED_PER_MINUTE = 120
MAX_IDS = 100
MAX_USER_AGENT = 300
MAX_SOUND_VOLUME = 100
AUDITED_AS = {"read": "notification.read", "archived": "notification.archive"}


@dataclass(frozen=True)
class Channels:
    """What this installation can deliver besides the center."""

    email: bool
    """A mail server is configured, so e-mail digests go out."""
    push_over_http: bool = False
    """Push services may be plain http (a local test push service), not only https."""


class PushKeys(Protocol):
    async def public_key(self) -> str:
        """The VAPID application server key, base64url."""
        ...


@dataclass(frozen=True)
class NotificationFilter:
    unread_only: bool = False
    category: Category | None = None
    severity: Severity | None = None
    since: datetime | None = None
    include_archived: bool = False


@dataclass(frozen=True)
class TypeChoiceChange:
    """A person's new choice about a type; None keeps a channel as it was."""

    in_app: bool
    sound: bool = True
    push: bool | None = None
    email: bool | None = None


@dataclass(frozen=True)
class PreferenceChanges:
    """What to change; None leaves a preference as it is."""

    types: Mapping[str, TypeChoiceChange] | None = None
    """Only the types named change."""
    time_zone: str | None = None
    follow_organization_time_zone: bool = False
    quiet_hours: QuietHours | None = None
    clear_quiet_hours: bool = False
    do_not_disturb_until: datetime | None = None
    end_do_not_disturb: bool = False
    urgent_passes: bool | None = None
    max_announced_per_minute: int | None = None
    sound_volume: int | None = None


class NotificationService:
    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory[NotificationsUnitOfWork],
        clock: Clock,
        push_keys: PushKeys,
        channels: Channels,
    ) -> None:
        self._uow = unit_of_work
        self._clock = clock
        self._push_keys = push_keys
        self._channels = channels

    @property
    def channels(self) -> Channels:
        return self._channels

    async def push_public_key(self, actor: Actor) -> str:
        actor.require_user()
        return await self._push_keys.public_key()

    async def add_push_subscription(
        self, actor: Actor, endpoint: str, p256dh: str, auth: str, user_agent: str | None
    ) -> PushSubscription:
        """This browser now receives the person's announced notifications as Web Push."""
        user_id, organization_id, _ = actor.require_user()
        checked_subscription(endpoint, p256dh, auth, self._channels.push_over_http)
        subscription = PushSubscription(
            id=uuid4(),
            organization_id=organization_id,
            user_id=user_id,
            endpoint=endpoint,
            p256dh=p256dh,
            auth=auth,
            user_agent=(user_agent or "")[:MAX_USER_AGENT] or None,
            created_at=self._clock.now(),
        )
        async with self._uow(organization_id) as uow:
            await uow.push_subscriptions.add(subscription)
            uow.audit(self._browser_audit(actor, "push_subscription.add", subscription))
            await uow.commit()
        return subscription

    async def remove_push_subscription(self, actor: Actor, endpoint: str) -> bool:
        """False when the person had no such subscription."""
        user_id, organization_id, _ = actor.require_user()
        async with self._uow(organization_id) as uow:
            removed = await uow.push_subscriptions.remove(user_id, endpoint)
            if removed:
                uow.audit(
                    AuditEntry(
                        organization_id=organization_id,
                        action="push_subscription.remove",
                        target_type="user",
                        target_id=str(user_id),
                        occurred_at=self._clock.now(),
                        actor_user_id=user_id,
                        client_ip=actor.client_ip,
                        changes={"pushService": _push_service(endpoint)},
                    )
                )
                await uow.commit()
        return removed

    async def push_subscriptions(self, actor: Actor) -> list[PushSubscription]:
        user_id, organization_id, _ = actor.require_user()
        async with self._uow(organization_id, read_only=True) as uow:
            return (await uow.push_subscriptions.of_users([user_id])).get(user_id, [])

    def _browser_audit(
        self, actor: Actor, action: str, subscription: PushSubscription
    ) -> AuditEntry:
        return AuditEntry(
            organization_id=subscription.organization_id,
            action=action,
            target_type="user",
            target_id=str(subscription.user_id),
            occurred_at=subscription.created_at,
            actor_user_id=subscription.user_id,
            client_ip=actor.client_ip,
            # The push service, not the endpoint: the endpoint is a capability to push.
            changes={
                "pushService": _push_service(subscription.endpoint),
                "userAgent": subscription.user_agent,
            },
        )

    async def notifications(
        self, actor: Actor, filter: NotificationFilter, request: PageRequest
    ) -> Page[Notification]:
        """Newest first."""
        user_id, organization_id, _ = actor.require_user()
        async with self._uow(organization_id, read_only=True) as uow:
            return await uow.notifications.page(
                user_id,
                filter.unread_only,
                filter.category,
                filter.severity,
                filter.since,
                filter.include_archived,
                request.size(),
                request,
            )

    async def notification(self, actor: Actor, notification_id: UUID) -> Notification | None:
        user_id, organization_id, _ = actor.require_user()
        async with self._uow(organization_id, read_only=True) as uow:
            found = await uow.notifications.get(notification_id)
        return found if found is not None and found.user_id == user_id else None

    async def unread_count(self, actor: Actor) -> int:
        user_id, organization_id, _ = actor.require_user()
        async with self._uow(organization_id, read_only=True) as uow:
            return await uow.notifications.unread_count(user_id)

    async def mark_read(self, actor: Actor, ids: Sequence[UUID] | None) -> int:
        """The given ones, or every one with None; the unread count afterwards."""
        user_id, organization_id, _ = actor.require_user()
        _checked_ids(ids, required=False)
        async with self._uow(organization_id) as uow:
            changed = await uow.notifications.mark_read(user_id, ids, self._clock.now())
            return await self._changed(uow, actor, "read", changed)

    async def archive(self, actor: Actor, ids: Sequence[UUID]) -> int:
        """Out of the center's list (still listed with `includeArchived`); the unread count
        afterwards."""
        user_id, organization_id, _ = actor.require_user()
        _checked_ids(ids, required=True)
        async with self._uow(organization_id) as uow:
            changed = await uow.notifications.archive(user_id, ids, self._clock.now())
            return await self._changed(uow, actor, "archived", changed)

    async def _changed(
        self, uow: NotificationsUnitOfWork, actor: Actor, change: str, count: int
    ) -> int:
        """Announced to the person's other tabs, and audited with how many changed."""
        user_id, organization_id, _ = actor.require_user()
        unread = await uow.notifications.unread_count(user_id)
        if count:
            uow.emit(
                NotificationsChanged(
                    organization_id=organization_id,
                    user_id=user_id,
                    change=change,
                    unread_count=unread,
                )
            )
            uow.audit(
                AuditEntry(
                    organization_id=organization_id,
                    action=AUDITED_AS[change],
                    target_type="user",
                    target_id=str(user_id),
                    occurred_at=self._clock.now(),
                    actor_user_id=user_id,
                    client_ip=actor.client_ip,
                    changes={"count": count},
                )
            )
            await uow.commit()
        return unread

    async def preferences(self, actor: Actor) -> Preferences:
        user_id, organization_id, _ = actor.require_user()
        async with self._uow(organization_id, read_only=True) as uow:
            return (await uow.notification_preferences.get_many([user_id]))[user_id]

    async def update_preferences(self, actor: Actor, changes: PreferenceChanges) -> Preferences:
        """Audited with each changed preference before and after."""
        user_id, organization_id, _ = actor.require_user()
        now = self._clock.now()
        async with self._uow(organization_id) as uow:
            current = (await uow.notification_preferences.get_many([user_id]))[user_id]
            updated = replace(_changed(current, changes, now), updated_at=now)
            before, after = preferences_document(current), preferences_document(updated)
            changed = [key for key in after if after[key] != before[key]]
            if not changed:
                return current
            await uow.notification_preferences.save(updated)
            uow.emit(
                NotificationPreferencesUpdated(organization_id=organization_id, user_id=user_id)
            )
            uow.audit(
                AuditEntry(
                    organization_id=organization_id,
                    action="notification_preferences.update",
                    target_type="user",
                    target_id=str(user_id),
                    occurred_at=now,
                    actor_user_id=user_id,
                    client_ip=actor.client_ip,
                    changes={key: {"before": before[key], "after": after[key]} for key in changed},
                )
            )
            await uow.commit()
        return updated


def _checked_volume(current: int, wanted: int | None) -> int:
    if wanted is None:
        return current
    if not 0 <= wanted <= MAX_SOUND_VOLUME:
        raise InvalidInput(f"soundVolume is between 0 and {MAX_SOUND_VOLUME}", "soundVolume")
    return wanted


def _push_service(endpoint: str) -> str:
    return urlsplit(endpoint).hostname or ""


def _checked_ids(ids: Sequence[UUID] | None, required: bool) -> None:
    if ids is None:
        if required:
            raise InvalidInput("name the notifications", field="ids")
        return
    if not ids:
        raise InvalidInput("name at least one notification", field="ids")
    if len(ids) > MAX_IDS:
        raise InvalidInput(f"at most {MAX_IDS} notifications at once", field="ids")


def _changed(current: Preferences, changes: PreferenceChanges, now: datetime) -> Preferences:
    types = dict(current.types)
    for name, choice in (changes.types or {}).items():
        if name not in TYPES:
            raise InvalidInput(
                f"'{name}' is not a notification type (notificationTypes lists them)",
                field="types",
            )
        was = current.choice(TYPES[name])
        types[name] = TypeChoice(
            in_app=choice.in_app,
            sound=choice.sound,
            push=was.push if choice.push is None else choice.push,
            email=was.email if choice.email is None else choice.email,
        )
    time_zone = current.time_zone
    if changes.follow_organization_time_zone:
        time_zone = None
    elif changes.time_zone is not None:
        time_zone = checked_time_zone(changes.time_zone)
    quiet = current.quiet_hours
    if changes.clear_quiet_hours:
        quiet = None
    elif changes.quiet_hours is not None:
        if changes.quiet_hours.start == changes.quiet_hours.end:
            raise InvalidInput("quiet hours must start and end at different times", "quietHours")
        quiet = changes.quiet_hours
    until = current.do_not_disturb_until
    if changes.end_do_not_disturb:
        until = None
    elif changes.do_not_disturb_until is not None:
        if changes.do_not_disturb_until <= now:
            raise InvalidInput("do-not-disturb must end in the future", "doNotDisturbUntil")
        until = changes.do_not_disturb_until
    limit = current.max_announced_per_minute
    if changes.max_announced_per_minute is not None:
        limit = changes.max_announced_per_minute
        if not 1 <= limit <= MAX_ANNOUNCED_PER_MINUTE:
            raise InvalidInput(
                f"maxAnnouncedPerMinute is between 1 and {MAX_ANNOUNCED_PER_MINUTE}",
                "maxAnnouncedPerMinute",
            )
    return replace(
        current,
        types=types,
        time_zone=time_zone,
        quiet_hours=quiet,
        do_not_disturb_until=until,
        urgent_passes=current.urgent_passes
        if changes.urgent_passes is None
        else changes.urgent_passes,
        max_announced_per_minute=limit,
        sound_volume=_checked_volume(current.sound_volume, changes.sound_volume),
    )

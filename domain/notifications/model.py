"""A person's notifications and their choices about them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, time
from enum import StrEnum
from typing import Any
from uuid import UUID

from domain.notifications.catalog import TYPES, Category, NotificationType, Severity

DEFAULT_MAX_ANNOUNCED_PER_MINUTE = 10
DEFAULT_SOUND_VOLUME = 60


class HeldBecause(StrEnum):
    """Why a notification was kept in the center without a toast, a sound or a push."""

    DO_NOT_DISTURB = "do_not_disturb"
    QUIET_HOURS = "quiet_hours"
    FREQUENCY_LIMIT = "frequency_limit"


@dataclass(frozen=True)
class Notification:
    id: UUID
    organization_id: UUID
    user_id: UUID
    type: str
    category: Category
    severity: Severity
    subject: str
    created_at: datetime
    announced: bool
    """Shown as it came (a toast, a sound if chosen); False when held."""
    sound: bool
    held_because: HeldBecause | None = None
    conversation_id: UUID | None = None
    event_sequence: int | None = None
    """The organization event it was made from."""
    read_at: datetime | None = None
    archived_at: datetime | None = None
    email_pending: bool = False
    """Waiting for the person's next e-mail digest."""
    awaiting_summary: bool = False
    """Held by the frequency limit, and not yet counted in a `held_back` notification."""


@dataclass(frozen=True)
class QuietHours:
    """A daily stretch in the person's time zone; one that ends before it starts runs past
    midnight (22:00 to 07:00)."""

    start: time
    end: time

    def covers(self, local: time) -> bool:
        if self.start <= self.end:
            return self.start <= local < self.end
        return local >= self.start or local < self.end


@dataclass(frozen=True)
class TypeChoice:
    in_app: bool
    """Made at all: kept in the center, and shown as a toast when announced. Off turns the type
    off on every channel."""
    sound: bool = True
    push: bool = True
    """Sent to the person's browsers that subscribed to Web Push, when announced."""
    email: bool = False
    """In the person's e-mail digest, if still unread when the digest goes out."""


@dataclass(frozen=True)
class Preferences:
    user_id: UUID
    types: Mapping[str, TypeChoice] = field(default_factory=dict)
    """Only the types the person changed; the others follow their default."""
    time_zone: str | None = None
    """An IANA zone; None follows the organization's."""
    quiet_hours: QuietHours | None = None
    do_not_disturb_until: datetime | None = None
    urgent_passes: bool = True
    """Urgent notifications are announced through do-not-disturb and quiet hours."""
    max_announced_per_minute: int = DEFAULT_MAX_ANNOUNCED_PER_MINUTE
    sound_volume: int = DEFAULT_SOUND_VOLUME
    """0 to 100, for the console's tone."""
    updated_at: datetime | None = None

    def choice(self, kind: NotificationType) -> TypeChoice:
        return self.types.get(kind.name) or TypeChoice(
            in_app=kind.on_by_default, email=kind.email_by_default
        )


def preferences_document(preferences: Preferences) -> dict[str, Any]:
    """As stored: plain JSON, read back by `preferences_from_document`."""
    quiet = preferences.quiet_hours
    until = preferences.do_not_disturb_until
    return {
        "types": {
            name: {
                "inApp": choice.in_app,
                "sound": choice.sound,
                "push": choice.push,
                "email": choice.email,
            }
            for name, choice in sorted(preferences.types.items())
        },
        "timeZone": preferences.time_zone,
        "quietHours": (
            {"start": quiet.start.isoformat("minutes"), "end": quiet.end.isoformat("minutes")}
            if quiet
            else None
        ),
        "doNotDisturbUntil": until.isoformat() if until else None,
        "urgentPasses": preferences.urgent_passes,
        "maxAnnouncedPerMinute": preferences.max_announced_per_minute,
        "soundVolume": preferences.sound_volume,
    }


def preferences_from_document(
    user_id: UUID, document: Mapping[str, Any], updated_at: datetime | None
) -> Preferences:
    quiet = document.get("quietHours")
    until = document.get("doNotDisturbUntil")
    return Preferences(
        user_id=user_id,
        types={
            name: TypeChoice(
                in_app=bool(choice["inApp"]),
                sound=bool(choice["sound"]),
                push=bool(choice.get("push", True)),
                email=bool(choice.get("email", name in TYPES and TYPES[name].email_by_default)),
            )
            for name, choice in document.get("types", {}).items()
        },
        time_zone=document.get("timeZone"),
        quiet_hours=(
            QuietHours(time.fromisoformat(quiet["start"]), time.fromisoformat(quiet["end"]))
            if quiet
            else None
        ),
        do_not_disturb_until=datetime.fromisoformat(until) if until else None,
        urgent_passes=bool(document.get("urgentPasses", True)),
        max_announced_per_minute=int(
            document.get("maxAnnouncedPerMinute", DEFAULT_MAX_ANNOUNCED_PER_MINUTE)
        ),
        sound_volume=int(document.get("soundVolume", DEFAULT_SOUND_VOLUME)),
        updated_at=updated_at,
    )

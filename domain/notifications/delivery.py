"""Whether a notification is kept, and whether it is announced: a pure decision over the
person's preferences, the time and how many they were just shown."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from domain.notifications.catalog import NotificationType, Severity
from domain.notifications.model import HeldBecause, Preferences


@dataclass(frozen=True)
class Delivery:
    kept: bool
    """False: the person turned the type off, and it is not stored."""
    announced: bool = False
    sound: bool = False
    held_because: HeldBecause | None = None
    push: bool = False
    """Sent to the person's subscribed browsers: only what is announced, so do-not-disturb,
    quiet hours and the frequency limit hold pushes back too."""
    email: bool = False
    """Waits for the person's next e-mail digest."""


NOT_KEPT = Delivery(kept=False)


def delivery(
    kind: NotificationType,
    preferences: Preferences,
    organization_time_zone: str,
    now: datetime,
    announced_in_last_minute: int,
) -> Delivery:
    choice = preferences.choice(kind)
    if not choice.in_app:
        return NOT_KEPT
    held = _held(kind, preferences, organization_time_zone, now, announced_in_last_minute)
    if held is not None:
        return Delivery(kept=True, held_because=held, email=choice.email)
    return Delivery(
        kept=True, announced=True, sound=choice.sound, push=choice.push, email=choice.email
    )


def _held(
    kind: NotificationType,
    preferences: Preferences,
    organization_time_zone: str,
    now: datetime,
    announced_in_last_minute: int,
) -> HeldBecause | None:
    urgent_passes = kind.severity is Severity.URGENT and preferences.urgent_passes
    if not urgent_passes:
        until = preferences.do_not_disturb_until
        if until is not None and now < until:
            return HeldBecause.DO_NOT_DISTURB
        quiet = preferences.quiet_hours
        zone = ZoneInfo(preferences.time_zone or organization_time_zone)
        if quiet is not None and quiet.covers(now.astimezone(zone).time()):
            return HeldBecause.QUIET_HOURS
    # Even urgent ones: a flood of toasts helps no one; the center still holds them all.
    if announced_in_last_minute >= preferences.max_announced_per_minute:
        return HeldBecause.FREQUENCY_LIMIT
    return None

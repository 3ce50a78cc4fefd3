"""Whether a notification is kept and announced: the person's choices, their time zone, and how
many they were just shown."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

import pytest

from domain.notifications.catalog import (
    AI_ALERT,
    CONVERSATION_ASSIGNED,
    MESSAGE_WHILE_AWAY,
    NUMBER_UNHEALTHY,
)
from domain.notifications.delivery import Delivery, delivery
from domain.notifications.model import (
    HeldBecause,
    Preferences,
    QuietHours,
    TypeChoice,
    preferences_document,
    preferences_from_document,
)

ORGANIZATION_ZONE = "America/Sao_Paulo"
"""UTC-3 all year (Brazil dropped daylight saving in 2019)."""
NOON_IN_SAO_PAULO = datetime(2026, 12, 5, 15, 0, tzinfo=UTC)


def preferences(**changes: object) -> Preferences:
    return replace(Preferences(uuid.uuid4()), **changes)  # type: ignore[arg-type]


def night_in_sao_paulo_but_next_day_in_utc() -> datetime:
    """23:30 on the 5th in São Paulo is 02:30 on the 6th in UTC."""
    return datetime(2026, 12, 6, 2, 30, tzinfo=UTC)


def test_a_type_left_at_its_default_is_announced_with_sound() -> None:
    decided = delivery(
        CONVERSATION_ASSIGNED, preferences(), ORGANIZATION_ZONE, NOON_IN_SAO_PAULO, 0
    )
    assert decided == Delivery(kept=True, announced=True, sound=True, push=True)


def test_a_type_turned_off_is_not_kept_at_all() -> None:
    off = preferences(types={"conversation_assigned": TypeChoice(in_app=False)})
    assert not delivery(CONVERSATION_ASSIGNED, off, ORGANIZATION_ZONE, NOON_IN_SAO_PAULO, 0).kept
    other = delivery(MESSAGE_WHILE_AWAY, off, ORGANIZATION_ZONE, NOON_IN_SAO_PAULO, 0)
    assert other.announced


def test_a_silenced_type_is_announced_without_sound() -> None:
    quiet = preferences(types={"conversation_assigned": TypeChoice(in_app=True, sound=False)})
    decided = delivery(CONVERSATION_ASSIGNED, quiet, ORGANIZATION_ZONE, NOON_IN_SAO_PAULO, 0)
    assert decided == Delivery(kept=True, announced=True, sound=False, push=True)


def test_do_not_disturb_holds_until_it_ends() -> None:
    until = NOON_IN_SAO_PAULO + timedelta(minutes=30)
    busy = preferences(do_not_disturb_until=until)
    during = delivery(CONVERSATION_ASSIGNED, busy, ORGANIZATION_ZONE, NOON_IN_SAO_PAULO, 0)
    after = delivery(CONVERSATION_ASSIGNED, busy, ORGANIZATION_ZONE, until, 0)
    assert during == Delivery(kept=True, held_because=HeldBecause.DO_NOT_DISTURB)
    assert after.announced


def test_urgent_ones_pass_do_not_disturb_only_if_the_person_allows_it() -> None:
    until = NOON_IN_SAO_PAULO + timedelta(hours=1)
    allows = preferences(do_not_disturb_until=until)
    refuses = preferences(do_not_disturb_until=until, urgent_passes=False)
    assert delivery(AI_ALERT, allows, ORGANIZATION_ZONE, NOON_IN_SAO_PAULO, 0).announced
    held = delivery(AI_ALERT, refuses, ORGANIZATION_ZONE, NOON_IN_SAO_PAULO, 0)
    assert held.held_because is HeldBecause.DO_NOT_DISTURB


@pytest.mark.parametrize(
    ("at", "held"),
    [
        (night_in_sao_paulo_but_next_day_in_utc(), True),
        (datetime(2026, 12, 6, 9, 59, tzinfo=UTC), True),  # 06:59 there: still quiet
        (datetime(2026, 12, 6, 10, 0, tzinfo=UTC), False),  # 07:00 there: over
        (datetime(2026, 12, 6, 0, 59, tzinfo=UTC), False),  # 21:59 there on the 5th
    ],
)
def test_quiet_hours_past_midnight_are_read_in_the_organizations_time_zone(
    at: datetime, held: bool
) -> None:
    nights = preferences(quiet_hours=QuietHours(time(22, 0), time(7, 0)))
    decided = delivery(CONVERSATION_ASSIGNED, nights, ORGANIZATION_ZONE, at, 0)
    assert decided.held_because is (HeldBecause.QUIET_HOURS if held else None)
    assert decided.announced is not held


def test_quiet_hours_follow_the_persons_own_time_zone_when_they_set_one() -> None:
    """22:00-07:00 in Lisbon (UTC+0 in December): 02:30 UTC is quiet there and quiet in São
    Paulo too, but 23:30 UTC is quiet only in Lisbon."""
    in_lisbon = preferences(
        quiet_hours=QuietHours(time(22, 0), time(7, 0)), time_zone="Europe/Lisbon"
    )
    evening_utc = datetime(2026, 12, 5, 23, 30, tzinfo=UTC)
    decided = delivery(CONVERSATION_ASSIGNED, in_lisbon, ORGANIZATION_ZONE, evening_utc, 0)
    assert decided.held_because is HeldBecause.QUIET_HOURS
    same_hours_in_sao_paulo = replace(in_lisbon, time_zone=None)
    assert delivery(
        CONVERSATION_ASSIGNED, same_hours_in_sao_paulo, ORGANIZATION_ZONE, evening_utc, 0
    ).announced


def test_the_frequency_limit_holds_even_urgent_ones_beyond_it() -> None:
    limited = preferences(max_announced_per_minute=3)
    within = delivery(AI_ALERT, limited, ORGANIZATION_ZONE, NOON_IN_SAO_PAULO, 2)
    beyond = delivery(AI_ALERT, limited, ORGANIZATION_ZONE, NOON_IN_SAO_PAULO, 3)
    assert within.announced
    assert beyond == Delivery(kept=True, held_because=HeldBecause.FREQUENCY_LIMIT)


def test_preferences_are_stored_and_read_back_whole() -> None:
    chosen = preferences(
        types={"ai_alert": TypeChoice(in_app=True, sound=False)},
        time_zone="Europe/Lisbon",
        quiet_hours=QuietHours(time(22, 30), time(6, 45)),
        do_not_disturb_until=NOON_IN_SAO_PAULO,
        urgent_passes=False,
        max_announced_per_minute=4,
    )
    read = preferences_from_document(chosen.user_id, preferences_document(chosen), None)
    assert read == chosen


def test_pushes_go_only_with_what_is_announced_and_e_mail_waits_either_way() -> None:
    chosen = preferences(
        types={"conversation_assigned": TypeChoice(in_app=True, push=True, email=True)},
        do_not_disturb_until=NOON_IN_SAO_PAULO + timedelta(minutes=30),
    )
    held = delivery(CONVERSATION_ASSIGNED, chosen, ORGANIZATION_ZONE, NOON_IN_SAO_PAULO, 0)
    later = delivery(
        CONVERSATION_ASSIGNED, chosen, ORGANIZATION_ZONE, NOON_IN_SAO_PAULO + timedelta(hours=1), 0
    )
    assert (held.push, held.email) == (False, True)
    assert (later.push, later.email) == (True, True)


def test_security_and_system_types_are_e_mailed_by_default_conversations_are_not() -> None:
    defaults = preferences()
    assert delivery(NUMBER_UNHEALTHY, defaults, ORGANIZATION_ZONE, NOON_IN_SAO_PAULO, 0).email
    assert not delivery(
        CONVERSATION_ASSIGNED, defaults, ORGANIZATION_ZONE, NOON_IN_SAO_PAULO, 0
    ).email

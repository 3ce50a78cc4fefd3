"""Queue metrics against a scripted day whose figures were worked out by hand."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from domain.queues.metrics import figures, hourly
from domain.queues.model import ItemStatus, QueueItem

DAY = datetime(2026, 11, 23, tzinfo=UTC)
QUEUE = uuid.uuid4()
TARGET = timedelta(seconds=60)


def at(clock: str) -> datetime:
    hours, minutes, *seconds = (int(part) for part in clock.split(":"))
    return DAY + timedelta(hours=hours, minutes=minutes, seconds=seconds[0] if seconds else 0)


def item(
    status: ItemStatus,
    entered: str,
    assigned: str | None = None,
    left: str | None = None,
) -> QueueItem:
    return QueueItem(
        id=uuid.uuid4(),
        organization_id=uuid.uuid4(),
        queue_id=QUEUE,
        conversation_id=uuid.uuid4(),
        priority=0,
        status=status,
        entered_at=at(entered),
        assigned_at=at(assigned) if assigned else None,
        completed_at=at(left) if left else None,
    )


SCRIPTED_DAY = [
    item(ItemStatus.COMPLETED, "09:00", "09:00:30", "09:10:30"),  # waits 30 s, handled 10 min
    item(ItemStatus.COMPLETED, "09:05", "09:07", "10:07"),  # waits 2 min, handled 1 h
    item(ItemStatus.TIMED_OUT, "09:20", left="09:30"),  # gives up waiting
    item(ItemStatus.ABANDONED, "09:40", left="09:45"),  # gives up waiting
    item(ItemStatus.ASSIGNED, "09:50", "10:00:10"),  # waits 10 min 10 s, still served
    item(ItemStatus.WAITING, "10:30"),  # still waiting
    item(ItemStatus.TRANSFERRED, "09:10", left="09:15"),  # moved to another queue
]


def test_the_periods_figures_are_the_hand_computed_ones() -> None:
    day = figures(SCRIPTED_DAY, at("09:00"), at("11:00"), TARGET)

    assert (day.entries, day.exits, day.assigned, day.gave_up) == (7, 5, 3, 2)
    assert day.abandonment_rate == 2 / 5
    assert day.average_wait == timedelta(seconds=(30 + 120 + 610) / 3)
    assert day.p90_wait == timedelta(seconds=610)
    assert day.average_handle == timedelta(seconds=(600 + 3600) / 2)
    assert day.p90_handle == timedelta(seconds=3600)
    assert day.answered_in_target == 1 / 5


def test_each_hour_counts_what_happened_in_it() -> None:
    nine, ten = hourly(SCRIPTED_DAY, at("09:00"), at("11:00"), TARGET)

    assert (nine.entries, nine.exits, nine.assigned, nine.gave_up) == (6, 4, 2, 2)
    assert nine.abandonment_rate == 0.5
    assert nine.average_wait == timedelta(seconds=75)
    assert nine.average_handle == timedelta(seconds=600)
    assert nine.answered_in_target == 0.25
    assert (ten.entries, ten.exits, ten.assigned, ten.gave_up) == (1, 1, 1, 0)
    assert ten.abandonment_rate == 0.0
    assert ten.p90_wait == timedelta(seconds=610)
    assert ten.average_handle == timedelta(seconds=3600)
    assert ten.answered_in_target == 0.0


def test_a_quiet_period_has_no_rates() -> None:
    night = figures(SCRIPTED_DAY, at("02:00"), at("03:00"), TARGET)

    assert (night.entries, night.exits, night.assigned) == (0, 0, 0)
    assert night.abandonment_rate is None
    assert night.average_wait is None
    assert night.answered_in_target is None

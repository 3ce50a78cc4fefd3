"""Queue metrics, computed from the items themselves so that every figure can be traced back.

Definitions (also on the GraphQL fields):
- entries: items that entered the queue in the period (a transfer enters its target anew);
- exits: items that left it in the period: completed, abandoned, timed out or transferred out;
- abandonment rate: of the items that left the queue in the period without reaching an agent
  or while waiting, the share abandoned or timed out: (abandoned + timed out before assignment)
  / (those + items assigned in the period);
- wait: from entering the queue to being assigned, for items assigned in the period;
- handle: from being assigned to being completed, for items completed in the period;
- answered in target: of the items assigned in the period or that gave up waiting in it, the
  share assigned within the queue's `targetAnswerSeconds`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.queues.model import ItemStatus, QueueItem

GAVE_UP = (ItemStatus.ABANDONED, ItemStatus.TIMED_OUT)
LEFT = (ItemStatus.COMPLETED, *GAVE_UP, ItemStatus.TRANSFERRED)


@dataclass(frozen=True)
class QueueFigures:
    start: datetime
    end: datetime
    entries: int
    exits: int
    assigned: int
    gave_up: int
    abandonment_rate: float | None
    average_wait: timedelta | None
    p90_wait: timedelta | None
    average_handle: timedelta | None
    p90_handle: timedelta | None
    answered_in_target: float | None


def _within(moment: datetime | None, start: datetime, end: datetime) -> bool:
    return moment is not None and start <= moment < end


def _average(values: Sequence[timedelta]) -> timedelta | None:
    return sum(values, timedelta()) / len(values) if values else None


def percentile_90(values: Sequence[timedelta]) -> timedelta | None:
    """The nearest-rank 90th percentile: the smallest value at or above 90% of them."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)]


def figures(
    items: Iterable[QueueItem], start: datetime, end: datetime, target: timedelta
) -> QueueFigures:
    entries = exits = gave_up = 0
    waits: list[timedelta] = []
    handles: list[timedelta] = []
    in_target = 0
    for item in items:
        if _within(item.entered_at, start, end):
            entries += 1
        if item.status in LEFT and _within(item.completed_at, start, end):
            exits += 1
        if item.assigned_at is not None and _within(item.assigned_at, start, end):
            wait = item.assigned_at - item.entered_at
            waits.append(wait)
            in_target += wait <= target
        elif item.status in GAVE_UP and _within(item.completed_at, start, end):
            gave_up += 1
        if (
            item.status is ItemStatus.COMPLETED
            and item.assigned_at is not None
            and item.completed_at is not None
            and _within(item.completed_at, start, end)
        ):
            handles.append(item.completed_at - item.assigned_at)
    decided = len(waits) + gave_up
    return QueueFigures(
        start=start,
        end=end,
        entries=entries,
        exits=exits,
        assigned=len(waits),
        gave_up=gave_up,
        abandonment_rate=gave_up / decided if decided else None,
        average_wait=_average(waits),
        p90_wait=percentile_90(waits),
        average_handle=_average(handles),
        p90_handle=percentile_90(handles),
        answered_in_target=in_target / decided if decided else None,
    )


def hourly(
    items: Sequence[QueueItem], start: datetime, end: datetime, target: timedelta
) -> list[QueueFigures]:
    """One set of figures per hour from `start` (which should fall on the hour)."""
    hours = []
    moment = start
    while moment < end:
        following = min(moment + timedelta(hours=1), end)
        hours.append(figures(items, moment, following, target))
        moment = following
    return hours

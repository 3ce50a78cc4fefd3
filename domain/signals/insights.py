"""What an organization's customers felt and wanted over a period, and how often agents took
a suggested reply: read from hourly rollups the signals worker keeps as it reads texts, never
by scanning messages (decision 0030)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from uuid import UUID
from zoneinfo import ZoneInfo

from domain.errors import InvalidInput

MAX_PERIOD = timedelta(days=92)
MAX_BUCKETS = 2_208
"""Hours in 92 days: an hourly trend over the longest period."""
TOP_INTENTS = 10


class InsightGrouping(StrEnum):
    HOUR = "hour"
    DAY = "day"
    WEEK = "week"


@dataclass(frozen=True)
class SentimentCounts:
    negative: int = 0
    neutral: int = 0
    positive: int = 0
    score_sum: float = 0.0
    turned_negative: int = 0
    """Conversations whose sentiment turned negative with a text of this hour."""

    def __add__(self, other: SentimentCounts) -> SentimentCounts:
        return SentimentCounts(
            self.negative + other.negative,
            self.neutral + other.neutral,
            self.positive + other.positive,
            self.score_sum + other.score_sum,
            self.turned_negative + other.turned_negative,
        )

    @property
    def read(self) -> int:
        return self.negative + self.neutral + self.positive

    @property
    def average_score(self) -> float | None:
        return round(self.score_sum / self.read, 4) if self.read else None


@dataclass(frozen=True)
class SentimentHour:
    hour: datetime
    number_id: UUID
    counts: SentimentCounts


@dataclass(frozen=True)
class IntentHour:
    hour: datetime
    number_id: UUID
    intent: str
    count: int


@dataclass(frozen=True)
class SuggestionHour:
    hour: datetime
    offered: int
    accepted: int


@dataclass(frozen=True)
class InsightBucket:
    start: datetime
    """In the organization's time zone for DAY and WEEK (weeks start on Monday)."""
    sentiment: SentimentCounts


@dataclass(frozen=True)
class IntentShare:
    name: str
    count: int
    share: float
    """Of the texts read with an intent in the period."""
    previous_count: int
    """In the period of the same length just before."""


@dataclass(frozen=True)
class SuggestionUsage:
    offered: int
    """Times an agent was offered suggestions (replySuggestions answered with at least one)."""
    accepted: int
    """Texts agents sent from a suggestion."""

    @property
    def rate(self) -> float | None:
        return round(min(self.accepted / self.offered, 1.0), 4) if self.offered else None


@dataclass(frozen=True)
class AiInsights:
    since: datetime
    until: datetime
    grouping: InsightGrouping
    sentiment: SentimentCounts
    trend: tuple[InsightBucket, ...]
    top_intents: tuple[IntentShare, ...]
    suggestions: SuggestionUsage
    turned_negative_conversations: tuple[UUID, ...]
    """Conversations negative now whose latest text was read in the period, latest first."""


def checked_period(since: datetime, until: datetime, grouping: InsightGrouping) -> None:
    if until <= since:
        raise InvalidInput("until comes after since", field="until")
    if until - since > MAX_PERIOD:
        raise InvalidInput(f"a period is at most {MAX_PERIOD.days} days", field="since")
    if grouping is InsightGrouping.HOUR and (until - since) / timedelta(hours=1) > MAX_BUCKETS:
        raise InvalidInput("too many hours; group by DAY or WEEK", field="groupBy")


def bucket_start(hour: datetime, grouping: InsightGrouping, zone: ZoneInfo) -> datetime:
    """The start of the bucket an hour falls in: days and weeks are the organization's."""
    if grouping is InsightGrouping.HOUR:
        return hour
    local = hour.astimezone(zone).replace(hour=0, minute=0, second=0, microsecond=0)
    if grouping is InsightGrouping.WEEK:
        local -= timedelta(days=local.weekday())
    return local


def trend(
    hours: Iterable[SentimentHour], grouping: InsightGrouping, zone: ZoneInfo
) -> tuple[InsightBucket, ...]:
    """Buckets with at least one text read, oldest first."""
    buckets: dict[datetime, SentimentCounts] = defaultdict(SentimentCounts)
    for row in hours:
        start = bucket_start(row.hour, grouping, zone)
        buckets[start] = buckets[start] + row.counts
    return tuple(InsightBucket(start, buckets[start]) for start in sorted(buckets))


def top_intents(
    current: Iterable[IntentHour], previous: Iterable[IntentHour]
) -> tuple[IntentShare, ...]:
    now: Counter[str] = Counter()
    for row in current:
        now[row.intent] += row.count
    before: Counter[str] = Counter()
    for row in previous:
        before[row.intent] += row.count
    total = sum(now.values())
    ranked = sorted(now.items(), key=lambda item: (-item[1], item[0]))[:TOP_INTENTS]
    return tuple(
        IntentShare(name, count, round(count / total, 4), before[name])
        for name, count in ranked
        if count > 0
    )


def total(hours: Iterable[SentimentHour]) -> SentimentCounts:
    summed = SentimentCounts()
    for row in hours:
        summed = summed + row.counts
    return summed

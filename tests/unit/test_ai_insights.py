"""Insights' arithmetic over hourly rollups: buckets in the organization's time zone, intents
against the period before, and the limits of a period."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from domain.errors import InvalidInput
from domain.signals.insights import (
    InsightGrouping,
    IntentHour,
    SentimentCounts,
    SentimentHour,
    SuggestionUsage,
    bucket_start,
    checked_period,
    top_intents,
    total,
    trend,
)

SAO_PAULO = ZoneInfo("America/Sao_Paulo")
NUMBER = uuid.uuid4()


def hour(day: int, at: int) -> datetime:
    return datetime(2026, 12, day, at, tzinfo=UTC)


def read(at: datetime, negative: int = 0, neutral: int = 0, positive: int = 0) -> SentimentHour:
    score = -0.5 * negative + 0.5 * positive
    return SentimentHour(at, NUMBER, SentimentCounts(negative, neutral, positive, score))


def test_days_and_weeks_are_the_organizations_own() -> None:
    # 01:00 UTC on Thursday 3 December is still Wednesday 2 December in São Paulo (UTC-3).
    late_wednesday = hour(3, 1)

    assert bucket_start(late_wednesday, InsightGrouping.HOUR, SAO_PAULO) == late_wednesday
    assert bucket_start(late_wednesday, InsightGrouping.DAY, SAO_PAULO) == datetime(
        2026, 12, 2, tzinfo=SAO_PAULO
    )
    assert bucket_start(late_wednesday, InsightGrouping.WEEK, SAO_PAULO) == datetime(
        2026, 11, 30, tzinfo=SAO_PAULO
    )


def test_the_trend_sums_each_bucket_and_leaves_out_empty_ones() -> None:
    hours = [
        read(hour(3, 1), negative=2),
        read(hour(3, 14), positive=1),
        read(hour(5, 12), neutral=3),
    ]

    by_day = trend(hours, InsightGrouping.DAY, SAO_PAULO)

    assert [(b.start.day, b.sentiment.read) for b in by_day] == [(2, 2), (3, 1), (5, 3)]
    assert by_day[0].sentiment.average_score == -0.5
    whole = total(hours)
    assert (whole.negative, whole.neutral, whole.positive, whole.read) == (2, 3, 1, 6)
    assert whole.average_score == round((-1.0 + 0.5) / 6, 4)
    assert SentimentCounts().average_score is None


def test_top_intents_rank_by_count_with_their_share_and_the_period_before() -> None:
    now = [
        IntentHour(hour(3, 10), NUMBER, "cancelamento", 6),
        IntentHour(hour(3, 11), NUMBER, "status_pedido", 3),
        IntentHour(hour(4, 9), NUMBER, "cancelamento", 1),
        IntentHour(hour(4, 9), NUMBER, "saudacao", 0),
    ]
    before = [IntentHour(hour(1, 10), NUMBER, "cancelamento", 2)]

    ranked = top_intents(now, before)

    assert [(i.name, i.count, i.share, i.previous_count) for i in ranked] == [
        ("cancelamento", 7, 0.7, 2),
        ("status_pedido", 3, 0.3, 0),
    ]


def test_acceptance_is_a_share_of_offers_and_none_without_offers() -> None:
    assert SuggestionUsage(8, 2).rate == 0.25
    assert SuggestionUsage(1, 3).rate == 1.0
    assert SuggestionUsage(0, 0).rate is None


@pytest.mark.parametrize(
    ("length", "grouping", "field"),
    [
        (timedelta(0), InsightGrouping.DAY, "until"),
        (timedelta(days=93), InsightGrouping.WEEK, "since"),
        (timedelta(days=92, hours=1), InsightGrouping.HOUR, "since"),
    ],
)
def test_a_period_is_bounded(length: timedelta, grouping: InsightGrouping, field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        checked_period(hour(1, 0), hour(1, 0) + length, grouping)
    assert refused.value.field == field
    checked_period(hour(1, 0), hour(1, 0) + timedelta(days=92), InsightGrouping.HOUR)

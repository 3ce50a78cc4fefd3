"""Web Push's pure rules: which subscriptions a browser could have given, what a push service's
answer means, when a failed push is tried again, and which VAPID keys are keys."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.errors import InvalidInput
from domain.notifications.push import (
    PushOutcome,
    checked_subscription,
    next_push_attempt,
    push_outcome,
    valid_vapid_private_key,
)
from tests.webpush import Browser

NOW = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)


def test_a_browsers_subscription_is_accepted() -> None:
    keys = Browser("https://fcm.googleapis.com/fcm/send/abc").subscription()
    checked_subscription(keys["endpoint"], keys["p256dh"], keys["auth"], allow_http=False)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"endpoint": "http://push.example.com/send/abc"}, "endpoint"),
        ({"endpoint": "file:///etc/passwd"}, "endpoint"),
        ({"endpoint": "https://" + "a" * 2000 + ".example.com/"}, "endpoint"),
        ({"p256dh": "BAAA"}, "p256dh"),
        ({"p256dh": "!!!"}, "p256dh"),
        ({"auth": "c2hvcnQ"}, "auth"),
    ],
)
def test_what_no_browser_would_give_is_refused(change: dict[str, str], field: str) -> None:
    keys = {**Browser("https://fcm.googleapis.com/fcm/send/abc").subscription(), **change}
    with pytest.raises(InvalidInput) as refused:
        checked_subscription(keys["endpoint"], keys["p256dh"], keys["auth"], allow_http=False)
    assert refused.value.field == field


def test_plain_http_push_services_only_when_the_installation_allows_them() -> None:
    keys = Browser("http://127.0.0.1:9/push/x").subscription()
    checked_subscription(keys["endpoint"], keys["p256dh"], keys["auth"], allow_http=True)
    with pytest.raises(InvalidInput):
        checked_subscription(keys["endpoint"], keys["p256dh"], keys["auth"], allow_http=False)


@pytest.mark.parametrize(
    ("status", "outcome"),
    [
        (201, PushOutcome.DELIVERED),
        (202, PushOutcome.DELIVERED),
        (404, PushOutcome.GONE),
        (410, PushOutcome.GONE),
        (429, PushOutcome.RETRY),
        (500, PushOutcome.RETRY),
        (503, PushOutcome.RETRY),
        (None, PushOutcome.RETRY),
        (400, PushOutcome.REFUSED),
        (403, PushOutcome.REFUSED),
        (413, PushOutcome.REFUSED),
    ],
)
def test_a_push_services_answer(status: int | None, outcome: PushOutcome) -> None:
    assert push_outcome(status) is outcome


def test_retries_back_off_exponentially_and_honour_retry_after() -> None:
    first = next_push_attempt(1, NOW, NOW, None)
    third = next_push_attempt(3, NOW, NOW, None)
    told = next_push_attempt(1, NOW, NOW, 120)
    assert (first, third, told) == (
        NOW + timedelta(seconds=5),
        NOW + timedelta(seconds=20),
        NOW + timedelta(seconds=120),
    )


def test_a_push_is_given_up_after_its_time_to_live_or_too_many_attempts() -> None:
    made_long_ago = NOW - timedelta(minutes=59, seconds=58)
    assert next_push_attempt(1, NOW, made_long_ago, None) is None
    assert next_push_attempt(8, NOW, NOW, None) is None


@pytest.mark.parametrize(
    ("key", "valid"),
    [
        ("vplfkITvu0cwHqzK9Kj-DYStbCH_9AhGx9LqMyaeI6w", True),
        ("short", False),
        ("_" * 43, False),  # beyond the curve's order
        ("A" * 43, False),  # zero
    ],
)
def test_which_vapid_private_keys_are_keys(key: str, valid: bool) -> None:
    assert valid_vapid_private_key(key) is valid

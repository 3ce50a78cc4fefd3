"""The sign-in throttle's decision: delays that double, never a lockout of a known device."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from domain.accounts.throttle import Failures, SignInHistory, ThrottlePolicy, wait_before_attempt

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
POLICY = ThrottlePolicy()
CLEAN = SignInHistory(
    pair=Failures(0, None), account=Failures(0, None), address=Failures(0, None), known_device=False
)


def failed(count: int, seconds_ago: float = 0) -> Failures:
    return Failures(count, NOW - timedelta(seconds=seconds_ago))


def test_a_clean_history_waits_for_nothing() -> None:
    assert wait_before_attempt(CLEAN, POLICY, NOW) is None


def test_the_pairs_first_failures_are_free_then_each_doubles_the_wait() -> None:
    waits = [
        wait_before_attempt(replace(CLEAN, pair=failed(count)), POLICY, NOW)
        for count in range(4, 10)
    ]

    assert waits == [None] + [timedelta(seconds=2**n) for n in range(5)]


def test_the_wait_runs_from_the_last_failure_and_is_capped() -> None:
    history = replace(CLEAN, pair=failed(40, seconds_ago=60))

    assert wait_before_attempt(history, POLICY, NOW) == POLICY.longest_delay - timedelta(seconds=60)
    assert wait_before_attempt(replace(CLEAN, pair=failed(6, seconds_ago=5)), POLICY, NOW) is None


def test_account_and_address_counts_slow_new_devices_but_not_known_ones() -> None:
    attacked = replace(CLEAN, account=failed(12), address=failed(60))

    # The address is 10 failures past its allowance: 2**10 s, capped at 15 minutes.
    assert wait_before_attempt(attacked, POLICY, NOW) == POLICY.longest_delay
    assert wait_before_attempt(replace(attacked, known_device=True), POLICY, NOW) is None

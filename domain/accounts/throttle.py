"""How long a sign-in must wait: a pure decision over recent failures.

Three counts are kept, each slowing its own kind of attack with delays that double, never
with a lockout an attacker could impose on the owner:
- the email from this address (someone guessing from one place) is slowed after a few
  failures;
- the email from any address (guessing spread over many places), and
- the address for any email (one place trying many accounts, also everyone behind a proxy
  without trusted-proxy settings)
are slowed after larger counts, but not for a known device: an address this email signed in
from successfully before. So the owner's usual device still signs in with the right password
while somebody elsewhere hammers the account.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class ThrottlePolicy:
    window: timedelta = timedelta(minutes=15)
    """Failures older than this are forgotten."""
    free_failures_per_pair: int = 5
    max_failures_per_account: int = 10
    max_failures_per_client: int = 50
    first_delay: timedelta = timedelta(seconds=1)
    longest_delay: timedelta = timedelta(minutes=15)
    known_device_for: timedelta = timedelta(days=30)
    """How long a successful sign-in from an address makes it a known device."""


@dataclass(frozen=True)
class Failures:
    count: int
    last: datetime | None


@dataclass(frozen=True)
class SignInHistory:
    """Failures within the policy's window, and whether this is a known device."""

    pair: Failures
    account: Failures
    address: Failures
    known_device: bool


def wait_before_attempt(
    history: SignInHistory, policy: ThrottlePolicy, now: datetime
) -> timedelta | None:
    """How long until this email may try from this address again, or None when it may now."""
    limits = [(history.pair, policy.free_failures_per_pair)]
    if not history.known_device:
        limits += [
            (history.account, policy.max_failures_per_account),
            (history.address, policy.max_failures_per_client),
        ]
    waits = [_remaining(failures, allowed, policy, now) for failures, allowed in limits]
    return max((wait for wait in waits if wait is not None), default=None)


def _remaining(
    failures: Failures, allowed: int, policy: ThrottlePolicy, now: datetime
) -> timedelta | None:
    if failures.count < allowed or failures.last is None:
        return None
    doublings = min(failures.count - allowed, 30)
    delay = min(policy.longest_delay, policy.first_delay * 2**doublings)
    remaining = failures.last + delay - now
    return remaining if remaining > timedelta(0) else None

"""Meta's Graph API errors: which to retry, which end a send, and what to tell a person.

Handling keys on Meta's numeric `code`, as Meta recommends (reference §6.1); the three classes
follow reference §6.2: transient (back off and retry), credentials (the number's token must be
replaced; sends wait for it) and terminal (this message will not go, say why).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

RETRYABLE_CODES = frozenset({2, 4, 80007, 130429, 131000, 131016, 131056, 131057, 133004})
CREDENTIAL_CODES = frozenset({0, 190})
PAIR_RATE_LIMIT = 131056
WINDOW_CLOSED = 131047

SENTENCES = {
    0: "Meta could not authenticate the number's access token: replace it in the number's settings",
    10: "the access token lacks the whatsapp_business_messaging permission",
    100: "Meta refused a parameter of the request",
    131005: "the access token lacks the whatsapp_business_messaging permission",
    131008: "a required parameter is missing",
    131009: "a parameter value is not valid",
    131021: "the recipient is the business number itself",
    131026: (
        "the message could not be delivered: the customer may not use WhatsApp, may not have "
        "accepted its latest terms, or uses an old version of the app"
    ),
    131031: "the WhatsApp Business account is locked",
    131042: "the WhatsApp Business account has a payment problem: fix its billing in Meta",
    131045: "the business number is not registered correctly with the Cloud API",
    WINDOW_CLOSED: "the 24-hour window is closed: send an approved template",
    131048: (
        "sending is restricted because earlier messages were reported as spam: check the "
        "number's quality in WhatsApp Manager"
    ),
    131049: (
        "Meta chose not to deliver this message to keep the ecosystem healthy: wait at least "
        "24 hours before sending it again"
    ),
    131050: "the customer has stopped marketing messages from this business",
    131051: "WhatsApp does not support this message type",
    131052: "the customer's media could not be downloaded: ask them to send it again",
    131053: "the media could not be uploaded: check its type and size",
    130472: "not sent: the customer is part of a Meta marketing-message experiment",
    130497: "the business may not message customers in this country",
    132000: (
        "the template's parameters do not match its definition: the number of parameters differs"
    ),
    132001: "the template does not exist in this language or is not approved",
    132005: "the template's text is too long once its parameters are filled in",
    132007: "the template's content violates WhatsApp's policy",
    132012: "the template's parameters do not match the format the template expects",
    132015: "the template is paused for low quality: edit it or wait",
    132016: "the template is disabled: create a new one",
    133010: "the business number is not registered with the Cloud API",
    190: (
        "Meta rejected the number's access token (expired or revoked): replace it in the "
        "number's settings"
    ),
    368: "the WhatsApp Business account is restricted for a policy violation",
}


class Disposition(StrEnum):
    RETRY = "retry"
    """Transient: back off and try again before the send's deadline."""
    CREDENTIALS = "credentials"
    """The number's token is refused: hold its sends until it is replaced."""
    FAIL = "fail"
    """This message will not go as it is."""


@dataclass(frozen=True)
class GraphApiFailure(Exception):
    """A call to Meta's Graph API that did not succeed, as the Graph API client reports it."""

    http_status: int | None
    """None when no response arrived (timeout, connection refused)."""
    code: int | None = None
    title: str = ""
    details: str = ""
    transient: bool | None = None

    def __str__(self) -> str:
        if self.http_status is None:
            return f"no answer from the Graph API: {self.details}"
        return f"Graph API error {self.code} (HTTP {self.http_status}): {self.title} {self.details}"

    @property
    def disposition(self) -> Disposition:
        if self.code in CREDENTIAL_CODES:
            return Disposition.CREDENTIALS
        if self.http_status is None or self.http_status >= 500 or self.code in RETRYABLE_CODES:
            return Disposition.RETRY
        return Disposition.FAIL

    @property
    def sentence(self) -> str:
        """What an agent reads beside the failed message."""
        if self.http_status is None:
            return f"Meta did not answer ({self.details})"
        known = SENTENCES.get(self.code) if self.code is not None else None
        if known is None:
            label = f"error {self.code}" if self.code is not None else f"HTTP {self.http_status}"
            known = f"Meta refused the message ({label}: {self.title or 'no title'})"
        return f"{known}: {self.details}" if self.details else known

    def as_error(self) -> dict[str, object]:
        """Stored on the message in the shape of a status webhook's errors[] entry."""
        return {
            "code": self.code,
            "title": self.title,
            "message": self.sentence,
            "error_data": {"details": self.details},
        }


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with jitter, so sends that failed together do not retry together.
    The pair rate limit follows Meta's own advice instead: 4^X seconds (reference §7.3)."""

    base_seconds: float = 1.0
    cap_seconds: float = 120.0
    pair_base_seconds: float = 1.0

    def delay(self, failure: GraphApiFailure, retry: int, rng: random.Random) -> timedelta:
        """`retry` counts from 0 for the first retry of a send."""
        if failure.code == PAIR_RATE_LIMIT:
            seconds = min(self.cap_seconds, self.pair_base_seconds * 4**retry)
            return timedelta(seconds=seconds)
        ceiling = min(self.cap_seconds, self.base_seconds * 2**retry)
        return timedelta(seconds=ceiling / 2 + rng.uniform(0, ceiling / 2))

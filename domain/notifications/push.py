"""Web Push: the browsers that subscribed, what a push carries, and what a push service's
answer means for the delivery (RFC 8030). The encryption and signing are the web layer's."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from urllib.parse import urlsplit
from uuid import UUID

from cryptography.hazmat.primitives.asymmetric import ec

from domain.errors import InvalidInput
from domain.notifications.catalog import Severity
from domain.notifications.model import Notification

MAX_ENDPOINT_LENGTH = 2000
AUTH_SECRET_BYTES = 16
PUSH_TIME_TO_LIVE = timedelta(hours=1)
"""How long a push service keeps a push for an offline browser, and how long PyTake retries
one: an hour-old "assigned to you" helps no one, and the center still holds it."""
MAX_PUSH_ATTEMPTS = 8
FIRST_RETRY_SECONDS = 5.0
LONGEST_RETRY_SECONDS = 600.0


@dataclass(frozen=True)
class PushSubscription:
    """A browser's subscription (PushSubscription.toJSON() in the browser): where to post, and
    the keys the browser decrypts with."""

    id: UUID
    organization_id: UUID
    user_id: UUID
    endpoint: str
    p256dh: str
    """The browser's P-256 public key, base64url, uncompressed (65 bytes)."""
    auth: str
    """The browser's 16-byte authentication secret, base64url."""
    user_agent: str | None
    created_at: datetime


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def valid_vapid_private_key(raw: str) -> bool:
    """A raw P-256 private key in base64url, as VAPID key generators print it."""
    try:
        scalar = b64url_decode(raw)
        if len(scalar) != 32:
            return False
        ec.derive_private_key(int.from_bytes(scalar, "big"), ec.SECP256R1())
    except (ValueError, binascii.Error):
        return False
    return True


def checked_subscription(endpoint: str, p256dh: str, auth: str, allow_http: bool) -> None:
    """Refuses what no browser would have given: a push service is always an https URL, and
    the keys are a point on P-256 and a 16-byte secret."""
    parts = urlsplit(endpoint)
    schemes = ("https", "http") if allow_http else ("https",)
    if len(endpoint) > MAX_ENDPOINT_LENGTH or parts.scheme not in schemes or not parts.hostname:
        raise InvalidInput(
            f"endpoint must be the push service's https URL (at most {MAX_ENDPOINT_LENGTH} "
            "characters)",
            "endpoint",
        )
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64url_decode(p256dh))
    except (ValueError, binascii.Error):
        raise InvalidInput(
            "p256dh must be the subscription's P-256 public key, base64url-encoded", "p256dh"
        ) from None
    try:
        secret = b64url_decode(auth)
    except (ValueError, binascii.Error):
        secret = b""
    if len(secret) != AUTH_SECRET_BYTES:
        raise InvalidInput(
            "auth must be the subscription's 16-byte authentication secret, base64url-encoded",
            "auth",
        )


def push_payload(notification: Notification, organization_name: str) -> bytes:
    """What the console's Service Worker shows, and the page a click opens."""
    conversation = notification.conversation_id
    return json.dumps(
        {
            "id": str(notification.id),
            "type": notification.type,
            "severity": notification.severity.value,
            "title": organization_name,
            "body": notification.subject,
            "conversationId": str(conversation) if conversation else None,
            "url": f"/#/conversations/{conversation}" if conversation else "/",
        },
        ensure_ascii=False,
    ).encode()


def push_urgency(severity: Severity) -> str:
    """RFC 8030's Urgency: a phone on battery wakes for "high" only."""
    return {Severity.URGENT: "high", Severity.WARNING: "normal"}.get(severity, "normal")


class PushOutcome(StrEnum):
    DELIVERED = "delivered"
    GONE = "gone"
    """The subscription expired or was revoked: it is removed."""
    RETRY = "retry"
    REFUSED = "refused"
    """The push service will never take this push (a bad key, a payload too large)."""


def push_outcome(status: int | None) -> PushOutcome:
    """What a push service's answer means; None when it could not be reached."""
    if status is None or status == 429 or status >= 500:
        return PushOutcome.RETRY
    if 200 <= status < 300:
        return PushOutcome.DELIVERED
    if status in (404, 410):
        return PushOutcome.GONE
    return PushOutcome.REFUSED


def next_push_attempt(
    attempts: int, now: datetime, created_at: datetime, retry_after: float | None
) -> datetime | None:
    """When to try again after `attempts` failed tries, or None to give up: exponential from
    5 s, or the push service's Retry-After if longer, never past the push's time to live."""
    if attempts >= MAX_PUSH_ATTEMPTS:
        return None
    delay = min(FIRST_RETRY_SECONDS * 2 ** (attempts - 1), LONGEST_RETRY_SECONDS)
    at = now + timedelta(seconds=max(delay, retry_after or 0.0))
    return at if at < created_at + PUSH_TIME_TO_LIVE else None

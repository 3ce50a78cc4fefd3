"""Web Push out of PyTake: the installation's VAPID key (RFC 8292), and the worker that
encrypts each queued push for its browser (RFC 8291, aes128gcm) and posts it to the browser's
push service, retrying what can succeed later and forgetting browsers that are gone."""

from __future__ import annotations

import asyncio
import base64
import logging
import time
from datetime import timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import httpx
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid02
from pywebpush import WebPusher

from domain.clock import Clock
from domain.events import StoredEvent
from domain.notifications.events import NotificationCreated
from domain.notifications.push import (
    PUSH_TIME_TO_LIVE,
    PushOutcome,
    next_push_attempt,
    push_outcome,
    push_payload,
    push_urgency,
)
from domain.secrets import SecretBox
from persistence.database import Database
from persistence.repositories.push import (
    DuePush,
    claim_due_pushes,
    push_dropped,
    push_retried,
    push_subscription_gone,
    pushes_delivered,
    stored_vapid_key,
)
from web.polling import PollingWorker

logger = logging.getLogger(__name__)

PUSHES_PER_ROUND = 100
PUSHES_IN_FLIGHT = 20
CLAIM_LEASE = timedelta(seconds=60)
SIGNATURE_LIFETIME_SECONDS = 12 * 3600
"""RFC 8292 allows at most 24 hours."""
DEFAULT_VAPID_SUBJECT = "mailto:postmaster@localhost"
"""Push services accept it, but an operator they cannot reach is one they may block: set
PYTAKE_VAPID_SUBJECT or PYTAKE_PUBLIC_URL."""


def may_push(event: StoredEvent) -> bool:
    """An announced notification was made: a push may be queued for it."""
    return event.type == NotificationCreated.type and bool(event.payload.get("announced"))


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def new_vapid_private_key() -> str:
    """A raw P-256 private key, base64url: the form `web-push generate-vapid-keys` prints and
    PYTAKE_VAPID_PRIVATE_KEY takes."""
    key = ec.generate_private_key(ec.SECP256R1())
    return b64url(key.private_numbers().private_value.to_bytes(32, "big"))


class WebPushKeys:
    """The VAPID key pair: the configured one, or the one stored at first start."""

    def __init__(
        self, database: Database, box: SecretBox, clock: Clock, configured: str | None
    ) -> None:
        self._database = database
        self._box = box
        self._clock = clock
        self._configured = configured
        self._vapid: Vapid02 | None = None
        self._lock = asyncio.Lock()

    async def vapid(self) -> Vapid02:
        async with self._lock:
            if self._vapid is None:
                raw = self._configured or self._box.open(
                    await stored_vapid_key(
                        self._database,
                        lambda: self._box.seal(new_vapid_private_key()),
                        self._clock.now(),
                    )
                )
                self._vapid = Vapid02.from_raw(raw.encode())
            return self._vapid

    async def public_key(self) -> str:
        """The application server key browsers subscribe with: the uncompressed P-256 point,
        base64url."""
        vapid = await self.vapid()
        return b64url(
            vapid.public_key.public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
            )
        )


class PushSender(PollingWorker):
    name = "push"

    def __init__(
        self,
        database: Database,
        keys: WebPushKeys,
        clock: Clock,
        subject: str,
        timeout_seconds: float = 10.0,
        poll_seconds: float = 1.0,
    ) -> None:
        super().__init__(poll_seconds)
        self._database = database
        self._keys = keys
        self._clock = clock
        self._subject = subject
        self._http = httpx.AsyncClient(timeout=timeout_seconds, follow_redirects=False)
        self._in_flight = asyncio.Semaphore(PUSHES_IN_FLIGHT)

    async def round(self) -> bool:
        due = await claim_due_pushes(
            self._database, PUSHES_PER_ROUND, self._clock.now(), CLAIM_LEASE
        )
        if due:
            vapid = await self._keys.vapid()
            answers = await asyncio.gather(*(self._send(vapid, push) for push in due))
            # The usual answer in one transaction: one per push would cost more than the push.
            delivered = [push for push, answer in zip(due, answers, strict=True) if answer is None]
            await pushes_delivered(self._database, delivered, self._clock.now())
            for push, answer in zip(due, answers, strict=True):
                if answer is not None:
                    await self._record(push, *answer)
        return len(due) == PUSHES_PER_ROUND

    async def stopped(self) -> None:
        await self._http.aclose()

    async def _send(
        self, vapid: Vapid02, push: DuePush
    ) -> tuple[PushOutcome, str, float | None] | None:
        """None when the push service took the push; else its outcome, the problem and the
        wait it asked for."""
        subscription = push.subscription
        endpoint = urlsplit(subscription.endpoint)
        body = WebPusher(
            {
                "endpoint": subscription.endpoint,
                "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
            }
        ).encode(push_payload(push.notification, push.organization_name), "aes128gcm")["body"]
        headers = {
            **vapid.sign(
                {
                    "sub": self._subject,
                    "aud": f"{endpoint.scheme}://{endpoint.netloc}",
                    "exp": int(time.time()) + SIGNATURE_LIFETIME_SECONDS,
                }
            ),
            "Content-Encoding": "aes128gcm",
            "Content-Type": "application/octet-stream",
            "TTL": str(int(PUSH_TIME_TO_LIVE.total_seconds())),
            "Urgency": push_urgency(push.notification.severity),
        }
        status: int | None = None
        retry_after: float | None = None
        try:
            async with self._in_flight:
                response = await self._http.post(
                    subscription.endpoint, content=body, headers=headers
                )
            status = response.status_code
            retry_after = _retry_after(response.headers.get("Retry-After"))
            problem = f"{status} {response.text[:300]}"
        except httpx.HTTPError as error:
            problem = f"{type(error).__name__}: {error}"
        outcome = push_outcome(status)
        return None if outcome is PushOutcome.DELIVERED else (outcome, problem, retry_after)

    async def _record(
        self, push: DuePush, outcome: PushOutcome, problem: str, retry_after: float | None
    ) -> None:
        now = self._clock.now()
        if outcome is PushOutcome.GONE:
            logger.info("push subscription %s is gone (%s)", push.subscription.id, problem)
            await push_subscription_gone(self._database, push)
        elif outcome is PushOutcome.RETRY and (
            at := next_push_attempt(
                push.attempts + 1, now, push.notification.created_at, retry_after
            )
        ):
            await push_retried(self._database, push, at, problem)
        else:
            logger.warning(
                "push of notification %s to subscription %s given up after %d attempt(s): %s",
                push.notification.id,
                push.subscription.id,
                push.attempts + 1,
                problem,
            )
            await push_dropped(self._database, push)


def _retry_after(value: str | None) -> float | None:
    """Retry-After in seconds, or as an HTTP date."""
    if not value:
        return None
    if value.strip().isdigit():
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None

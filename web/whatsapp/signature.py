"""X-Hub-Signature-256: HMAC-SHA256 of the raw body with the Meta app secret (reference §3)."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable

PREFIX = "sha256="


def sign(app_secret: str, body: bytes) -> str:
    return PREFIX + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


def signed_by_any(header: str, body: bytes, app_secrets: Iterable[str]) -> bool:
    """Constant-time per comparison; the raw bytes, never re-serialised JSON."""
    return any(hmac.compare_digest(sign(secret, body), header) for secret in app_secrets)

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


def signing_keys(header: str, body: bytes, secrets_by_key: dict[str, str]) -> frozenset[str]:
    """The keys whose secret signed the body: each distinct secret is tried once."""
    signing_secrets = {
        secret for secret in set(secrets_by_key.values()) if signed_by_any(header, body, [secret])
    }
    return frozenset(key for key, secret in secrets_by_key.items() if secret in signing_secrets)

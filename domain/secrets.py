"""Credentials encrypted at rest (Fernet: AES-128-CBC + HMAC-SHA256) with a key of their own,
derived from PYTAKE_SECRET_KEY."""

from __future__ import annotations

import base64
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken


def derive_key(secret_key: str, purpose: str) -> bytes:
    """One configured secret, a separate key per use: a leak in one use does not expose another."""
    return hmac.new(secret_key.encode(), purpose.encode(), hashlib.sha256).digest()


class UnreadableSecret(Exception):
    """A stored secret no longer decrypts: the secret key changed since it was stored."""


class SecretBox:
    def __init__(self, secret_key: str) -> None:
        key = derive_key(secret_key, "pytake/stored-credentials")
        self._fernet = Fernet(base64.urlsafe_b64encode(key))

    def seal(self, plaintext: str) -> str:
        return self._fernet.encrypt(plaintext.encode()).decode()

    def open(self, sealed: str) -> str:
        try:
            return self._fernet.decrypt(sealed.encode()).decode()
        except InvalidToken as error:
            raise UnreadableSecret(
                "a stored credential cannot be decrypted: was PYTAKE_SECRET_KEY changed?"
            ) from error

"""Password policy and argon2id hashing (argon2-cffi, RFC 9106 parameters)."""

from __future__ import annotations

import asyncio

from argon2 import PasswordHasher as Argon2Hasher
from argon2.exceptions import InvalidHashError, VerificationError

from domain.errors import InvalidInput

MIN_PASSWORD_LENGTH = 12
# argon2 hashes whatever it is given; the cap keeps a megabyte "password" from costing real CPU.
MAX_PASSWORD_LENGTH = 256


def check_password_policy(password: str, field: str = "password") -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            f"The password must have at least {MIN_PASSWORD_LENGTH} characters", field=field
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidInput(
            f"The password must have at most {MAX_PASSWORD_LENGTH} characters", field=field
        )
    if len(set(password)) < 4:
        raise InvalidInput("The password must not repeat the same few characters", field=field)


class PasswordHasher:
    """Hashes off the event loop: one argon2 hash costs tens of milliseconds of CPU."""

    def __init__(self, time_cost: int = 3, memory_cost_kib: int = 65536) -> None:
        self._hasher = Argon2Hasher(time_cost=time_cost, memory_cost=memory_cost_kib)
        # Verified when an email is unknown, so a missing account takes as long as a wrong password.
        self._decoy_hash = self._hasher.hash("decoy password for unknown accounts")

    async def hash(self, password: str) -> str:
        return await asyncio.to_thread(self._hasher.hash, password)

    async def verify(self, password_hash: str | None, password: str) -> bool:
        return await asyncio.to_thread(self._verify, password_hash, password)

    def _verify(self, password_hash: str | None, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash or self._decoy_hash, password) and (
                password_hash is not None
            )
        except (VerificationError, InvalidHashError):
            return False

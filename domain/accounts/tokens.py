"""Access tokens (JWT, HS256) and opaque refresh tokens stored only as their SHA-256."""

from __future__ import annotations

import hashlib
import secrets
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

import jwt

from domain.accounts.model import Role
from domain.errors import InvalidToken, TokenExpired
from domain.secrets import derive_key

ACCESS_TOKEN_TYPE = "access"  # noqa: S105 - a claim value, not a secret
ISSUER = "pytake"
# Clocks of several server processes differ a little; no token is issued further ahead.
EXPIRY_LEEWAY = timedelta(minutes=5)


@dataclass(frozen=True)
class AccessClaims:
    user_id: UUID
    organization_id: UUID
    role: Role
    expires_at: datetime


@dataclass(frozen=True)
class IssuedToken:
    value: str
    expires_at: datetime


EXPIRED = "The access token has expired; obtain a new one with tokenRefresh"
VERIFIED_TOKENS = 10_000
"""Access tokens whose signature this process checked, kept until they expire: a client sends
the same token with every request, and checking an HMAC signature through PyJWT costs more
than the rest of authenticating it."""


class AccessTokenCodec:
    def __init__(self, secret_key: str, lifetime: timedelta) -> None:
        self._key = derive_key(secret_key, "pytake/access-token")
        self.lifetime = lifetime
        self._verified: OrderedDict[str, AccessClaims] = OrderedDict()

    def issue(self, user_id: UUID, organization_id: UUID, role: Role, now: datetime) -> IssuedToken:
        expires_at = now + self.lifetime
        claims = {
            "iss": ISSUER,
            "sub": str(user_id),
            "org": str(organization_id),
            "role": role.value,
            "typ": ACCESS_TOKEN_TYPE,
            "iat": int(now.timestamp()),
            "exp": int(expires_at.timestamp()),
        }
        return IssuedToken(jwt.encode(claims, self._key, algorithm="HS256"), expires_at)

    def decode(self, token: str, now: datetime) -> AccessClaims:
        verified = self._verified.get(token)
        if verified is not None:
            if verified.expires_at <= now:
                del self._verified[token]
                raise TokenExpired(
                    "The access token has expired; obtain a new one with tokenRefresh"
                )
            return verified
        claims = self._verify(token, now)
        self._verified[token] = claims
        if len(self._verified) > VERIFIED_TOKENS:
            self._verified.popitem(last=False)
        return claims

    def _verify(self, token: str, now: datetime) -> AccessClaims:
        try:
            claims = jwt.decode(
                token,
                self._key,
                algorithms=["HS256"],
                issuer=ISSUER,
                # Expiry is checked below against the injected clock, not the machine's.
                options={
                    "require": ["exp", "sub", "org", "role", "typ"],
                    "verify_exp": False,
                    "verify_iat": False,
                },
            )
        except jwt.InvalidTokenError as error:
            raise InvalidToken(f"The access token is invalid: {error}") from error
        if claims["typ"] != ACCESS_TOKEN_TYPE:
            raise InvalidToken("The token is not an access token")
        expires_at = self._expiry(claims["exp"], now)
        if not all(isinstance(claims[name], str) for name in ("sub", "org", "role")):
            raise InvalidToken("The access token carries malformed claims")
        try:
            return AccessClaims(
                user_id=UUID(claims["sub"]),
                organization_id=UUID(claims["org"]),
                role=Role(claims["role"]),
                expires_at=expires_at,
            )
        except ValueError as error:
            raise InvalidToken("The access token carries malformed claims") from error

    def _expiry(self, exp: object, now: datetime) -> datetime:
        """`exp` is a whole number of seconds no later than a token issued now would expire."""
        latest = now + self.lifetime + EXPIRY_LEEWAY
        if not isinstance(exp, int) or isinstance(exp, bool) or not 0 < exp <= latest.timestamp():
            raise InvalidToken("The access token's expiry (exp) is not a valid time")
        expires_at = datetime.fromtimestamp(exp, tz=now.tzinfo)
        if expires_at <= now:
            raise TokenExpired(EXPIRED)
        return expires_at


def new_refresh_token() -> str:
    return secrets.token_urlsafe(32)


def hash_refresh_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()

"""Access tokens: what is accepted and every way one is refused."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import jwt
import pytest

from domain.accounts.model import Role
from domain.accounts.tokens import AccessTokenCodec, hash_refresh_token
from domain.errors import InvalidToken, TokenExpired
from domain.secrets import derive_key

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
SECRET = "s" * 40


def codec() -> AccessTokenCodec:
    return AccessTokenCodec(SECRET, timedelta(minutes=15))


def test_an_issued_token_decodes_to_its_claims() -> None:
    user_id, organization_id = uuid.uuid4(), uuid.uuid4()
    issued = codec().issue(user_id, organization_id, Role.SUPERVISOR, NOW)

    claims = codec().decode(issued.value, NOW + timedelta(minutes=14))

    assert (claims.user_id, claims.organization_id, claims.role) == (
        user_id,
        organization_id,
        Role.SUPERVISOR,
    )
    assert issued.expires_at == NOW + timedelta(minutes=15)


def test_an_expired_token_is_refused_as_expired() -> None:
    issued = codec().issue(uuid.uuid4(), uuid.uuid4(), Role.AGENT, NOW)

    with pytest.raises(TokenExpired, match="expired"):
        codec().decode(issued.value, NOW + timedelta(minutes=15))


def test_a_token_accepted_before_is_refused_once_it_expires() -> None:
    """The same codec remembers the tokens it verified; remembering never outlives expiry."""
    tokens = codec()
    issued = tokens.issue(uuid.uuid4(), uuid.uuid4(), Role.AGENT, NOW)

    first = tokens.decode(issued.value, NOW + timedelta(minutes=1))
    again = tokens.decode(issued.value, NOW + timedelta(minutes=14))

    assert again == first
    with pytest.raises(TokenExpired, match="expired"):
        tokens.decode(issued.value, NOW + timedelta(minutes=15))


def test_a_tampered_copy_of_an_accepted_token_is_refused() -> None:
    tokens = codec()
    issued = tokens.issue(uuid.uuid4(), uuid.uuid4(), Role.AGENT, NOW)
    tokens.decode(issued.value, NOW)
    header, payload, signature = issued.value.split(".")
    altered = ("A" if signature[0] != "A" else "B") + signature[1:]

    with pytest.raises(InvalidToken):
        tokens.decode(f"{header}.{payload}.{altered}", NOW)


def test_a_tampered_token_is_refused() -> None:
    issued = codec().issue(uuid.uuid4(), uuid.uuid4(), Role.AGENT, NOW)
    header, _, signature = issued.value.split(".")
    forged_claims = jwt.decode(issued.value, options={"verify_signature": False})
    forged_claims["role"] = "owner"
    forged_payload = jwt.encode(forged_claims, "another key!" * 4, algorithm="HS256").split(".")[1]

    with pytest.raises(InvalidToken, match="invalid"):
        codec().decode(f"{header}.{forged_payload}.{signature}", NOW)


def test_a_token_signed_with_another_secret_is_refused() -> None:
    other = AccessTokenCodec("o" * 40, timedelta(minutes=15))
    issued = other.issue(uuid.uuid4(), uuid.uuid4(), Role.OWNER, NOW)

    with pytest.raises(InvalidToken):
        codec().decode(issued.value, NOW)


def test_an_unsigned_token_is_refused() -> None:
    claims = {
        "iss": "pytake",
        "sub": str(uuid.uuid4()),
        "org": str(uuid.uuid4()),
        "role": "owner",
        "typ": "access",
        "exp": int((NOW + timedelta(hours=1)).timestamp()),
    }
    unsigned = jwt.encode(claims, key="", algorithm="none")

    with pytest.raises(InvalidToken):
        codec().decode(unsigned, NOW)


def test_a_token_of_another_type_is_refused() -> None:
    claims = {
        "iss": "pytake",
        "sub": str(uuid.uuid4()),
        "org": str(uuid.uuid4()),
        "role": "owner",
        "typ": "refresh",
        "exp": int((NOW + timedelta(hours=1)).timestamp()),
    }
    token = jwt.encode(claims, derive_key(SECRET, "pytake/access-token"), algorithm="HS256")

    with pytest.raises(InvalidToken, match="not an access token"):
        codec().decode(token, NOW)


def test_refresh_tokens_are_stored_as_digests_only() -> None:
    digest = hash_refresh_token("opaque-value")

    assert digest != "opaque-value"
    assert len(digest) == 64
    assert digest == hash_refresh_token("opaque-value")


def signed(**overrides: object) -> str:
    claims: dict[str, object] = {
        "iss": "pytake",
        "sub": str(uuid.uuid4()),
        "org": str(uuid.uuid4()),
        "role": "agent",
        "typ": "access",
        "exp": int((NOW + timedelta(minutes=10)).timestamp()),
    }
    claims.update(overrides)
    return jwt.encode(claims, derive_key(SECRET, "pytake/access-token"), algorithm="HS256")


@pytest.mark.parametrize(
    "claims",
    [
        pytest.param({"exp": str(int((NOW + timedelta(minutes=10)).timestamp()))}, id="exp text"),
        pytest.param({"exp": 10**30}, id="exp enormous"),
        pytest.param({"exp": int((NOW + timedelta(days=30)).timestamp())}, id="exp far ahead"),
        pytest.param({"exp": 1.5e9}, id="exp fractional"),
        pytest.param({"exp": True}, id="exp boolean"),
        pytest.param({"sub": 42}, id="sub number"),
        pytest.param({"org": ["x"]}, id="org list"),
        pytest.param({"role": {"x": 1}}, id="role object"),
        pytest.param({"role": "emperor"}, id="role unknown"),
        pytest.param({"iss": "someone else"}, id="another issuer"),
    ],
)
def test_a_token_with_claims_of_the_wrong_type_or_range_is_invalid(
    claims: dict[str, object],
) -> None:
    with pytest.raises(InvalidToken):
        codec().decode(signed(**claims), NOW)

"""Password policy, email normalisation and who may manage whom."""

from __future__ import annotations

import pytest

from domain.accounts.model import Role, ensure_can_manage
from domain.accounts.passwords import PasswordHasher, check_password_policy
from domain.accounts.services import clean_name, normalize_email
from domain.errors import Forbidden, InvalidInput


@pytest.mark.parametrize(
    ("password", "reason"),
    [("short", "at least 12"), ("a" * 300, "at most 256"), ("abababababab", "same few")],
)
def test_weak_passwords_are_refused_with_the_reason(password: str, reason: str) -> None:
    with pytest.raises(InvalidInput, match=reason) as refused:
        check_password_policy(password)
    assert refused.value.field == "password"


def test_a_long_varied_password_is_accepted() -> None:
    check_password_policy("correct horse battery staple")


async def test_hashes_verify_only_the_right_password() -> None:
    hasher = PasswordHasher(time_cost=1, memory_cost_kib=8192)
    digest = await hasher.hash("correct horse battery staple")

    assert digest.startswith("$argon2id$")
    assert await hasher.verify(digest, "correct horse battery staple")
    assert not await hasher.verify(digest, "wrong horse battery staple")
    assert not await hasher.verify(None, "correct horse battery staple")
    assert not await hasher.verify("not a hash", "anything")


def test_emails_are_normalised_and_invalid_ones_refused() -> None:
    assert normalize_email("  Ana.Silva@Example.COM ") == "ana.silva@example.com"
    with pytest.raises(InvalidInput, match="not valid"):
        normalize_email("ana at example")


def test_names_are_trimmed_and_must_not_be_blank() -> None:
    assert clean_name("  Ana   Silva ") == "Ana Silva"
    with pytest.raises(InvalidInput, match="empty"):
        clean_name("   ")


@pytest.mark.parametrize(
    ("actor", "target", "allowed"),
    [
        (Role.OWNER, Role.OWNER, True),
        (Role.OWNER, Role.ADMIN, True),
        (Role.ADMIN, Role.SUPERVISOR, True),
        (Role.ADMIN, Role.AGENT, True),
        (Role.ADMIN, Role.ADMIN, False),
        (Role.ADMIN, Role.OWNER, False),
        (Role.SUPERVISOR, Role.AGENT, False),
        (Role.AGENT, Role.AGENT, False),
    ],
)
def test_who_may_manage_whom(actor: Role, target: Role, allowed: bool) -> None:
    if allowed:
        ensure_can_manage(actor, target)
    else:
        with pytest.raises(Forbidden):
            ensure_can_manage(actor, target)

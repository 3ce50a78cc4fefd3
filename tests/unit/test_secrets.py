"""Stored credentials: sealed with a key of their own, unreadable under another secret key."""

from __future__ import annotations

import pytest

from domain.secrets import SecretBox, UnreadableSecret


def test_a_sealed_secret_opens_to_the_original_and_hides_it() -> None:
    box = SecretBox("k" * 40)

    sealed = box.seal("EAAG-access-token")

    assert "EAAG" not in sealed
    assert sealed != box.seal("EAAG-access-token")
    assert box.open(sealed) == "EAAG-access-token"


def test_a_secret_sealed_under_another_key_is_refused_clearly() -> None:
    sealed = SecretBox("k" * 40).seal("EAAG-access-token")

    with pytest.raises(UnreadableSecret, match="PYTAKE_SECRET_KEY"):
        SecretBox("o" * 40).open(sealed)

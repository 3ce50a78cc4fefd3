"""Meta's error codes sorted into retry, hold-for-credentials and fail (reference §6.2), with
the sentence an agent reads and the backoff a retry waits."""

from __future__ import annotations

import random

import pytest

from domain.whatsapp.meta_errors import Disposition, GraphApiFailure, RetryPolicy


@pytest.mark.parametrize("code", [4, 80007, 130429, 131056, 131000, 131016, 2, 131057])
def test_transient_codes_are_retried(code: int) -> None:
    assert GraphApiFailure(400, code, "t").disposition is Disposition.RETRY


@pytest.mark.parametrize("status", [500, 502, 503, None])
def test_server_errors_and_silence_are_retried(status: int | None) -> None:
    assert GraphApiFailure(status, None, "boom").disposition is Disposition.RETRY


@pytest.mark.parametrize("code", [190, 0])
def test_a_refused_token_holds_the_number(code: int) -> None:
    assert GraphApiFailure(401, code, "token").disposition is Disposition.CREDENTIALS


@pytest.mark.parametrize(
    ("code", "sentence"),
    [
        (131047, "the 24-hour window is closed: send an approved template"),
        (132000, "the template's parameters do not match its definition"),
        (131050, "the customer has stopped marketing messages from this business"),
        (100, "Meta refused a parameter of the request"),
    ],
)
def test_terminal_codes_fail_with_a_sentence(code: int, sentence: str) -> None:
    failure = GraphApiFailure(400, code, "title", "Meta's details")

    assert failure.disposition is Disposition.FAIL
    assert failure.sentence.startswith(sentence)
    assert failure.sentence.endswith(": Meta's details")
    assert failure.as_error()["code"] == code


def test_an_unknown_code_still_says_what_meta_said() -> None:
    failure = GraphApiFailure(400, 999999, "Brand new error")

    assert failure.sentence == "Meta refused the message (error 999999: Brand new error)"


def test_the_pair_rate_limit_waits_four_to_the_power_of_the_retry() -> None:
    policy = RetryPolicy(base_seconds=1, pair_base_seconds=1, cap_seconds=1000)
    pair = GraphApiFailure(400, 131056, "pair")

    delays = [policy.delay(pair, retry, random.Random(1)).total_seconds() for retry in range(4)]

    assert delays == [1, 4, 16, 64]


def test_other_retries_double_with_jitter_below_the_cap() -> None:
    policy = RetryPolicy(base_seconds=1, cap_seconds=10)
    rate = GraphApiFailure(400, 130429, "rate")
    rng = random.Random(3)

    for retry in range(8):
        ceiling = min(10, 2**retry)
        delay = policy.delay(rate, retry, rng).total_seconds()
        assert ceiling / 2 <= delay <= ceiling

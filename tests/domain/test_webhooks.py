"""Webhook rules: Standard Webhooks signatures, the retry schedule, URLs that may be targets."""

from __future__ import annotations

import ipaddress
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import DomainError
from domain.events import EVENT_TYPES, matches, unknown_event_types
from domain.webhooks import (
    RETRY_DELAYS,
    check_url,
    forbidden_address,
    new_secret,
    retry_delay,
    signature,
    signature_header,
    verify,
)

#: The example of the Standard Webhooks specification (standard-webhooks/standard-webhooks).
SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
SPEC_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
SPEC_TIME = 1614265330
SPEC_BODY = b'{"test": 2432232314}'
SPEC_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def test_signature_matches_the_specifications_example() -> None:
    assert signature(SPEC_SECRET, SPEC_ID, SPEC_TIME, SPEC_BODY) == SPEC_SIGNATURE


def test_verify_accepts_either_secret_during_rotation_and_refuses_stale_or_tampered() -> None:
    other = new_secret(bytes(range(32)))
    header = signature_header([other, SPEC_SECRET], SPEC_ID, SPEC_TIME, SPEC_BODY)
    assert verify(SPEC_SECRET, SPEC_ID, SPEC_TIME, SPEC_BODY, header, SPEC_TIME + 10)
    assert verify(other, SPEC_ID, SPEC_TIME, SPEC_BODY, header, SPEC_TIME + 10)
    assert not verify(SPEC_SECRET, SPEC_ID, SPEC_TIME, SPEC_BODY + b" ", header, SPEC_TIME)
    assert not verify(SPEC_SECRET, SPEC_ID, SPEC_TIME, SPEC_BODY, header, SPEC_TIME + 301)


def test_retries_last_more_than_a_day_then_stop() -> None:
    assert retry_delay(1) == timedelta(seconds=5)
    assert sum(RETRY_DELAYS, timedelta()) > timedelta(hours=24)
    assert retry_delay(len(RETRY_DELAYS)) is not None
    assert retry_delay(len(RETRY_DELAYS) + 1) is None


@given(st.integers(min_value=1, max_value=len(RETRY_DELAYS) - 1))
def test_retry_delays_never_shrink(attempt: int) -> None:
    first, second = retry_delay(attempt), retry_delay(attempt + 1)
    assert first is not None and second is not None and second >= first


@pytest.mark.parametrize(
    "address",
    [
        "10.0.0.1",
        "172.16.5.4",
        "192.168.1.1",
        "127.0.0.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "::1",
        "fe80::1",
        "fc00::1",
        "::ffff:10.0.0.1",
        "224.0.0.1",
    ],
)
def test_inside_addresses_are_forbidden(address: str) -> None:
    assert forbidden_address(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111"])
def test_public_addresses_are_allowed(address: str) -> None:
    assert not forbidden_address(ipaddress.ip_address(address))


def test_check_url_allows_loopback_only_when_told() -> None:
    with pytest.raises(DomainError):
        check_url("http://127.0.0.1:9/x", https_only=False, allow_private=False)
    assert check_url("http://127.0.0.1:9/x", https_only=False, allow_private=True).port == 9


def test_event_types_and_wildcards() -> None:
    assert unknown_event_types(["warning.raised", "collections.*", "*"]) == []
    assert unknown_event_types(["nope.happened"]) == ["nope.happened"]
    assert matches("collections.stage_changed", ["collections.*"])
    assert not matches("payment.received", ["collections.*", "warning.raised"])
    assert all(topic.count(".") == 1 for topic in EVENT_TYPES)

"""Webhook rules without I/O: the Standard Webhooks signature (against the
convention's published test vector), secrets, endpoints, event types, and
the retry policy's bounds."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from chorus_core.clock import utcnow
from chorus_core.errors import InvalidArgument
from gateway_service.domain.webhooks import (
    EVENT_TYPES,
    RetryPolicy,
    check_endpoint,
    check_event_types,
    new_secret,
    secret_key,
    sign,
    signature_header,
)

# The test vector of the Standard Webhooks reference libraries.
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
MESSAGE_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
TIMESTAMP = 1614265330
PAYLOAD = b'{"test": 2432232314}'
EXPECTED = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def test_the_signature_matches_the_conventions_test_vector() -> None:
    assert sign(SECRET, MESSAGE_ID, TIMESTAMP, PAYLOAD) == EXPECTED
    assert sign(SECRET, MESSAGE_ID, TIMESTAMP + 1, PAYLOAD) != EXPECTED
    assert sign(SECRET, MESSAGE_ID, TIMESTAMP, PAYLOAD + b" ") != EXPECTED


def test_during_a_rotation_every_secret_signs_space_separated() -> None:
    other = new_secret()
    header = signature_header([other, SECRET], MESSAGE_ID, TIMESTAMP, PAYLOAD)
    first, second = header.split(" ")
    assert second == EXPECTED and first == sign(other, MESSAGE_ID, TIMESTAMP, PAYLOAD)


def test_new_secrets_are_whsec_and_32_random_bytes() -> None:
    one, two = new_secret(), new_secret()
    assert one.startswith("whsec_") and one != two
    assert len(secret_key(one)) == 32
    with pytest.raises(ValueError):
        secret_key("not-a-secret")


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://hooks.example.com/x", "webhook endpoints must be https"),
        ("ftp://hooks.example.com/x", "webhook endpoints must be https"),
        ("https:///x", "has no host"),
        ("https://u:p@hooks.example.com/x", "must not carry credentials"),
        ("https://hooks.example.com:99999/x", "invalid port"),
        ("https://hooks.example.com/" + "x" * 2000, "at most 2000 characters"),
    ],
)
def test_endpoints_are_https_urls_with_a_host(url: str, reason: str) -> None:
    with pytest.raises(InvalidArgument) as refused:
        check_endpoint(url)
    assert (refused.value.field, refused.value.reason) == ("url", reason)


def test_an_endpoint_names_its_host_and_port() -> None:
    target = check_endpoint("https://Hooks.Example.com/chorus")
    assert (target.scheme, target.host, target.port) == ("https", "hooks.example.com", 443)


def test_event_types_come_from_the_fixed_list_once_each() -> None:
    assert check_event_types(["share.published", "post.approved", "share.published"]) == (
        "share.published",
        "post.approved",
    )
    assert set(EVENT_TYPES) == {
        "post.approved",
        "share.published",
        "share.failed",
        "points.awarded",
        "account.token_expiring",
        "account.reconnect_needed",
    }
    with pytest.raises(InvalidArgument):
        check_event_types([])
    with pytest.raises(InvalidArgument) as refused:
        check_event_types(["post.approved", "employee.erased"])
    assert refused.value.field == "event_types[1]"


def test_backoff_grows_with_jitter_within_bounds_and_attempts_are_bounded() -> None:
    policy = RetryPolicy(
        max_attempts=5, first_delay=timedelta(seconds=10), max_delay=timedelta(seconds=60)
    )
    rand = random.Random(7)
    for attempt, step in ((1, 10), (2, 20), (3, 40), (4, 60), (9, 60)):
        delays = [policy.delay(attempt, rand).total_seconds() for _ in range(200)]
        assert min(delays) >= step / 2 and max(delays) <= step
        assert len({round(d, 3) for d in delays}) > 100  # jittered, not one instant
    now = utcnow()
    assert policy.next_attempt(4, now) is not None
    assert policy.next_attempt(5, now) is None  # the fifth failure gives up
    assert not policy.disables(19) and policy.disables(20)

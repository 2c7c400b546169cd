"""Each network's way of saying how much budget is left, read into one
RateSignal (publishing's domain/rate_signals.py), the documented seeds, and
the stored secret of an OAuth account."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from chorus_core.errors import InvalidArgument
from publishing_service.domain.network_limits import LIMITS, Counts
from publishing_service.domain.oauth_tokens import OAuthToken
from publishing_service.domain.rate_signals import (
    META_WINDOW,
    RateSignal,
    Scope,
    ietf_rate_limit,
    mastodon_rate_limit,
    meta_usage,
    next_midnight_utc,
    retry_after,
    x_rate_limit,
)

NOW = datetime(2026, 12, 3, 10, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("120", NOW + timedelta(seconds=120)),
        ("0", NOW),
        ("Thu, 03 Dec 2026 10:05:00 GMT", NOW + timedelta(minutes=5)),
        ("Thu, 03 Dec 2026 09:00:00 GMT", NOW),  # a date past: now, never earlier
        ("soon", None),
    ],
)
def test_retry_after_takes_seconds_or_an_http_date(value: str, expected: datetime | None) -> None:
    assert retry_after({"retry-after": value}, NOW) == expected
    assert retry_after({}, NOW) is None


def test_x_resets_in_epoch_seconds() -> None:
    reset = int((NOW + timedelta(minutes=15)).timestamp())
    headers = {
        "x-rate-limit-limit": "100",
        "x-rate-limit-remaining": "0",
        "x-rate-limit-reset": str(reset),
    }
    signal = x_rate_limit(headers, Scope.ACCOUNT)
    assert signal == RateSignal(
        Scope.ACCOUNT, remaining=0, limit=100, reset_at=NOW + timedelta(minutes=15)
    )
    assert signal.blocks_until == NOW + timedelta(minutes=15)
    assert x_rate_limit({"x-rate-limit-remaining": "7"}, Scope.APP) == RateSignal(
        Scope.APP, remaining=7
    )
    assert x_rate_limit({}, Scope.APP) is None


def test_mastodon_resets_at_an_iso_instant_and_names_are_case_insensitive() -> None:
    headers = {
        "x-ratelimit-limit": "300",
        "X-RATELIMIT-REMAINING": "299",
        "X-RateLimit-Reset": "2026-12-03T10:05:00.000Z",
    }
    signal = mastodon_rate_limit(headers, Scope.ACCOUNT)
    assert signal == RateSignal(
        Scope.ACCOUNT, remaining=299, limit=300, reset_at=NOW + timedelta(minutes=5)
    )
    assert signal.blocks_until is None  # budget left: nothing blocks


def test_the_ietf_fields_separate_or_combined() -> None:
    separate = {"RateLimit-Limit": "10", "RateLimit-Remaining": "0", "RateLimit-Reset": "30"}
    combined = {"RateLimit": "limit=10, remaining=0, reset=30"}
    expected = RateSignal(Scope.APP, remaining=0, limit=10, reset_at=NOW + timedelta(seconds=30))
    assert ietf_rate_limit(separate, Scope.APP, NOW) == expected
    assert ietf_rate_limit(combined, Scope.APP, NOW) == expected
    assert ietf_rate_limit({"RateLimit": "nonsense"}, Scope.APP, NOW) is None
    # Bluesky's PDS sends the reset as an epoch instant.
    epoch = {"ratelimit-remaining": "2", "ratelimit-reset": str(int(NOW.timestamp()) + 60)}
    assert ietf_rate_limit(epoch, Scope.ACCOUNT, NOW) == RateSignal(
        Scope.ACCOUNT, remaining=2, reset_at=NOW + timedelta(seconds=60)
    )


def test_meta_backs_off_at_ninety_percent_until_access_is_regained() -> None:
    calm = {"X-App-Usage": json.dumps({"call_count": 28, "total_cputime": 4, "total_time": 9})}
    assert meta_usage(calm, NOW) == []  # a percentage is no count of calls left

    busy = {
        "X-Business-Use-Case-Usage": json.dumps(
            {
                "1234": [
                    {
                        "type": "pages",
                        "call_count": 91,
                        "total_cputime": 10,
                        "total_time": 20,
                        "estimated_time_to_regain_access": 12,
                    }
                ]
            }
        ),
        "X-App-Usage": json.dumps({"call_count": 95, "total_cputime": 1, "total_time": 1}),
    }
    app, page = meta_usage(busy, NOW)
    assert (app.scope, app.blocks_until) == (Scope.APP, NOW + META_WINDOW)  # no estimate given
    assert (page.scope, page.blocks_until) == (Scope.ACCOUNT, NOW + timedelta(minutes=12))
    assert meta_usage({"X-App-Usage": "{not json"}, NOW) == []


def test_linkedin_resets_at_midnight_utc() -> None:
    assert next_midnight_utc(NOW) == datetime(2026, 12, 4, tzinfo=UTC)
    late = datetime(2026, 12, 31, 23, 59, 59, tzinfo=UTC)
    assert next_midnight_utc(late) == datetime(2027, 1, 1, tzinfo=UTC)


def test_every_network_has_documented_seeds() -> None:
    assert set(LIMITS) == {"bluesky", "mastodon", "linkedin", "x", "facebook", "instagram"}
    for limits in LIMITS.values():
        assert limits.account and limits.source
    assert LIMITS["bluesky"].post_cost == 3.0
    instagram = {(w.units, w.counts) for w in LIMITS["instagram"].account}
    assert (50, Counts.POSTS) in instagram


def test_an_oauth_secret_is_json_or_a_bare_token() -> None:
    bare = OAuthToken.parse("  abc123 ")
    assert (bare.access_token, bare.refresh_token, bare.expires_at) == ("abc123", "", None)
    full = OAuthToken.parse(
        '{"access_token": "a", "refresh_token": "r", "expires_at": "2027-02-01T00:00:00Z"}'
    )
    assert full == OAuthToken("a", "r", datetime(2027, 2, 1, tzinfo=UTC))
    assert OAuthToken.parse(full.dump()) == full
    for bad, message in (
        ("", "must not be empty"),
        ("{oops", "is not a token nor a JSON object"),
        ('{"refresh_token": "r"}', "has no access_token"),
        ('{"access_token": "a", "expires_at": "soon"}', "expires_at is not an ISO 8601 instant"),
    ):
        with pytest.raises(InvalidArgument) as caught:
            OAuthToken.parse(bad)
        assert caught.value.field == "secret" and message in caught.value.message

"""The Bluesky connector's handling of answers the real local PDS cannot be
made to give on demand (429, 503, an expiring token): a scripted XRPC server
behind httpx's transport (tests/simulators/bluesky.py), sessions in the real
Redis. Everything else runs against the real PDS (test_publishing_bluesky.py);
sessions shared by replicas: test_publishing_bluesky_sessions.py."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from publishing_service.app.ports import (
    AccountCredentials,
    CredentialsRejected,
    PostDraft,
    RateLimited,
    RejectedByNetwork,
    RetryableNetworkError,
)
from publishing_service.domain.post_text import LinkSpan
from publishing_service.domain.rate_signals import RateSignal, Scope

from tests.simulators.bluesky import NOW, Replicas, ScriptedPds
from tests.simulators.harness import RecordingBudget

ACCOUNT = AccountCredentials(account_id="a1", handle="alice.test", secret="pw")
DRAFT = PostDraft(
    share_id="s1",
    text="hola https://l.test/x",
    link=LinkSpan("https://l.test/x", 5, 21),
    language="es",
    created_at=datetime(2025, 3, 1, tzinfo=UTC),
)


async def test_one_session_serves_many_posts(bluesky_replicas: Replicas) -> None:
    clock = [NOW]
    pds = ScriptedPds(clock=clock)
    bluesky = bluesky_replicas.start(pds, clock)
    for share in ("s1", "s2", "s3"):
        await bluesky.publish(
            ACCOUNT, PostDraft(share, "hola", None, "es", datetime(2025, 3, 1, tzinfo=UTC))
        )
    assert pds.calls["com.atproto.server.createSession"] == 1
    assert pds.calls["com.atproto.repo.createRecord"] == 3


async def test_expiring_token_is_refreshed_not_recreated(bluesky_replicas: Replicas) -> None:
    clock = [NOW]
    pds = ScriptedPds(access_lifetime=600, clock=clock)
    bluesky = bluesky_replicas.start(pds, clock)
    await bluesky.publish(ACCOUNT, DRAFT)
    clock[0] = NOW + 590  # within the safety margin of the token's exp
    await bluesky.publish(ACCOUNT, PostDraft("s2", "x", None, "es", DRAFT.created_at))
    assert pds.calls["com.atproto.server.refreshSession"] == 1
    assert pds.calls["com.atproto.server.createSession"] == 1


async def test_token_the_pds_calls_expired_is_renewed_once(bluesky_replicas: Replicas) -> None:
    clock = [NOW]
    pds = ScriptedPds(clock=clock)
    bluesky = bluesky_replicas.start(pds, clock)
    await bluesky.publish(ACCOUNT, DRAFT)
    pds.valid_tokens.clear()  # revoked server-side before its stated exp
    pds.refresh_ok = False  # and the refresh token too: log in again
    post = await bluesky.publish(ACCOUNT, PostDraft("s2", "x", None, "es", DRAFT.created_at))
    assert post.uri == pds.stored[post.uri.rsplit("/", 1)[1]] and not post.already_existed
    assert pds.calls["com.atproto.repo.createRecord"] == 3  # 1, then 1 refused + 1 retried
    assert pds.calls["com.atproto.server.createSession"] == 2


async def test_a_429_says_when_and_tells_the_shared_budget(bluesky_replicas: Replicas) -> None:
    clock, budget = [NOW], RecordingBudget()
    pds = ScriptedPds(clock=clock)
    bluesky = bluesky_replicas.start(pds, clock, budget)
    reset = int(NOW) + 120
    pds.create_answers = [
        httpx.Response(
            429,
            json={"error": "RateLimitExceeded"},
            headers={
                "ratelimit-limit": "5000",
                "ratelimit-remaining": "0",
                "ratelimit-reset": str(reset),
            },
        )
    ]
    with pytest.raises(RateLimited) as limited:
        await bluesky.publish(ACCOUNT, DRAFT)
    when = datetime.fromtimestamp(reset, UTC)
    assert (limited.value.retry_at, limited.value.scope) == (when, Scope.ACCOUNT)
    assert pds.calls["com.atproto.repo.getRecord"] == 0
    # Every replica hears it: the window's end and the "not before".
    seen = [signal for _, account, signal in budget.signals if account == ACCOUNT.account_id]
    assert RateSignal(Scope.ACCOUNT, remaining=0, limit=5000, reset_at=when) in seen
    assert RateSignal(Scope.ACCOUNT, retry_at=when) in seen
    # Without a stated reset: Retry-After, else a minute.
    pds.create_answers = [httpx.Response(429, json={"error": "RateLimitExceeded"})]
    with pytest.raises(RateLimited) as bare:
        await bluesky.publish(ACCOUNT, DRAFT)
    assert bare.value.retry_at == datetime.fromtimestamp(NOW, UTC) + timedelta(minutes=1)


async def test_every_call_is_paid_for_first_and_a_spent_budget_sends_nothing(
    bluesky_replicas: Replicas,
) -> None:
    clock, budget = [NOW], RecordingBudget()
    pds = ScriptedPds(clock=clock)
    bluesky = bluesky_replicas.start(pds, clock, budget)
    await bluesky.publish(ACCOUNT, DRAFT)
    # createSession is a call like any other; the post pays its post units.
    assert budget.takes == [("bluesky", "a1", 0.0), ("bluesky", "a1", 1.0)]
    budget.refuse_until = datetime.fromtimestamp(NOW + 60, UTC)
    with pytest.raises(RateLimited):
        await bluesky.publish(ACCOUNT, PostDraft("s2", "x", None, "es", DRAFT.created_at))
    assert pds.calls["com.atproto.repo.createRecord"] == 1


async def test_server_errors_are_retryable(bluesky_replicas: Replicas) -> None:
    clock = [NOW]
    pds = ScriptedPds(clock=clock)
    bluesky = bluesky_replicas.start(pds, clock)
    pds.create_answers = [httpx.Response(503, json={"error": "InternalServerError"})]
    with pytest.raises(RetryableNetworkError):
        await bluesky.publish(ACCOUNT, DRAFT)


async def test_server_error_after_the_record_was_written_returns_it(
    bluesky_replicas: Replicas,
) -> None:
    """An unknown outcome (5xx) resolved by looking the key up."""
    clock = [NOW]
    pds = ScriptedPds(clock=clock)
    bluesky = bluesky_replicas.start(pds, clock)
    first = await bluesky.publish(ACCOUNT, DRAFT)
    pds.create_answers = [httpx.Response(502, text="bad gateway")]
    again = await bluesky.publish(ACCOUNT, DRAFT)
    assert again.uri == first.uri and again.already_existed


async def test_other_client_errors_are_rejections(bluesky_replicas: Replicas) -> None:
    clock = [NOW]
    pds = ScriptedPds(clock=clock)
    bluesky = bluesky_replicas.start(pds, clock)
    pds.create_answers = [
        httpx.Response(400, json={"error": "InvalidRecord", "message": "Record/text too long"})
    ]
    with pytest.raises(RejectedByNetwork) as error:
        await bluesky.publish(ACCOUNT, DRAFT)
    assert "InvalidRecord" in error.value.reason and not isinstance(
        error.value, CredentialsRejected
    )


async def test_the_record_carries_text_language_and_link_facet(bluesky_replicas: Replicas) -> None:
    clock = [NOW]
    pds = ScriptedPds(clock=clock)
    seen: list[dict[str, object]] = []

    def capture(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("createRecord"):
            seen.append(json.loads(request.content))
        return pds(request)

    client = httpx.AsyncClient(transport=httpx.MockTransport(capture))
    bluesky = bluesky_replicas.start(pds, clock, client=client)
    await bluesky.publish(ACCOUNT, DRAFT)
    (body,) = seen
    record = body["record"]
    assert isinstance(record, dict)
    assert body["collection"] == "app.bsky.feed.post" and body["repo"] == "did:plc:a"
    assert record["createdAt"] == "2025-03-01T00:00:00.000Z" and record["langs"] == ["es"]
    assert record["facets"] == [
        {
            "index": {"byteStart": 5, "byteEnd": 21},
            "features": [{"$type": "app.bsky.richtext.facet#link", "uri": "https://l.test/x"}],
        }
    ]

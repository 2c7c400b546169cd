"""The Bluesky connector's handling of answers the real local PDS cannot be
made to give on demand (429, 503, an expiring token): a scripted XRPC server
behind httpx's transport. Everything else runs against the real PDS
(test_publishing_bluesky.py)."""

from __future__ import annotations

import base64
import json
from collections import Counter
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from publishing_service.adapters.bluesky import BlueskyConnector
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

from tests.simulators.harness import RecordingBudget

NOW = 1_750_000_000.0
ACCOUNT = AccountCredentials(account_id="a1", handle="alice.test", secret="pw")
DRAFT = PostDraft(
    share_id="s1",
    text="hola https://l.test/x",
    link=LinkSpan("https://l.test/x", 5, 21),
    language="es",
    created_at=datetime(2025, 3, 1, tzinfo=UTC),
)


def jwt(exp: float) -> str:
    def part(data: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    return f"{part({'alg': 'ES256K'})}.{part({'exp': exp, 'sub': 'did:plc:a'})}.sig"


class ScriptedPds:
    """Answers like a PDS; `create_answers` scripts createRecord's replies in order."""

    def __init__(self, access_lifetime: float = 3600) -> None:
        self.calls: Counter[str] = Counter()
        self.create_answers: list[httpx.Response] = []
        self.stored: dict[str, str] = {}
        self.valid_tokens: set[str] = set()
        self.access_lifetime = access_lifetime
        self.refresh_ok = True

    def session(self) -> httpx.Response:
        access = jwt(NOW + self.access_lifetime) + str(len(self.valid_tokens))
        self.valid_tokens.add(access)
        return httpx.Response(
            200,
            json={
                "did": "did:plc:a",
                "handle": "alice.test",
                "accessJwt": access,
                "refreshJwt": "refresh",
            },
        )

    def __call__(self, request: httpx.Request) -> httpx.Response:
        nsid = request.url.path.removeprefix("/xrpc/")
        self.calls[nsid] += 1
        if nsid == "com.atproto.server.createSession":
            return self.session()
        if nsid == "com.atproto.server.refreshSession":
            if self.refresh_ok:
                return self.session()
            return httpx.Response(
                400, json={"error": "ExpiredToken", "message": "Token has expired"}
            )
        if nsid == "com.atproto.repo.getRecord":
            rkey = request.url.params["rkey"]
            if rkey in self.stored:
                return httpx.Response(
                    200, json={"uri": self.stored[rkey], "cid": "bafy", "value": {}}
                )
            return httpx.Response(
                400, json={"error": "RecordNotFound", "message": "Could not locate record"}
            )
        assert nsid == "com.atproto.repo.createRecord"
        token = request.headers["Authorization"].removeprefix("Bearer ")
        if token not in self.valid_tokens:
            return httpx.Response(
                400, json={"error": "ExpiredToken", "message": "Token has expired"}
            )
        if self.create_answers:
            return self.create_answers.pop(0)
        body = json.loads(request.content)
        uri = f"at://did:plc:a/app.bsky.feed.post/{body['rkey']}"
        self.stored[body["rkey"]] = uri
        return httpx.Response(200, json={"uri": uri, "cid": "bafy"})


def connector(
    pds: ScriptedPds, clock: list[float], budget: RecordingBudget | None = None
) -> BlueskyConnector:
    return BlueskyConnector(
        "http://pds.test",
        budget if budget is not None else RecordingBudget(),
        client=httpx.AsyncClient(transport=httpx.MockTransport(pds)),
        clock=lambda: clock[0],
    )


async def test_one_session_serves_many_posts() -> None:
    pds, clock = ScriptedPds(), [NOW]
    bluesky = connector(pds, clock)
    for share in ("s1", "s2", "s3"):
        await bluesky.publish(
            ACCOUNT, PostDraft(share, "hola", None, "es", datetime(2025, 3, 1, tzinfo=UTC))
        )
    assert pds.calls["com.atproto.server.createSession"] == 1
    assert pds.calls["com.atproto.repo.createRecord"] == 3


async def test_expiring_token_is_refreshed_not_recreated() -> None:
    pds, clock = ScriptedPds(access_lifetime=600), [NOW]
    bluesky = connector(pds, clock)
    await bluesky.publish(ACCOUNT, DRAFT)
    clock[0] = NOW + 590  # within the safety margin of the token's exp
    await bluesky.publish(ACCOUNT, PostDraft("s2", "x", None, "es", DRAFT.created_at))
    assert pds.calls["com.atproto.server.refreshSession"] == 1
    assert pds.calls["com.atproto.server.createSession"] == 1


async def test_token_the_pds_calls_expired_is_renewed_once() -> None:
    pds, clock = ScriptedPds(), [NOW]
    bluesky = connector(pds, clock)
    await bluesky.publish(ACCOUNT, DRAFT)
    pds.valid_tokens.clear()  # revoked server-side before its stated exp
    pds.refresh_ok = False  # and the refresh token too: log in again
    post = await bluesky.publish(ACCOUNT, PostDraft("s2", "x", None, "es", DRAFT.created_at))
    assert post.uri == pds.stored[post.uri.rsplit("/", 1)[1]] and not post.already_existed
    assert pds.calls["com.atproto.repo.createRecord"] == 3  # 1, then 1 refused + 1 retried
    assert pds.calls["com.atproto.server.createSession"] == 2


async def test_a_429_says_when_and_tells_the_shared_budget() -> None:
    pds, clock, budget = ScriptedPds(), [NOW], RecordingBudget()
    bluesky = connector(pds, clock, budget)
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


async def test_every_call_is_paid_for_first_and_a_spent_budget_sends_nothing() -> None:
    pds, clock, budget = ScriptedPds(), [NOW], RecordingBudget()
    bluesky = connector(pds, clock, budget)
    await bluesky.publish(ACCOUNT, DRAFT)
    # createSession is a call like any other; the post pays its post units.
    assert budget.takes == [("bluesky", "a1", 0.0), ("bluesky", "a1", 1.0)]
    budget.refuse_until = datetime.fromtimestamp(NOW + 60, UTC)
    with pytest.raises(RateLimited):
        await bluesky.publish(ACCOUNT, PostDraft("s2", "x", None, "es", DRAFT.created_at))
    assert pds.calls["com.atproto.repo.createRecord"] == 1


async def test_server_errors_are_retryable() -> None:
    pds, clock = ScriptedPds(), [NOW]
    bluesky = connector(pds, clock)
    pds.create_answers = [httpx.Response(503, json={"error": "InternalServerError"})]
    with pytest.raises(RetryableNetworkError):
        await bluesky.publish(ACCOUNT, DRAFT)


async def test_server_error_after_the_record_was_written_returns_it() -> None:
    """An unknown outcome (5xx) resolved by looking the key up."""
    pds, clock = ScriptedPds(), [NOW]
    bluesky = connector(pds, clock)
    first = await bluesky.publish(ACCOUNT, DRAFT)
    pds.create_answers = [httpx.Response(502, text="bad gateway")]
    again = await bluesky.publish(ACCOUNT, DRAFT)
    assert again.uri == first.uri and again.already_existed


async def test_other_client_errors_are_rejections() -> None:
    pds, clock = ScriptedPds(), [NOW]
    bluesky = connector(pds, clock)
    pds.create_answers = [
        httpx.Response(400, json={"error": "InvalidRecord", "message": "Record/text too long"})
    ]
    with pytest.raises(RejectedByNetwork) as error:
        await bluesky.publish(ACCOUNT, DRAFT)
    assert "InvalidRecord" in error.value.reason and not isinstance(
        error.value, CredentialsRejected
    )


async def test_the_record_carries_text_language_and_link_facet() -> None:
    pds, clock = ScriptedPds(), [NOW]
    seen: list[dict[str, object]] = []

    def capture(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("createRecord"):
            seen.append(json.loads(request.content))
        return pds(request)

    bluesky = BlueskyConnector(
        "http://pds.test",
        RecordingBudget(),
        client=httpx.AsyncClient(transport=httpx.MockTransport(capture)),
        clock=lambda: clock[0],
    )
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

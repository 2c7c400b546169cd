"""Contract tests of the X connector against the X simulator: the exact
requests it sends (method, path, query, Authorization, Content-Type, JSON
bodies) and what it makes of each answer X documents (201, 401, 403
duplicate, 400 too long, 429 with its headers, 5xx, a timeout after the
write, no connection), with the shared budget taken before every call."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

import pytest
from publishing_service.adapters.x import XConnector
from publishing_service.app.ports import (
    AccountCredentials,
    CredentialsRejected,
    MediaItem,
    OutcomeUnknown,
    PostDraft,
    PublishedPost,
    RateLimited,
    RejectedByNetwork,
    Rejection,
    RetryableNetworkError,
)
from publishing_service.domain.post_text import compose
from publishing_service.domain.rate_signals import RateSignal, Scope

from tests.simulators.harness import Fault, RecordingBudget, SimulatorTransport
from tests.simulators.x import DUPLICATE, SimUser, XSimulator, forbidden

START = 1_800_000_100.0  # 100 s into a 15-minute window (windows align to the epoch)
WINDOW_RESET = datetime.fromtimestamp(1_800_000_900, UTC)
DAY_RESET = datetime.fromtimestamp((int(START // 86_400) + 1) * 86_400, UTC)
TOKEN = "x-user-token-1"
SHORT = "https://l.chorus.test/l/abc12345"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> float:
        return self.now

    def at(self) -> datetime:
        return datetime.fromtimestamp(self.now, UTC)


@dataclass
class World:
    clock: Clock
    sim: XSimulator
    transport: SimulatorTransport
    budget: RecordingBudget
    connector: XConnector
    user: SimUser
    account: AccountCredentials


def secret(token: str, expires_at: datetime | None) -> str:
    stored: dict[str, str] = {"access_token": token}
    if expires_at is not None:
        stored["expires_at"] = expires_at.isoformat()
    return json.dumps(stored)


def make_world(**limits: int) -> World:
    clock = Clock()
    sim = XSimulator(clock=clock, **limits)
    transport = SimulatorTransport(sim.app)
    budget = RecordingBudget()
    connector = XConnector(budget, client=transport.client(), clock=clock)
    user = sim.add_user(TOKEN)
    expires = clock.at() + timedelta(hours=2)
    account = AccountCredentials("acct-x-1", "@ambassador", secret(TOKEN, expires))
    return World(clock, sim, transport, budget, connector, user, account)


@pytest.fixture
async def world():
    made = make_world()
    yield made
    await made.connector.aclose()


def draft(text: str = "Our new plant opens today", *, share: str = "share-1", **more) -> PostDraft:
    composed = compose(text, "", more.pop("short", SHORT), max_length=280)
    return PostDraft(
        share_id=share,
        text=composed.text,
        link=composed.link,
        language="en",
        created_at=datetime(2026, 12, 3, 9, 0, tzinfo=UTC),
        **more,
    )


def routes(world: World) -> list[tuple[str, str]]:
    return [(r.method, r.path) for r in world.transport.requests]


def signals(world: World) -> list[RateSignal]:
    return [s for _, _, s in world.budget.signals]


# --- verify -------------------------------------------------------------------


async def test_verify_asks_users_me_with_the_bearer_token(world: World):
    verified = await world.connector.verify(world.account)

    assert verified.network_account_id == world.user.id
    assert verified.token_expires_at == world.clock.at() + timedelta(hours=2)
    [request] = world.transport.requests
    assert (request.method, request.url.path, request.url.query) == ("GET", "/2/users/me", b"")
    assert request.url.host == "api.x.com"
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    assert world.budget.takes == [("x", "acct-x-1", 0.0)]


async def test_verify_of_a_token_x_refuses_asks_for_a_reconnection(world: World):
    world.sim.revoke(TOKEN)

    with pytest.raises(CredentialsRejected) as refused:
        await world.connector.verify(world.account)

    assert refused.value.kind is Rejection.RECONNECT
    assert TOKEN not in refused.value.reason


async def test_a_bare_token_is_verified_without_an_expiry(world: World):
    bare = AccountCredentials("acct-x-1", "@ambassador", TOKEN)

    verified = await world.connector.verify(bare)

    assert (verified.network_account_id, verified.token_expires_at) == (world.user.id, None)


# --- publish ------------------------------------------------------------------


async def test_publish_posts_the_text_and_says_where_it_is(world: World):
    post = draft()

    published = await world.connector.publish(world.account, post)

    [made] = world.sim.posts_of(world.user)
    assert published == PublishedPost(
        uri=made.id, cid="", already_existed=False, url=f"https://x.com/i/web/status/{made.id}"
    )
    [request] = world.transport.requests
    assert (request.method, str(request.url)) == ("POST", "https://api.x.com/2/tweets")
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    assert request.headers["content-type"] == "application/json"
    assert request.json() == {"text": f"Our new plant opens today {SHORT}"}
    # The post's units are taken from the budget on the call that creates it.
    assert world.budget.takes == [("x", "acct-x-1", 1.0)]


async def test_the_rate_limit_headers_of_a_post_are_observed(world: World):
    await world.connector.publish(world.account, draft())

    assert signals(world) == [
        RateSignal(Scope.ACCOUNT, remaining=99, limit=100, reset_at=WINDOW_RESET),
        RateSignal(Scope.APP, remaining=9_999, limit=10_000, reset_at=DAY_RESET),
    ]


async def test_images_are_uploaded_given_alt_text_and_attached(world: World):
    images = (
        MediaItem("drive-1", "image/png", PNG, alt_text="The new plant at dawn"),
        MediaItem("drive-2", "image/jpeg", b"\xff\xd8\xff" + b"\x01" * 32),
    )

    await world.connector.publish(world.account, draft(media=images))

    assert routes(world) == [
        ("POST", "/2/media/upload"),
        ("POST", "/2/media/metadata"),
        ("POST", "/2/media/upload"),
        ("POST", "/2/tweets"),
    ]
    first, metadata, second, tweet = world.transport.requests
    assert first.headers["content-type"] == "application/json"
    assert first.json() == {
        "media": base64.b64encode(PNG).decode(),
        "media_category": "tweet_image",
        "media_type": "image/png",
    }
    assert second.json()["media_type"] == "image/jpeg"
    ids = list(world.sim.media)
    assert metadata.json() == {
        "id": ids[0],
        "metadata": {"alt_text": {"text": "The new plant at dawn"}},
    }
    assert tweet.json()["media"] == {"media_ids": ids}
    assert world.sim.media[ids[0]].data == PNG
    assert world.sim.media[ids[0]].alt_text == "The new plant at dawn"
    assert [m.alt_text for m in world.sim.media.values()] == ["The new plant at dawn", ""]
    # Uploads are calls; only the create spends post units.
    assert [posts for _, _, posts in world.budget.takes] == [0.0, 0.0, 0.0, 1.0]


async def test_an_image_x_refuses_is_media_refused_and_nothing_is_posted(world: World):
    too_big = MediaItem("drive-1", "image/png", b"\x00" * (5 * 1024 * 1024 + 1))

    with pytest.raises(RejectedByNetwork) as refused:
        await world.connector.publish(world.account, draft(media=(too_big,)))

    assert refused.value.kind is Rejection.MEDIA_REFUSED
    assert routes(world) == [("POST", "/2/media/upload")]
    assert world.sim.posts == []


@pytest.mark.parametrize(
    "media",
    [
        (MediaItem("drive-gif", "image/gif", b"GIF89a"),),
        tuple(MediaItem(f"drive-{n}", "image/png", PNG) for n in range(5)),
    ],
    ids=["a gif (chunked upload only)", "five images"],
)
async def test_media_x_does_not_take_is_refused_before_anything_is_sent(world: World, media):
    with pytest.raises(RejectedByNetwork) as refused:
        await world.connector.publish(world.account, draft(media=media))

    assert refused.value.kind is Rejection.MEDIA_REFUSED
    assert world.transport.requests == []
    assert world.budget.takes == []


async def test_text_over_280_is_text_too_long(world: World):
    # Past 280 by X's count (composing would have shortened it: an edit could not).
    long = replace(draft(), text="word " * 60 + SHORT)

    with pytest.raises(RejectedByNetwork) as refused:
        await world.connector.publish(world.account, long)

    assert refused.value.kind is Rejection.TEXT_TOO_LONG
    assert "word word" not in refused.value.reason
    assert world.sim.posts == []


async def test_an_expired_token_x_refuses_asks_for_a_reconnection(world: World):
    world.sim.expire(TOKEN)

    with pytest.raises(CredentialsRejected) as refused:
        await world.connector.publish(world.account, draft())

    assert refused.value.kind is Rejection.RECONNECT
    assert TOKEN not in refused.value.reason
    assert "plant" not in refused.value.reason
    assert world.sim.posts == []


async def test_a_token_past_its_stored_expiry_is_not_sent(world: World):
    world.clock.now += 2 * 3600  # X user tokens live two hours

    for call in (world.connector.publish, world.connector.find):
        with pytest.raises(CredentialsRejected):
            await call(world.account, draft())
    with pytest.raises(CredentialsRejected):
        await world.connector.verify(world.account)

    assert world.transport.requests == []


async def test_an_unreadable_stored_secret_asks_for_a_reconnection(world: World):
    broken = AccountCredentials("acct-x-1", "@ambassador", '{"refresh_token": "r"}')

    with pytest.raises(CredentialsRejected):
        await world.connector.publish(broken, draft())

    assert world.transport.requests == []


async def test_a_duplicate_of_this_shares_post_is_the_post_already_made(world: World):
    first = await world.connector.publish(world.account, draft())

    again = await world.connector.publish(world.account, draft())

    assert again == PublishedPost(uri=first.uri, cid="", already_existed=True, url=first.url)
    assert len(world.sim.posts_of(world.user)) == 1
    assert routes(world)[1:] == [
        ("POST", "/2/tweets"),  # 403 duplicate content
        ("GET", "/2/users/me"),
        ("GET", f"/2/users/{world.user.id}/tweets"),
    ]


async def test_a_duplicate_find_cannot_see_is_refused_as_duplicate(world: World):
    text = "Same words, no link"
    world.sim.seed_post(world.user, text)
    for n in range(20):  # the duplicate is older than the 20 posts find reads
        world.sim.seed_post(world.user, f"something else {n}")
    unlinked = PostDraft(
        share_id="share-2",
        text=text,
        link=None,
        language="en",
        created_at=datetime(2026, 12, 3, 9, 0, tzinfo=UTC),
    )

    with pytest.raises(RejectedByNetwork) as refused:
        await world.connector.publish(world.account, unlinked)

    assert refused.value.kind is Rejection.DUPLICATE
    assert DUPLICATE in refused.value.reason
    assert len(world.sim.posts_of(world.user)) == 21


async def test_another_refusal_is_refused_with_xs_detail(world: World):
    world.sim.respond_next(
        "POST", "/2/tweets", 403, forbidden("You are not permitted to perform this action.")
    )

    with pytest.raises(RejectedByNetwork) as refused:
        await world.connector.publish(world.account, draft())

    assert refused.value.kind is Rejection.REFUSED
    assert "You are not permitted to perform this action." in refused.value.reason


# --- rate limits ----------------------------------------------------------------


async def test_the_users_window_spent_is_rate_limited_until_its_reset():
    world = make_world(posts_per_window=2)
    try:
        for n in range(2):
            await world.connector.publish(world.account, draft(share=f"s{n}", short=f"{SHORT}{n}"))

        with pytest.raises(RateLimited) as limited:
            await world.connector.publish(world.account, draft(share="s2", short=f"{SHORT}2"))

        assert (limited.value.retry_at, limited.value.scope) == (WINDOW_RESET, Scope.ACCOUNT)
        assert len(world.sim.posts) == 2
        assert signals(world)[-1] == RateSignal(Scope.ACCOUNT, retry_at=WINDOW_RESET)
        assert RateSignal(Scope.ACCOUNT, remaining=0, limit=2, reset_at=WINDOW_RESET) in signals(
            world
        )
    finally:
        await world.connector.aclose()


async def test_the_apps_day_spent_is_rate_limited_for_the_whole_app():
    world = make_world(app_posts_per_day=1)
    try:
        other = world.sim.add_user("x-user-token-2", "colleague")
        colleague = AccountCredentials("acct-x-2", "@colleague", other.token)
        await world.connector.publish(world.account, draft())

        with pytest.raises(RateLimited) as limited:
            await world.connector.publish(colleague, draft(share="s2", short=f"{SHORT}2"))

        assert (limited.value.retry_at, limited.value.scope) == (DAY_RESET, Scope.APP)
        assert world.budget.signals[-1] == (
            "x",
            "acct-x-2",
            RateSignal(Scope.APP, retry_at=DAY_RESET),
        )
        assert world.sim.posts_of(other) == []
    finally:
        await world.connector.aclose()


async def test_a_429_that_says_no_reset_waits_one_window(world: World):
    world.sim.respond_next("POST", "/2/tweets", 429, headers=False)

    with pytest.raises(RateLimited) as limited:
        await world.connector.publish(world.account, draft())

    assert limited.value.retry_at == world.clock.at() + timedelta(minutes=15)
    assert limited.value.scope is Scope.ACCOUNT


async def test_another_endpoints_window_is_passed_on_only_when_spent(world: World):
    await world.connector.verify(world.account)
    assert signals(world) == []  # 74 of users/me's 75 left says nothing of posts

    world.sim.exhaust("GET", "/2/users/me", world.user)
    with pytest.raises(RateLimited) as limited:
        await world.connector.verify(world.account)

    assert limited.value.retry_at == WINDOW_RESET
    assert signals(world) == [
        RateSignal(Scope.ACCOUNT, retry_at=WINDOW_RESET),
        RateSignal(Scope.ACCOUNT, retry_at=WINDOW_RESET),
    ]


async def test_a_refusing_budget_sends_nothing(world: World):
    world.budget.refuse_until = world.clock.at() + timedelta(minutes=5)

    for call in (world.connector.publish, world.connector.find):
        with pytest.raises(RateLimited):
            await call(world.account, draft(media=(MediaItem("d", "image/png", PNG),)))
    with pytest.raises(RateLimited):
        await world.connector.verify(world.account)

    assert world.transport.requests == []
    assert world.sim.posts == []


# --- unknown outcomes and reconciliation ------------------------------------------


async def test_a_timeout_after_the_write_is_unknown_then_find_returns_the_post(world: World):
    world.transport.fail_next(Fault.TIMEOUT_AFTER_WRITE)

    with pytest.raises(OutcomeUnknown):
        await world.connector.publish(world.account, draft())
    found = await world.connector.find(world.account, draft())

    [made] = world.sim.posts_of(world.user)
    assert found == PublishedPost(
        uri=made.id, cid="", already_existed=True, url=f"https://x.com/i/web/status/{made.id}"
    )
    assert routes(world) == [
        ("POST", "/2/tweets"),
        ("GET", "/2/users/me"),
        ("GET", f"/2/users/{world.user.id}/tweets"),
    ]
    timeline = world.transport.requests[-1]
    assert dict(timeline.url.params) == {
        "max_results": "20",
        "tweet.fields": "entities",
        "exclude": "retweets,replies",
    }
    assert timeline.headers["authorization"] == f"Bearer {TOKEN}"
    # X shows t.co links: the post is known by its links as posted.
    assert SHORT not in made.shown


async def test_a_5xx_on_the_create_is_unknown_and_never_sent_twice(world: World):
    world.sim.respond_next("POST", "/2/tweets", 503, after_write=True)

    with pytest.raises(OutcomeUnknown):
        await world.connector.publish(world.account, draft())
    found = await world.connector.find(world.account, draft())

    assert found is not None and found.already_existed
    assert len(world.sim.posts_of(world.user)) == 1
    assert len(world.transport.sent("POST", "/2/tweets")) == 1


async def test_find_is_none_when_the_share_was_not_posted(world: World):
    world.sim.seed_post(world.user, f"Another share {SHORT}9")
    world.sim.seed_post(world.user, f"A reply {SHORT}", reply=True)

    assert await world.connector.find(world.account, draft()) is None
    assert await world.connector.find(world.account, draft()) is None

    # The user id is asked once, then known.
    assert routes(world).count(("GET", "/2/users/me")) == 1
    assert [posts for _, _, posts in world.budget.takes] == [0.0, 0.0, 0.0]


async def test_a_connection_error_before_sending_is_retryable_not_unknown(world: World):
    world.transport.fail_next(Fault.CONNECT_ERROR)

    with pytest.raises(RetryableNetworkError) as failed:
        await world.connector.publish(world.account, draft())

    assert not isinstance(failed.value, OutcomeUnknown)
    assert world.sim.posts == []


@pytest.mark.parametrize("route", ["/2/users/me", "timeline"])
async def test_a_5xx_on_a_lookup_is_retryable(world: World, route: str):
    world.sim.respond_next("GET", route, 500)
    if route == "timeline":
        await world.connector.verify(world.account)  # the user id is known

    with pytest.raises(RetryableNetworkError) as failed:
        await world.connector.find(world.account, draft())

    assert not isinstance(failed.value, OutcomeUnknown | RateLimited)


async def test_a_5xx_on_an_upload_is_retryable_and_posts_nothing(world: World):
    world.sim.respond_next("POST", "/2/media/upload", 503)

    with pytest.raises(RetryableNetworkError) as failed:
        await world.connector.publish(
            world.account, draft(media=(MediaItem("d", "image/png", PNG),))
        )

    assert not isinstance(failed.value, OutcomeUnknown)
    assert world.transport.sent("POST", "/2/tweets") == []

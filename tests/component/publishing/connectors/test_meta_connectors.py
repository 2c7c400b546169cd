"""The Meta connectors' contract (Facebook Pages and Instagram professional
accounts), on the Graph API simulator (tests/simulators/meta.py, built to
Meta's documentation): the exact requests they send (method, path, query,
Authorization, Content-Type, form and multipart fields), the budget taken
before each one and told what each answer said, and every outcome the
network can give."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from publishing_service.adapters.meta import (
    GRAPH_API_BASE,
    GRAPH_API_VERSION,
    FacebookConnector,
    InstagramConnector,
)
from publishing_service.app.ports import (
    AccountCredentials,
    CredentialsRejected,
    MediaItem,
    OutcomeUnknown,
    PostDraft,
    RateLimited,
    RejectedByNetwork,
    Rejection,
    RetryableNetworkError,
    VerifiedAccount,
)
from publishing_service.domain.post_text import LinkSpan
from publishing_service.domain.rate_signals import META_WINDOW, RateSignal, Scope

from tests.simulators.harness import Fault, RecordedRequest, RecordingBudget, SimulatorTransport
from tests.simulators.meta import (
    DUPLICATE,
    MAX_MESSAGE,
    MetaSimulator,
    SimInstagram,
    SimPage,
    SimUser,
    graph_error,
    multipart_parts,
)

START = 1_780_000_000.0
PAGE_TOKEN = "EAAPage-token"
USER_TOKEN = "EAAUser-token"
EXPIRES = datetime(2027, 2, 1, tzinfo=UTC)
SHORT = "https://l.test/k3y"
TEXT = f"Our new report is out! Read it {SHORT}"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
V = f"/{GRAPH_API_VERSION}"


def at(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def draft(
    share_id: str = "share-1", text: str = TEXT, media: tuple[MediaItem, ...] = ()
) -> PostDraft:
    """A share's draft; its tracked link is the text's https://l.test/… URL."""
    link = None
    if found := re.search(r"https://l\.test/\S+", text):
        start = len(text[: found.start()].encode())
        link = LinkSpan(found.group(), start, start + len(found.group().encode()))
    return PostDraft(
        share_id=share_id,
        text=text,
        link=link,
        language="en",
        created_at=datetime(2026, 6, 1, tzinfo=UTC),
        media=media,
    )


def image(url: str = "", alt: str = "The report's cover", media_id: str = "m-1") -> MediaItem:
    return MediaItem(media_id=media_id, content_type="image/png", data=PNG, alt_text=alt, url=url)


def secret(token: str) -> str:
    return json.dumps({"access_token": token, "expires_at": EXPIRES.isoformat()})


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@dataclass
class ObeyingBudget(RecordingBudget):
    """The shared budget's contract as far as these tests need it: a "not
    before" an answer gave (usage past 90%, a limit) refuses later takes."""

    async def observe(self, network: str, account_key: str, signals: Sequence[RateSignal]) -> None:
        await super().observe(network, account_key, signals)
        for signal in signals:
            until = signal.blocks_until
            if until is not None and (self.refuse_until is None or until > self.refuse_until):
                self.refuse_until = until


@dataclass
class World:
    sim: MetaSimulator
    transport: SimulatorTransport
    budget: RecordingBudget
    clock: Clock
    page: SimPage
    user: SimUser
    ig: SimInstagram
    facebook: FacebookConnector
    instagram: InstagramConnector

    @property
    def page_account(self) -> AccountCredentials:
        return AccountCredentials("acct-fb", handle=self.page.id, secret=secret(PAGE_TOKEN))

    @property
    def ig_account(self) -> AccountCredentials:
        return AccountCredentials("acct-ig", handle=self.ig.id, secret=secret(USER_TOKEN))

    def arm_on_create(self, fault: Fault) -> None:
        """The call that creates the post (the one taking post units) fails so."""
        transport = self.transport
        budget = self.budget
        take = budget.take

        async def arming(network: str, account_key: str, *, posts: float = 0.0) -> None:
            await take(network, account_key, posts=posts)
            if posts > 0 and budget.take is arming:
                transport.fail_next(fault)
                budget.take = take  # type: ignore[method-assign]  # once

        budget.take = arming  # type: ignore[method-assign]


def build(budget: RecordingBudget | None = None) -> World:
    clock = Clock(START)
    sim = MetaSimulator(clock=clock)
    page = sim.add_page("Acme", PAGE_TOKEN)
    user = sim.add_user("Ada", USER_TOKEN, pages=[page.id])
    ig = sim.add_instagram(page.id, "acme")
    transport = SimulatorTransport(sim.app)
    budget = budget or RecordingBudget()
    return World(
        sim,
        transport,
        budget,
        clock,
        page,
        user,
        ig,
        FacebookConnector(budget, client=transport.client(), clock=clock),
        InstagramConnector(budget, client=transport.client(), clock=clock),
    )


@pytest.fixture
async def world() -> AsyncIterator[World]:
    built = build()
    yield built
    await built.facebook.aclose()
    await built.instagram.aclose()


def sent(world: World) -> list[tuple[str, str, dict[str, str]]]:
    return [(r.method, r.path, dict(r.url.params)) for r in world.transport.requests]


def form(request: RecordedRequest) -> dict[str, str]:
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    return {k: v[-1] for k, v in request.form().items()}


def assert_bearer(world: World, token: str) -> None:
    """The token rides in the Authorization header, never in a URL or a body."""
    for request in world.transport.requests:
        assert request.headers["authorization"] == f"Bearer {token}"
        assert "access_token" not in request.url.params
        assert token.encode() not in request.body
        assert request.url.host == "graph.facebook.com"


# --- Facebook: verify -----------------------------------------------------------


async def test_facebook_verify_accepts_the_pages_own_token(world: World) -> None:
    verified = await world.facebook.verify(world.page_account)

    assert verified == VerifiedAccount(world.page.id, EXPIRES)
    assert GRAPH_API_BASE == f"https://graph.facebook.com{V}"
    assert sent(world) == [
        ("GET", f"{V}/{world.page.id}", {"fields": "id,name"}),
        ("GET", f"{V}/me", {"fields": "id"}),
        ("GET", f"{V}/me/accounts", {"fields": "id"}),
    ]
    assert_bearer(world, PAGE_TOKEN)
    assert world.budget.takes == [("facebook", "acct-fb", 0.0)] * 3


async def test_facebook_verify_refuses_a_personal_timeline_with_a_reason(world: World) -> None:
    profile = AccountCredentials("acct-fb", handle=world.user.id, secret=secret(USER_TOKEN))

    with pytest.raises(RejectedByNetwork) as refused:
        await world.facebook.verify(profile)

    assert refused.value.kind is Rejection.NOT_SUPPORTED
    assert "does not allow apps to post to personal timelines" in refused.value.reason
    assert "Page you manage" in refused.value.reason


async def test_facebook_verify_refuses_a_token_of_someone_without_that_page(world: World) -> None:
    world.sim.add_user("Bob", "EAABob", pages=[])
    bobs = AccountCredentials("acct-fb", handle=world.page.id, secret=secret("EAABob"))

    with pytest.raises(RejectedByNetwork) as refused:
        await world.facebook.verify(bobs)

    assert refused.value.kind is Rejection.NOT_SUPPORTED
    assert "personal timelines" in refused.value.reason


async def test_facebook_verify_asks_for_the_page_token_when_given_the_managers(
    world: World,
) -> None:
    managers = AccountCredentials("acct-fb", handle=world.page.id, secret=secret(USER_TOKEN))

    with pytest.raises(RejectedByNetwork) as refused:
        await world.facebook.verify(managers)

    assert refused.value.kind is Rejection.NOT_SUPPORTED
    assert "Page's own access token" in refused.value.reason


async def test_facebook_verify_with_an_expired_token_asks_to_reconnect(world: World) -> None:
    world.sim.expire(PAGE_TOKEN)

    with pytest.raises(CredentialsRejected) as refused:
        await world.facebook.verify(world.page_account)

    assert refused.value.kind is Rejection.RECONNECT
    assert "190/463" in refused.value.reason
    assert len(world.transport.requests) == 1


async def test_an_unreadable_stored_token_asks_to_reconnect_without_a_call(world: World) -> None:
    broken = AccountCredentials("acct-fb", handle=world.page.id, secret="{}")

    with pytest.raises(CredentialsRejected):
        await world.facebook.publish(broken, draft())

    assert world.transport.requests == []
    assert world.budget.takes == []


# --- Facebook: publish ----------------------------------------------------------


async def test_facebook_posts_to_the_page_feed_with_its_link(world: World) -> None:
    post = await world.facebook.publish(world.page_account, draft())

    [made] = world.sim.posts_of(world.page.id)
    assert post.uri == made.id and made.id.startswith(f"{world.page.id}_")
    assert post.url == made.permalink_url
    assert (post.cid, post.already_existed) == ("", False)
    create, permalink = world.transport.requests
    assert (create.method, create.path, dict(create.url.params)) == (
        "POST",
        f"{V}/{world.page.id}/feed",
        {},
    )
    assert form(create) == {"message": TEXT, "link": SHORT}
    assert (permalink.method, permalink.path, dict(permalink.url.params)) == (
        "GET",
        f"{V}/{made.id}",
        {"fields": "permalink_url"},
    )
    assert_bearer(world, PAGE_TOKEN)
    # The create call spends a post; the permalink lookup is a call.
    assert world.budget.takes == [("facebook", "acct-fb", 1.0), ("facebook", "acct-fb", 0.0)]


async def test_facebook_uploads_an_image_unpublished_then_attaches_it(world: World) -> None:
    post = await world.facebook.publish(world.page_account, draft(media=(image(),)))

    upload, create, _ = world.transport.requests
    assert (upload.method, upload.path) == ("POST", f"{V}/{world.page.id}/photos")
    assert upload.headers["content-type"].startswith("multipart/form-data; boundary=")
    parts = multipart_parts(upload.headers["content-type"], upload.body)
    assert set(parts) == {"published", "alt_text_custom", "source"}
    assert parts["published"].get_payload() == "false"
    assert parts["alt_text_custom"].get_payload() == "The report's cover"
    assert parts["source"].get_content_type() == "image/png"
    assert parts["source"].get_filename() == "m-1.png"
    assert parts["source"].get_payload(decode=True) == PNG
    [photo] = world.sim.photos.values()
    assert form(create) == {
        "message": TEXT,
        "attached_media[0]": json.dumps({"media_fbid": photo.id}),
    }
    [made] = world.sim.posts_of(world.page.id)
    assert made.photos == [photo.id] and photo.published
    assert post.uri == made.id
    assert [posts for _, _, posts in world.budget.takes] == [0.0, 1.0, 0.0]


async def test_facebook_lets_the_page_fetch_an_image_with_a_public_url(world: World) -> None:
    await world.facebook.publish(
        world.page_account, draft(media=(image(url="https://media.test/cover.png", alt=""),))
    )

    upload = world.transport.requests[0]
    assert form(upload) == {"published": "false", "url": "https://media.test/cover.png"}


async def test_facebook_refused_image_is_media_refused_and_nothing_is_posted(world: World) -> None:
    world.sim.unreachable.add("https://media.test/gone.png")

    with pytest.raises(RejectedByNetwork) as refused:
        await world.facebook.publish(
            world.page_account, draft(media=(image(url="https://media.test/gone.png"),))
        )

    assert refused.value.kind is Rejection.MEDIA_REFUSED
    assert "code 324" in refused.value.reason
    assert world.sim.posts_of(world.page.id) == []
    assert len(world.transport.requests) == 1


async def test_usage_below_metas_bar_holds_nothing(world: World) -> None:
    world.sim.account_usage.limit = 10

    await world.facebook.publish(world.page_account, draft())

    # Calls 1 and 2 of 10 for the Page (10%, 20%): far from 90%. A share of
    # Meta's budget is no count of calls left in ours, so nothing is passed
    # on (the 90% test below shows what is).
    assert world.budget.signals == []


async def test_usage_at_90_percent_blocks_what_comes_next() -> None:
    world = build(ObeyingBudget())
    world.sim.account_usage.limit = 10
    for _ in range(8):
        world.sim.account_usage.hit(world.page.id, START)

    post = await world.facebook.publish(world.page_account, draft())

    # The feed call was the Page's 9th of 10: 90%, Meta's bar. The shared
    # budget blocks the Page for Meta's hour: the permalink is not asked.
    assert post.uri and post.url == ""
    assert world.budget.refuse_until == at(START) + META_WINDOW
    assert [r.method for r in world.transport.requests] == ["POST"]
    with pytest.raises(RateLimited) as limited:
        await world.facebook.publish(world.page_account, draft("share-2", f"Again {SHORT}2"))
    assert limited.value.retry_at == at(START) + META_WINDOW
    assert len(world.transport.requests) == 1
    await world.facebook.aclose()
    await world.instagram.aclose()


async def test_running_the_page_budget_down_gets_metas_limit_until_it_regains(
    world: World,
) -> None:
    world.sim.account_usage.limit = 2
    await world.facebook.publish(world.page_account, draft())
    world.clock.now = START + 600  # the Page's two calls leave the hour at START + 3600

    with pytest.raises(RateLimited) as limited:
        await world.facebook.publish(world.page_account, draft("share-2", f"Next {SHORT}2"))

    assert limited.value.scope is Scope.ACCOUNT
    # estimated_time_to_regain_access: 50 minutes
    assert limited.value.retry_at == at(START + 600) + timedelta(minutes=50)
    assert "code 80001" in limited.value.reason
    assert RateSignal(Scope.ACCOUNT, retry_at=limited.value.retry_at) in [
        signal for _, _, signal in world.budget.signals
    ]
    assert len(world.sim.posts_of(world.page.id)) == 1


async def test_the_apps_limit_is_an_app_wide_wait_of_metas_hour(world: World) -> None:
    world.sim.app_usage.limit = 1
    await world.facebook.find(world.page_account, draft())

    with pytest.raises(RateLimited) as limited:
        await world.facebook.publish(world.page_account, draft())

    # Code 4 and X-App-Usage at 100% without an estimate: an hour.
    assert limited.value.scope is Scope.APP
    assert limited.value.retry_at == at(START) + META_WINDOW
    assert RateSignal(Scope.APP, retry_at=at(START) + META_WINDOW) in [
        signal for _, _, signal in world.budget.signals
    ]


async def test_a_429_waits_as_long_as_retry_after_says(world: World) -> None:
    world.sim.respond_next(
        "POST feed",
        429,
        graph_error(4, "(#4) Application request limit reached"),
        headers={"Retry-After": "120"},
    )

    with pytest.raises(RateLimited) as limited:
        await world.facebook.publish(world.page_account, draft())

    assert limited.value.retry_at == at(START + 120)
    assert world.sim.posts_of(world.page.id) == []


async def test_a_5xx_on_the_feed_post_is_an_unknown_outcome(world: World) -> None:
    world.sim.respond_next("POST feed", 500)

    with pytest.raises(OutcomeUnknown):
        await world.facebook.publish(world.page_account, draft())

    assert await world.facebook.find(world.page_account, draft()) is None


async def test_a_5xx_on_an_upload_is_retryable_and_posts_nothing(world: World) -> None:
    world.sim.respond_next("POST photos", 503)

    with pytest.raises(RetryableNetworkError) as failed:
        await world.facebook.publish(world.page_account, draft(media=(image(),)))

    assert not isinstance(failed.value, OutcomeUnknown)
    assert [r.path for r in world.transport.requests] == [f"{V}/{world.page.id}/photos"]


async def test_a_timeout_after_the_feed_post_then_find_returns_it_once(world: World) -> None:
    world.arm_on_create(Fault.TIMEOUT_AFTER_WRITE)

    with pytest.raises(OutcomeUnknown):
        await world.facebook.publish(world.page_account, draft())

    [made] = world.sim.posts_of(world.page.id)
    found = await world.facebook.find(world.page_account, draft())
    assert found is not None
    assert (found.uri, found.url, found.already_existed) == (made.id, made.permalink_url, True)
    assert sent(world)[-1] == (
        "GET",
        f"{V}/{world.page.id}/posts",
        {"fields": "id,message,permalink_url", "limit": "25"},
    )
    # Sent again anyway (a redelivery): Facebook refuses the same message
    # twice (506), and the post made the first time is the answer.
    again = await world.facebook.publish(world.page_account, draft())
    assert (again.uri, again.already_existed) == (made.id, True)
    assert len(world.sim.posts_of(world.page.id)) == 1


async def test_a_5xx_after_the_write_is_found_by_its_short_link(world: World) -> None:
    other = await world.facebook.publish(
        world.page_account, draft("share-0", "Hello https://l.test/0ther")
    )
    world.sim.respond_next("POST feed", 500, after_write=True)

    with pytest.raises(OutcomeUnknown):
        await world.facebook.publish(world.page_account, draft())

    found = await world.facebook.find(world.page_account, draft())
    assert found is not None and found.uri != other.uri
    assert found.uri == world.sim.posts_of(world.page.id)[-1].id


async def test_a_connection_error_before_sending_is_retryable(world: World) -> None:
    world.transport.fail_next(Fault.CONNECT_ERROR)

    with pytest.raises(RetryableNetworkError) as failed:
        await world.facebook.publish(world.page_account, draft())

    assert not isinstance(failed.value, OutcomeUnknown)
    assert world.sim.posts_of(world.page.id) == []


@pytest.mark.parametrize(("revoke", "subcode"), [(False, "463"), (True, "467")])
async def test_an_expired_or_revoked_token_asks_to_reconnect(
    world: World, revoke: bool, subcode: str
) -> None:
    (world.sim.revoke if revoke else world.sim.expire)(PAGE_TOKEN)

    with pytest.raises(CredentialsRejected) as refused:
        await world.facebook.publish(world.page_account, draft())

    assert refused.value.kind is Rejection.RECONNECT
    assert f"code 190/{subcode}" in refused.value.reason
    assert PAGE_TOKEN not in refused.value.reason


async def test_a_message_too_long_is_text_too_long(world: World) -> None:
    long_text = "x" * (MAX_MESSAGE - len(SHORT)) + f" {SHORT}"

    with pytest.raises(RejectedByNetwork) as refused:
        await world.facebook.publish(world.page_account, draft(text=long_text))

    assert refused.value.kind is Rejection.TEXT_TOO_LONG
    assert "x" * 20 not in refused.value.reason  # never the post text


async def test_a_duplicate_that_is_not_this_shares_post_is_duplicate(world: World) -> None:
    world.sim.respond_next("POST feed", 400, graph_error(506, DUPLICATE))

    with pytest.raises(RejectedByNetwork) as refused:
        await world.facebook.publish(world.page_account, draft())

    assert refused.value.kind is Rejection.DUPLICATE
    assert [r.path for r in world.transport.requests][-1] == f"{V}/{world.page.id}/posts"


async def test_a_refusing_budget_sends_nothing(world: World) -> None:
    world.budget.refuse_until = at(START + 900)

    for call in (
        world.facebook.publish(world.page_account, draft()),
        world.instagram.publish(world.ig_account, draft(media=(image("https://m.test/a"),))),
    ):
        with pytest.raises(RateLimited) as limited:
            await call
        assert limited.value.retry_at == at(START + 900)

    assert world.transport.requests == []


async def test_facebook_find_matches_only_this_shares_short_link(world: World) -> None:
    await world.facebook.publish(world.page_account, draft("share-0", "Hi https://l.test/0ther"))

    assert await world.facebook.find(world.page_account, draft()) is None
    # Without a link, the same text is this share's post.
    plain = draft("share-9", "No link here")
    await world.facebook.publish(world.page_account, plain)
    found = await world.facebook.find(world.page_account, plain)
    assert found is not None and found.uri == world.sim.posts_of(world.page.id)[-1].id


# --- Instagram ------------------------------------------------------------------


async def test_instagram_verify_reads_the_professional_account(world: World) -> None:
    verified = await world.instagram.verify(world.ig_account)

    assert verified == VerifiedAccount(world.ig.id, EXPIRES)
    assert sent(world) == [("GET", f"{V}/{world.ig.id}", {"fields": "id,username"})]
    assert_bearer(world, USER_TOKEN)


async def test_instagram_verify_of_an_unknown_account_says_what_can_be_connected(
    world: World,
) -> None:
    unknown = AccountCredentials("acct-ig", handle="17841499999", secret=secret(USER_TOKEN))

    with pytest.raises(RejectedByNetwork) as refused:
        await world.instagram.verify(unknown)

    assert refused.value.kind is Rejection.NOT_SUPPORTED
    assert "professional accounts" in refused.value.reason


async def test_instagram_publishes_a_container_then_media_publish(world: World) -> None:
    cover = image("https://media.test/cover.png")

    post = await world.instagram.publish(world.ig_account, draft(media=(cover,)))

    [made] = world.sim.media_of(world.ig.id)
    assert (post.uri, post.url, post.already_existed) == (made.id, made.permalink, False)
    assert made.caption == TEXT
    quota, container, publish, permalink = world.transport.requests
    assert (quota.method, quota.path, dict(quota.url.params)) == (
        "GET",
        f"{V}/{world.ig.id}/content_publishing_limit",
        {"fields": "config,quota_usage"},
    )
    assert (container.method, container.path) == ("POST", f"{V}/{world.ig.id}/media")
    assert form(container) == {
        "image_url": "https://media.test/cover.png",
        "caption": TEXT,
        "alt_text": "The report's cover",
    }
    [created] = world.sim.containers.values()
    assert (publish.method, publish.path) == ("POST", f"{V}/{world.ig.id}/media_publish")
    assert form(publish) == {"creation_id": created.id}
    assert (permalink.path, dict(permalink.url.params)) == (
        f"{V}/{made.id}",
        {"fields": "permalink"},
    )
    assert_bearer(world, USER_TOKEN)
    # Only media_publish spends a post of the 50 a day.
    assert [posts for _, _, posts in world.budget.takes] == [0.0, 0.0, 1.0, 0.0]


async def test_instagram_publishes_several_images_as_a_carousel(world: World) -> None:
    images = (image("https://m.test/1.png", media_id="a"), image("https://m.test/2.png", alt=""))

    await world.instagram.publish(world.ig_account, draft(media=images))

    first, second, carousel = (form(r) for r in world.transport.requests[1:4])
    assert first == {
        "image_url": "https://m.test/1.png",
        "is_carousel_item": "true",
        "alt_text": "The report's cover",
    }
    assert second == {"image_url": "https://m.test/2.png", "is_carousel_item": "true"}
    children = [c.id for c in world.sim.containers.values() if c.carousel_item]
    assert carousel == {"media_type": "CAROUSEL", "children": ",".join(children), "caption": TEXT}
    [made] = world.sim.media_of(world.ig.id)
    assert made.media_type == "CAROUSEL" and made.children == children


async def test_instagram_without_an_image_is_not_supported_and_sends_nothing(
    world: World,
) -> None:
    with pytest.raises(RejectedByNetwork) as refused:
        await world.instagram.publish(world.ig_account, draft())
    assert refused.value.kind is Rejection.NOT_SUPPORTED
    assert "need an image" in refused.value.reason

    with pytest.raises(RejectedByNetwork) as refused:
        await world.instagram.publish(world.ig_account, draft(media=(image(url=""),)))
    assert refused.value.kind is Rejection.MEDIA_REFUSED
    assert "public address" in refused.value.reason

    assert world.transport.requests == []


async def test_instagram_quota_spent_waits_for_the_moving_window(world: World) -> None:
    # 50 posts in the last 24 hours, the oldest 23 hours ago.
    world.sim.published_earlier(world.ig.id, *(START - 23 * 3600 + 60 * i for i in range(50)))

    with pytest.raises(RateLimited) as limited:
        await world.instagram.publish(world.ig_account, draft(media=(image("https://m.test/a"),)))

    assert limited.value.scope is Scope.ACCOUNT
    assert limited.value.retry_at == at(START + 3600)  # the oldest turns 24 hours old
    assert RateSignal(Scope.ACCOUNT, retry_at=at(START + 3600)) in [
        signal for _, _, signal in world.budget.signals
    ]
    assert sent(world) == [
        ("GET", f"{V}/{world.ig.id}/content_publishing_limit", {"fields": "config,quota_usage"}),
        ("GET", f"{V}/{world.ig.id}/media", {"fields": "id,timestamp", "limit": "50"}),
    ]
    assert world.sim.containers == {}
    # An hour later the oldest has left: the post goes out.
    world.clock.now = START + 3600 + 1
    post = await world.instagram.publish(
        world.ig_account, draft(media=(image("https://m.test/a"),))
    )
    assert post.uri == world.sim.media_of(world.ig.id)[-1].id


async def test_instagram_timeout_after_media_publish_then_find_returns_it(world: World) -> None:
    world.arm_on_create(Fault.TIMEOUT_AFTER_WRITE)

    with pytest.raises(OutcomeUnknown):
        await world.instagram.publish(world.ig_account, draft(media=(image("https://m.test/a"),)))

    [made] = world.sim.media_of(world.ig.id)
    found = await world.instagram.find(world.ig_account, draft())
    assert found is not None
    assert (found.uri, found.url, found.already_existed) == (made.id, made.permalink, True)
    assert sent(world)[-1] == (
        "GET",
        f"{V}/{world.ig.id}/media",
        {"fields": "id,caption,permalink", "limit": "25"},
    )
    assert len(world.sim.media_of(world.ig.id)) == 1


async def test_instagram_5xx_on_media_publish_is_unknown_on_the_container_retryable(
    world: World,
) -> None:
    world.sim.respond_next("POST media_publish", 500)
    with pytest.raises(OutcomeUnknown):
        await world.instagram.publish(world.ig_account, draft(media=(image("https://m.test/a"),)))
    assert await world.instagram.find(world.ig_account, draft()) is None

    world.sim.respond_next("POST media", 502)
    with pytest.raises(RetryableNetworkError) as failed:
        await world.instagram.publish(world.ig_account, draft(media=(image("https://m.test/a"),)))
    assert not isinstance(failed.value, OutcomeUnknown)
    assert world.sim.media_of(world.ig.id) == []


async def test_instagram_container_not_ready_is_retryable_not_unknown(world: World) -> None:
    world.sim.containers_ready = False

    with pytest.raises(RetryableNetworkError) as failed:
        await world.instagram.publish(world.ig_account, draft(media=(image("https://m.test/a"),)))

    assert not isinstance(failed.value, OutcomeUnknown)
    assert "9007/2207027" in str(failed.value)


async def test_instagram_image_it_cannot_fetch_is_media_refused(world: World) -> None:
    world.sim.unreachable.add("https://m.test/private.png")

    with pytest.raises(RejectedByNetwork) as refused:
        await world.instagram.publish(
            world.ig_account, draft(media=(image("https://m.test/private.png"),))
        )

    assert refused.value.kind is Rejection.MEDIA_REFUSED
    assert "9004/2207052" in refused.value.reason
    assert world.transport.sent("POST", f"{V}/{world.ig.id}/media_publish") == []


async def test_instagram_caption_too_long_is_text_too_long(world: World) -> None:
    long_text = "y" * 2200 + f" {SHORT}"

    with pytest.raises(RejectedByNetwork) as refused:
        await world.instagram.publish(
            world.ig_account, draft(text=long_text, media=(image("https://m.test/a"),))
        )

    assert refused.value.kind is Rejection.TEXT_TOO_LONG


async def test_instagram_expired_token_asks_to_reconnect(world: World) -> None:
    world.sim.expire(USER_TOKEN)

    with pytest.raises(CredentialsRejected):
        await world.instagram.publish(world.ig_account, draft(media=(image("https://m.test/a"),)))

    assert len(world.transport.requests) == 1


async def test_instagram_account_limit_waits_for_regained_access(world: World) -> None:
    world.sim.account_usage.limit = 2

    with pytest.raises(RateLimited) as limited:
        await world.instagram.publish(world.ig_account, draft(media=(image("https://m.test/a"),)))

    # The quota read and the container were the account's 2 calls of the
    # hour: Meta refuses media_publish with 80002 until the first leaves it.
    assert "code 80002" in limited.value.reason
    assert limited.value.scope is Scope.ACCOUNT
    assert limited.value.retry_at == at(START) + timedelta(minutes=60)
    assert world.sim.media_of(world.ig.id) == []

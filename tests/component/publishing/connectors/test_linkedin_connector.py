"""Contract tests of the LinkedIn connector against the LinkedIn simulator
(tests/simulators/linkedin.py): the exact requests it sends (method, path,
query, headers, body) and what it makes of each answer LinkedIn gives."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from publishing_service.adapters.linkedin import (
    LINKEDIN_VERSION,
    LinkedInConnector,
    escape_little,
    unescape_little,
)
from publishing_service.app.ports import (
    AccountCredentials,
    CredentialsRejected,
    LinkCard,
    MediaItem,
    OutcomeUnknown,
    PostDraft,
    PublishedPost,
    RateLimited,
    RejectedByNetwork,
    Rejection,
    RetryableNetworkError,
    VerifiedAccount,
)
from publishing_service.domain.post_text import compose
from publishing_service.domain.rate_signals import RateSignal, Scope

from tests.simulators.harness import Fault, RecordedRequest, RecordingBudget, SimulatorTransport
from tests.simulators.linkedin import LinkedInSimulator

NOW = datetime(2026, 12, 3, 15, 30, tzinfo=UTC)
MIDNIGHT = datetime(2026, 12, 4, tzinfo=UTC)
TOKEN = "AQV-member-token"
SUB = "aB3_xY9k"
MEMBER = f"urn:li:person:{SUB}"
EXPIRES = datetime(2027, 1, 31, 12, tzinfo=UTC)
ACCOUNT = AccountCredentials(
    account_id="acc-1",
    handle="alice",
    secret=json.dumps({"access_token": TOKEN, "expires_at": EXPIRES.isoformat()}),
)
SHORT = "https://chor.us/s/Ab_9"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def draft(text: str = "Our report (2026) is out: #results *key* [read] ", **kw: Any) -> PostDraft:
    composed = compose(text, "", SHORT, max_length=3000)
    return PostDraft(
        share_id=kw.pop("share_id", "share-1"),
        text=composed.text,
        link=composed.link,
        language="en",
        created_at=NOW,
        **kw,
    )


@dataclass
class World:
    sim: LinkedInSimulator
    transport: SimulatorTransport
    budget: RecordingBudget
    linkedin: LinkedInConnector

    def sent(self) -> list[tuple[str, str]]:
        return [(r.method, r.url.path) for r in self.transport.requests]


@pytest.fixture
async def world() -> AsyncIterator[World]:
    sim = LinkedInSimulator(clock=NOW.timestamp)
    sim.add_member(TOKEN, SUB)
    transport = SimulatorTransport(sim.app)
    budget = RecordingBudget()
    linkedin = LinkedInConnector(budget, client=transport.client(), clock=NOW.timestamp)
    yield World(sim, transport, budget, linkedin)
    await linkedin.aclose()


def assert_linkedin_headers(request: RecordedRequest) -> None:
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert request.headers["LinkedIn-Version"] == LINKEDIN_VERSION
    assert request.headers["X-Restli-Protocol-Version"] == "2.0.0"


# -- little text ---------------------------------------------------------------


def test_every_reserved_character_of_little_text_is_escaped() -> None:
    for c in "\\|{}@[]()<>#*_~":
        assert escape_little(f"a {c} b") == f"a \\{c} b"
    assert escape_little("C:\\path (a_b) @x") == "C:\\\\path \\(a\\_b\\) \\@x"


def test_hashtags_stay_hashtags_but_not_inside_urls() -> None:
    assert escape_little("Go #team_a and #2026!") == "Go #team\\_a and #2026!"
    assert escape_little("see https://x.test/a_(b)#c") == "see https://x.test/a\\_\\(b\\)\\#c"
    assert escape_little("a#b") == "a\\#b"


def test_unescaping_gives_back_the_text() -> None:
    for text in ("plain", "(a) [b] {c} <d> @e #f *g* _h_ ~i~ j|k \\l", "https://x.test/a_b #t"):
        assert unescape_little(escape_little(text)) == text
    assert unescape_little("Hi {hashtag|\\#|Tech} \\(x\\)") == "Hi #Tech (x)"


# -- verify ----------------------------------------------------------------------


async def test_verify_reads_the_member_id_and_the_stored_expiry(world: World) -> None:
    assert await world.linkedin.verify(ACCOUNT) == VerifiedAccount(MEMBER, EXPIRES)
    [request] = world.transport.requests
    assert (request.method, request.url.path, request.url.query) == ("GET", "/v2/userinfo", b"")
    assert_linkedin_headers(request)
    assert world.budget.takes == [("linkedin", "acc-1", 0.0)]


async def test_a_bare_token_has_no_known_expiry(world: World) -> None:
    bare = AccountCredentials("acc-1", "alice", TOKEN)
    assert await world.linkedin.verify(bare) == VerifiedAccount(MEMBER, None)


@pytest.mark.parametrize(
    ("state", "code"), [("expired", "EXPIRED_ACCESS_TOKEN"), ("revoked", "REVOKED_ACCESS_TOKEN")]
)
async def test_an_expired_or_revoked_token_asks_to_reconnect(
    world: World, state: str, code: str
) -> None:
    getattr(world.sim, "expire" if state == "expired" else "revoke")(TOKEN)
    with pytest.raises(CredentialsRejected) as on_verify:
        await world.linkedin.verify(ACCOUNT)
    assert on_verify.value.kind is Rejection.RECONNECT and code in on_verify.value.reason
    with pytest.raises(CredentialsRejected):
        await world.linkedin.publish(ACCOUNT, draft())
    assert TOKEN not in on_verify.value.reason
    assert world.sim.posts == []


async def test_a_token_that_expires_after_the_member_is_known(world: World) -> None:
    await world.linkedin.verify(ACCOUNT)
    world.sim.expire(TOKEN)
    with pytest.raises(CredentialsRejected, match="EXPIRED_ACCESS_TOKEN"):
        await world.linkedin.publish(ACCOUNT, draft())
    assert world.sent()[-1] == ("POST", "/rest/posts")


# -- publish -------------------------------------------------------------------


async def test_a_text_post_is_exactly_the_documented_request(world: World) -> None:
    text_draft = draft()
    post = await world.linkedin.publish(ACCOUNT, text_draft)

    [stored] = world.sim.posts_of(MEMBER)
    assert post == PublishedPost(
        uri=stored.urn,
        cid="",
        already_existed=False,
        url=f"https://www.linkedin.com/feed/update/{stored.urn}",
    )
    assert world.sent() == [("GET", "/v2/userinfo"), ("POST", "/rest/posts")]
    create = world.transport.requests[1]
    assert_linkedin_headers(create)
    assert create.headers["Content-Type"] == "application/json"
    assert create.url.query == b""
    assert create.json() == {
        "author": MEMBER,
        "commentary": "Our report \\(2026\\) is out: #results \\*key\\* \\[read\\] "
        "https://chor.us/s/Ab\\_9",
        "visibility": "PUBLIC",
        "distribution": {
            "feedDistribution": "MAIN_FEED",
            "targetEntities": [],
            "thirdPartyDistributionChannels": [],
        },
        "lifecycleState": "PUBLISHED",
        "isReshareDisabledByAuthor": False,
    }
    # LinkedIn reads the escaped commentary as the employee's text, uncut.
    assert stored.text == text_draft.text
    # One take per call, the post's units on the create only.
    assert world.budget.takes == [("linkedin", "acc-1", 0.0), ("linkedin", "acc-1", 1.0)]
    # LinkedIn sends no rate-limit headers: a success says nothing to observe.
    assert world.budget.signals == []


async def test_the_member_is_asked_once_per_token(world: World) -> None:
    await world.linkedin.publish(ACCOUNT, draft("one"))
    await world.linkedin.publish(ACCOUNT, draft("two", share_id="share-2"))
    assert world.sent().count(("GET", "/v2/userinfo")) == 1
    other = AccountCredentials("acc-1", "alice", "AQV-new-token")
    world.sim.add_member("AQV-new-token", SUB)
    await world.linkedin.publish(other, draft("three", share_id="share-3"))
    assert world.sent().count(("GET", "/v2/userinfo")) == 2


async def test_an_image_is_uploaded_then_referenced(world: World) -> None:
    image = MediaItem("m1", "image/png", PNG, alt_text="Our chart")
    post = await world.linkedin.publish(ACCOUNT, draft(media=(image,)))

    assert [(m, p) for m, p in world.sent()] == [
        ("GET", "/v2/userinfo"),
        ("POST", "/rest/images"),
        ("PUT", world.transport.requests[2].url.path),
        ("POST", "/rest/posts"),
    ]
    init, put, create = world.transport.requests[1:]
    assert init.url.query == b"action=initializeUpload"
    assert_linkedin_headers(init)
    assert init.json() == {"initializeUploadRequest": {"owner": MEMBER}}
    [uploaded] = world.sim.images.values()
    assert (
        str(put.url)
        == f"https://www.linkedin.com/dms-uploads/sp/{uploaded.upload_key}/uploaded-image/0"
    )
    assert put.headers["Authorization"] == f"Bearer {TOKEN}"
    assert put.headers["Content-Type"] == "application/octet-stream"
    assert put.body == PNG
    assert create.json()["content"] == {"media": {"id": uploaded.urn, "altText": "Our chart"}}
    assert uploaded.data == PNG
    assert post.uri == world.sim.posts[0].urn
    assert world.budget.takes == [("linkedin", "acc-1", p) for p in (0.0, 0.0, 0.0, 1.0)]


async def test_several_images_are_a_multi_image_post(world: World) -> None:
    images = (MediaItem("m1", "image/png", PNG, "one"), MediaItem("m2", "image/png", PNG, "two"))
    await world.linkedin.publish(ACCOUNT, draft(media=images))
    urns = list(world.sim.images)
    assert world.transport.requests[-1].json()["content"] == {
        "multiImage": {
            "images": [{"id": urns[0], "altText": "one"}, {"id": urns[1], "altText": "two"}]
        }
    }


async def test_a_link_card_is_an_article_with_its_thumbnail(world: World) -> None:
    card = LinkCard(
        uri=SHORT,
        title="The 2026 report",
        description="What we did",
        thumbnail=MediaItem("t1", "image/png", PNG),
    )
    await world.linkedin.publish(ACCOUNT, draft(card=card))
    [thumbnail] = world.sim.images
    assert world.transport.requests[-1].json()["content"] == {
        "article": {
            "source": SHORT,
            "title": "The 2026 report",
            "description": "What we did",
            "thumbnail": thumbnail,
        }
    }


async def test_an_image_type_linkedin_does_not_take_is_refused_before_any_call(
    world: World,
) -> None:
    webp = MediaItem("m1", "image/webp", b"RIFF....WEBP")
    with pytest.raises(RejectedByNetwork) as refused:
        await world.linkedin.publish(ACCOUNT, draft(media=(webp,)))
    assert refused.value.kind is Rejection.MEDIA_REFUSED
    assert world.transport.requests == [] and world.budget.takes == []


async def test_bytes_the_upload_refuses_are_media_refused(world: World) -> None:
    not_an_image = MediaItem("m1", "image/png", b"<html>not a png</html>")
    with pytest.raises(RejectedByNetwork) as refused:
        await world.linkedin.publish(ACCOUNT, draft(media=(not_an_image,)))
    assert refused.value.kind is Rejection.MEDIA_REFUSED
    assert ("POST", "/rest/posts") not in world.sent()


async def test_an_image_the_post_cannot_use_is_media_refused(world: World) -> None:
    await world.linkedin.verify(ACCOUNT)
    # The upload URL's answer is lost and the image never arrives: the post
    # names an image LinkedIn does not have.
    world.sim.fail_next("PUT", "/dms-uploads/sp/7300000000000000001/uploaded-image/0", 201)
    with pytest.raises(RejectedByNetwork) as refused:
        await world.linkedin.publish(ACCOUNT, draft(media=(MediaItem("m1", "image/png", PNG),)))
    assert refused.value.kind is Rejection.MEDIA_REFUSED
    assert world.sim.posts == []


async def test_a_text_too_long_is_text_too_long_without_the_text(world: World) -> None:
    long_text = "x" * 3000 + " " + SHORT
    long_draft = PostDraft("share-1", long_text, None, "en", NOW)
    with pytest.raises(RejectedByNetwork) as refused:
        await world.linkedin.publish(ACCOUNT, long_draft)
    assert refused.value.kind is Rejection.TEXT_TOO_LONG
    assert "3000" in refused.value.reason and "xxxxxxxxxx" not in refused.value.reason
    assert world.sim.posts == []


async def test_another_refusal_names_linkedins_code_not_the_text(world: World) -> None:
    await world.linkedin.verify(ACCOUNT)
    world.sim.fail_next(
        "POST",
        "/rest/posts",
        403,
        {"status": 403, "code": "ACCESS_DENIED", "message": "Not enough permissions"},
    )
    with pytest.raises(RejectedByNetwork) as refused:
        await world.linkedin.publish(ACCOUNT, draft())
    assert refused.value.kind is Rejection.REFUSED
    assert refused.value.reason == "create post: HTTP 403 ACCESS_DENIED Not enough permissions"


# -- the same share twice ----------------------------------------------------------


async def test_a_duplicate_is_the_post_made_before(world: World) -> None:
    first = await world.linkedin.publish(ACCOUNT, draft())
    again = await world.linkedin.publish(ACCOUNT, draft())

    assert again == PublishedPost(first.uri, "", already_existed=True, url=first.url)
    assert len(world.sim.posts) == 1
    assert world.sent()[-2:] == [("POST", "/rest/posts"), ("GET", "/rest/posts")]
    lookup = world.transport.requests[-1]
    assert lookup.url.query == (
        b"author=urn%3Ali%3Aperson%3AaB3_xY9k&q=author&count=20&sortBy=LAST_MODIFIED"
    )
    assert_linkedin_headers(lookup)


async def test_a_duplicate_not_found_is_refused_as_duplicate(world: World) -> None:
    await world.linkedin.verify(ACCOUNT)
    world.sim.fail_next(
        "POST",
        "/rest/posts",
        422,
        {
            "message": "Content is a duplicate of urn:li:share:1",
            "errorDetails": {"inputErrors": [{"code": "DUPLICATE_POST", "input": {}}]},
            "status": 422,
        },
    )
    with pytest.raises(RejectedByNetwork) as refused:
        await world.linkedin.publish(ACCOUNT, draft())
    assert refused.value.kind is Rejection.DUPLICATE


# -- find ------------------------------------------------------------------------


async def test_find_knows_this_shares_post_by_its_short_link(world: World) -> None:
    assert await world.linkedin.find(ACCOUNT, draft()) is None
    # Another share's code starts with this one's: not this share's post.
    other = compose("Another share", "", SHORT + "x", 3000)
    await world.linkedin.publish(ACCOUNT, PostDraft("share-2", other.text, other.link, "en", NOW))
    assert await world.linkedin.find(ACCOUNT, draft()) is None
    post = await world.linkedin.publish(ACCOUNT, draft())
    assert await world.linkedin.find(ACCOUNT, draft()) == PublishedPost(
        post.uri, "", already_existed=True, url=post.url
    )


async def test_find_without_a_link_matches_the_text(world: World) -> None:
    plain = PostDraft("share-9", "Just (words) #here", None, "en", NOW)
    post = await world.linkedin.publish(ACCOUNT, plain)
    assert (await world.linkedin.find(ACCOUNT, plain)) == PublishedPost(
        post.uri, "", True, post.url
    )


async def test_find_without_permission_to_read_posts_is_refused(world: World) -> None:
    world.sim.can_read_posts = False
    with pytest.raises(RejectedByNetwork) as refused:
        await world.linkedin.find(ACCOUNT, draft())
    assert refused.value.kind is Rejection.REFUSED and "ACCESS_DENIED" in refused.value.reason


# -- limits ------------------------------------------------------------------------


async def test_the_daily_limit_answers_429_and_waits_for_midnight_utc() -> None:
    sim = LinkedInSimulator(member_posts_per_day=2, clock=NOW.timestamp)
    sim.add_member(TOKEN, SUB)
    transport = SimulatorTransport(sim.app)
    budget = RecordingBudget()
    linkedin = LinkedInConnector(budget, client=transport.client(), clock=NOW.timestamp)
    await linkedin.publish(ACCOUNT, draft("one"))
    await linkedin.publish(ACCOUNT, draft("two", share_id="share-2"))
    with pytest.raises(RateLimited) as limited:
        await linkedin.publish(ACCOUNT, draft("three", share_id="share-3"))
    await linkedin.aclose()

    assert (limited.value.retry_at, limited.value.scope) == (MIDNIGHT, Scope.ACCOUNT)
    assert budget.signals == [("linkedin", "acc-1", RateSignal(Scope.ACCOUNT, retry_at=MIDNIGHT))]
    assert len(sim.posts) == 2


async def test_a_429_naming_the_application_holds_the_app(world: World) -> None:
    await world.linkedin.verify(ACCOUNT)
    world.sim.fail_next(
        "POST",
        "/rest/posts",
        429,
        {"status": 429, "message": "Application level throttle limit reached."},
    )
    with pytest.raises(RateLimited) as limited:
        await world.linkedin.publish(ACCOUNT, draft())
    assert (limited.value.retry_at, limited.value.scope) == (MIDNIGHT, Scope.APP)
    assert world.budget.signals == [("linkedin", "acc-1", RateSignal(Scope.APP, retry_at=MIDNIGHT))]


async def test_a_retry_after_is_honoured_when_there_is_one(world: World) -> None:
    await world.linkedin.verify(ACCOUNT)
    world.sim.fail_next("POST", "/rest/posts", 429, headers={"Retry-After": "120"})
    with pytest.raises(RateLimited) as limited:
        await world.linkedin.publish(ACCOUNT, draft())
    assert limited.value.retry_at == NOW + timedelta(seconds=120)


async def test_a_refusing_budget_sends_nothing(world: World) -> None:
    world.budget.refuse_until = MIDNIGHT
    with pytest.raises(RateLimited) as limited:
        await world.linkedin.publish(ACCOUNT, draft())
    assert limited.value.retry_at == MIDNIGHT
    assert world.transport.requests == []


# -- failures on the way -------------------------------------------------------------


async def test_a_5xx_on_the_create_is_an_unknown_outcome(world: World) -> None:
    await world.linkedin.verify(ACCOUNT)
    world.sim.fail_next("POST", "/rest/posts", 503)
    with pytest.raises(OutcomeUnknown):
        await world.linkedin.publish(ACCOUNT, draft())
    assert await world.linkedin.find(ACCOUNT, draft()) is None


async def test_a_5xx_before_the_create_is_retryable(world: World) -> None:
    world.sim.fail_next("GET", "/v2/userinfo", 500)
    with pytest.raises(RetryableNetworkError) as failed:
        await world.linkedin.publish(ACCOUNT, draft())
    assert not isinstance(failed.value, OutcomeUnknown)
    assert world.sent() == [("GET", "/v2/userinfo")]


async def test_a_timeout_after_the_write_then_find_returns_the_one_post(world: World) -> None:
    await world.linkedin.verify(ACCOUNT)
    world.transport.fail_next(Fault.TIMEOUT_AFTER_WRITE)
    with pytest.raises(OutcomeUnknown):
        await world.linkedin.publish(ACCOUNT, draft())
    [made] = world.sim.posts

    found = await world.linkedin.find(ACCOUNT, draft())
    assert found == PublishedPost(
        made.urn, "", True, f"https://www.linkedin.com/feed/update/{made.urn}"
    )
    # Sent again all the same (a redelivery): LinkedIn's duplicate answer
    # leads back to the same post; there is never a second one.
    assert (await world.linkedin.publish(ACCOUNT, draft())).uri == made.urn
    assert len(world.sim.posts) == 1


async def test_a_connection_error_before_sending_is_retryable(world: World) -> None:
    await world.linkedin.verify(ACCOUNT)
    world.transport.fail_next(Fault.CONNECT_ERROR)
    with pytest.raises(RetryableNetworkError) as failed:
        await world.linkedin.publish(ACCOUNT, draft())
    assert not isinstance(failed.value, OutcomeUnknown)
    assert world.sim.posts == []
    assert world.budget.takes[-1] == ("linkedin", "acc-1", 1.0)

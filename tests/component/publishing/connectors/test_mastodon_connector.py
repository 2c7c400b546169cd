"""The Mastodon connector's contract, on the Mastodon simulator
(tests/simulators/mastodon.py, built to the documented API): the exact
requests it sends (method, URL, query, Authorization, Idempotency-Key,
Content-Type, form and multipart fields), the budget taken before each one
and told what each answer said, and every outcome the network can give."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from chorus_core.errors import InvalidArgument
from chorus_core.ids import stable_id
from publishing_service.adapters.mastodon import MastodonConnector, plain_content
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
)
from publishing_service.domain.post_text import LinkSpan
from publishing_service.domain.rate_signals import RateSignal, Scope

from tests.simulators.harness import Fault, RecordedRequest, RecordingBudget, SimulatorTransport
from tests.simulators.mastodon import MastodonSimulator, SimAccount, multipart_parts

# 100 s into a 5-minute window (Mastodon's windows are aligned to the epoch).
START = 1_749_999_900.0 + 100.0
TOKEN = "tok-alice"
BASE = "https://mastodon.example"
SHORT = "https://l.test/k3y"
TEXT = f"¡Nuevo informe! Léelo {SHORT}"
EXPIRES = datetime(2027, 2, 1, tzinfo=UTC)
ACCOUNT = AccountCredentials(
    account_id="acct-1",
    handle="@alice@Mastodon.example",
    secret=json.dumps({"access_token": TOKEN, "expires_at": EXPIRES.isoformat()}),
)
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


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
        language="es",
        created_at=datetime(2025, 6, 4, tzinfo=UTC),
        media=media,
    )


def at(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def next_window(now: float, period: float) -> datetime:
    return at((now // period + 1) * period)


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@dataclass
class World:
    sim: MastodonSimulator
    alice: SimAccount
    transport: SimulatorTransport
    budget: RecordingBudget
    connector: MastodonConnector
    clock: Clock
    sleeps: list[float] = field(default_factory=list)

    @property
    def sent(self) -> list[RecordedRequest]:
        return self.transport.requests

    def routes(self) -> list[str]:
        return [f"{r.method} {r.path}" for r in self.sent]


async def make_world(
    per_token: tuple[int, int] = (300, 300), media_uploads: tuple[int, int] = (30, 1800)
) -> World:
    clock = Clock(START)
    sim = MastodonSimulator(clock=clock, per_token=per_token, media_uploads=media_uploads)
    alice = sim.add_account("alice", TOKEN)
    transport = SimulatorTransport(sim.app)
    budget = RecordingBudget()
    sleeps: list[float] = []

    async def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        clock.now += seconds

    connector = MastodonConnector(
        budget, client=transport.client(), clock=clock, sleep=sleep, media_poll_attempts=3
    )
    return World(sim, alice, transport, budget, connector, clock, sleeps)


@pytest.fixture
async def world() -> AsyncIterator[World]:
    made = await make_world()
    yield made
    await made.connector.aclose()


def account_signals(world: World) -> list[RateSignal]:
    assert {(network, key) for network, key, _ in world.budget.signals} <= {("mastodon", "acct-1")}
    return [signal for _, _, signal in world.budget.signals]


# -- verify ----------------------------------------------------------------------


async def test_verify_asks_the_handles_instance_for_the_tokens_account(world: World) -> None:
    verified = await world.connector.verify(ACCOUNT)

    assert verified.network_account_id == world.alice.id
    assert verified.token_expires_at == EXPIRES  # Mastodon's own tokens never expire
    [request] = world.sent
    assert request.method == "GET"
    assert str(request.url) == f"{BASE}/api/v1/accounts/verify_credentials"
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    assert world.budget.takes == [("mastodon", "acct-1", 0.0)]
    [signal] = account_signals(world)
    assert (signal.scope, signal.limit, signal.remaining) == (Scope.ACCOUNT, 300, 299)
    assert signal.reset_at == next_window(START, 300)


async def test_verify_takes_a_bare_token_too(world: World) -> None:
    bare = AccountCredentials(account_id="acct-1", handle="alice@mastodon.example", secret=TOKEN)
    verified = await world.connector.verify(bare)
    assert (verified.network_account_id, verified.token_expires_at) == (world.alice.id, None)


@pytest.mark.parametrize(
    "handle", ["alice", "alice@", "@mastodon.example", "a@127.0.0.1", "a@host:8080", "a@x/y.z"]
)
async def test_a_handle_without_a_dns_instance_is_invalid_and_nothing_is_sent(
    world: World, handle: str
) -> None:
    with pytest.raises(InvalidArgument) as refused:
        await world.connector.verify(AccountCredentials("acct-1", handle, TOKEN))
    assert refused.value.field == "handle"
    assert world.sent == [] and world.budget.takes == []


async def test_a_revoked_token_is_rejected_on_verify_and_on_publish(world: World) -> None:
    world.sim.revoke(TOKEN)

    with pytest.raises(CredentialsRejected):
        await world.connector.verify(ACCOUNT)
    with pytest.raises(CredentialsRejected) as rejected:
        await world.connector.publish(ACCOUNT, draft())

    assert rejected.value.kind is Rejection.RECONNECT
    assert TOKEN not in rejected.value.reason and TEXT not in rejected.value.reason
    assert world.sim.statuses == []


async def test_a_token_without_the_write_scope_must_be_reconnected(world: World) -> None:
    world.sim.add_account("reader", "tok-read", scopes="read")
    reader = AccountCredentials("acct-2", "reader@mastodon.example", "tok-read")

    with pytest.raises(CredentialsRejected) as rejected:
        await world.connector.publish(reader, draft())
    assert "outside the authorized scopes" in rejected.value.reason


async def test_a_disabled_login_is_refused_with_mastodons_reason(world: World) -> None:
    world.sim.disable(TOKEN)

    with pytest.raises(RejectedByNetwork) as refused:
        await world.connector.publish(ACCOUNT, draft())

    assert not isinstance(refused.value, CredentialsRejected)
    assert refused.value.kind is Rejection.REFUSED
    assert refused.value.reason == "statuses: HTTP 403 Your login is currently disabled"


# -- publish ---------------------------------------------------------------------


async def test_publish_posts_the_status_with_the_shares_idempotency_key(world: World) -> None:
    post = await world.connector.publish(ACCOUNT, draft())

    [status] = world.sim.statuses_of(world.alice)
    assert (post.uri, post.cid, post.already_existed) == (status["id"], "", False)
    assert post.url == f"{BASE}/@alice/{status['id']}"
    [request] = world.sent
    assert (request.method, str(request.url)) == ("POST", f"{BASE}/api/v1/statuses")
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    assert request.headers["idempotency-key"] == stable_id("publishing/mastodon/status", "share-1")
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert request.form() == {"status": [TEXT], "visibility": ["public"], "language": ["es"]}
    assert (status["visibility"], status["language"]) == ("public", "es")
    assert world.budget.takes == [("mastodon", "acct-1", 1.0)]  # the create is a post
    [signal] = account_signals(world)
    assert (signal.limit, signal.remaining, signal.blocks_until) == (300, 299, None)


async def test_a_retried_publish_of_a_share_returns_the_first_status(world: World) -> None:
    first = await world.connector.publish(ACCOUNT, draft())
    world.clock.now += 30 * 60
    again = await world.connector.publish(ACCOUNT, draft())

    assert again.uri == first.uri
    assert len(world.sim.statuses_of(world.alice)) == 1
    keys = {r.headers["idempotency-key"] for r in world.transport.sent("POST", "/api/v1/statuses")}
    assert len(keys) == 1
    # Another share is another key, and another status.
    other = await world.connector.publish(ACCOUNT, draft("share-2", f"otro {SHORT}2"))
    assert other.uri != first.uri


async def test_the_instance_forgets_a_key_after_an_hour(world: World) -> None:
    """Why reconciliation reads the account's statuses (find) instead of
    sending the same key again: an hour on, the same POST is a new status."""
    first = await world.connector.publish(ACCOUNT, draft())
    world.clock.now += 3600
    later = await world.connector.publish(ACCOUNT, draft())

    assert later.uri != first.uri
    assert len(world.sim.statuses_of(world.alice)) == 2


async def test_images_are_uploaded_with_their_alt_text_then_attached(world: World) -> None:
    images = (
        MediaItem("m-1", "image/png", PNG, alt_text="Gráfico de ventas"),
        MediaItem("m-2", "image/jpeg", b"\xff\xd8\xff" + PNG),
    )
    post = await world.connector.publish(ACCOUNT, draft(media=images))

    assert world.routes() == [
        "POST /api/v2/media",
        "POST /api/v2/media",
        "POST /api/v1/statuses",
    ]
    first, second, create = world.sent
    for upload, item, name in ((first, images[0], "m-1.png"), (second, images[1], "m-2.jpg")):
        assert upload.headers["authorization"] == f"Bearer {TOKEN}"
        assert upload.headers["content-type"].startswith("multipart/form-data; boundary=")
        parts = multipart_parts(upload.headers["content-type"], upload.body)
        assert parts["file"].get_filename() == name
        assert parts["file"].get_content_type() == item.content_type
        assert parts["file"].get_payload(decode=True) == item.data
    described = multipart_parts(first.headers["content-type"], first.body)
    assert described["description"].get_payload(decode=True) == "Gráfico de ventas".encode()
    assert set(multipart_parts(second.headers["content-type"], second.body)) == {"file"}
    media_ids = list(world.sim.media)
    assert create.form()["media_ids[]"] == media_ids
    [status] = world.sim.statuses_of(world.alice)
    assert status["id"] == post.uri
    assert [m["id"] for m in status["media_attachments"]] == media_ids
    assert world.sim.media[media_ids[0]].description == "Gráfico de ventas"
    assert world.budget.takes == [
        ("mastodon", "acct-1", 0.0),
        ("mastodon", "acct-1", 0.0),
        ("mastodon", "acct-1", 1.0),
    ]
    # The upload's answer reports the tighter media limit: 30 per 30 minutes.
    upload_signal = account_signals(world)[0]
    assert (upload_signal.limit, upload_signal.remaining) == (30, 29)
    assert upload_signal.reset_at == next_window(START, 30 * 60)


async def test_media_still_processing_is_polled_until_it_has_a_url(world: World) -> None:
    world.sim.media_processing_polls = 2  # 202, then 206 twice, then 200
    image = MediaItem("m-1", "image/png", PNG, alt_text="alt")

    post = await world.connector.publish(ACCOUNT, draft(media=(image,)))

    [media_id] = world.sim.media
    assert world.routes() == [
        "POST /api/v2/media",
        *[f"GET /api/v1/media/{media_id}"] * 3,
        "POST /api/v1/statuses",
    ]
    assert all(r.headers["authorization"] == f"Bearer {TOKEN}" for r in world.sent)
    assert world.sleeps == [1.0, 1.0, 1.0]
    assert [posts for _, _, posts in world.budget.takes] == [0.0, 0.0, 0.0, 0.0, 1.0]
    assert world.sent[-1].form()["media_ids[]"] == [media_id]
    assert world.sim.statuses_of(world.alice)[0]["id"] == post.uri


async def test_media_that_never_finishes_processing_is_retried_later_without_a_post(
    world: World,
) -> None:
    world.sim.media_processing_polls = 10
    image = MediaItem("m-1", "image/png", PNG)

    with pytest.raises(RetryableNetworkError) as failed:
        await world.connector.publish(ACCOUNT, draft(media=(image,)))

    assert not isinstance(failed.value, OutcomeUnknown)
    assert world.routes().count("POST /api/v1/statuses") == 0
    assert len(world.budget.takes) == 1 + 3  # the upload and each of the 3 polls allowed
    assert world.sim.statuses == []


async def test_media_the_instance_refuses_fails_the_share_as_media_refused(world: World) -> None:
    svg = MediaItem("m-1", "image/svg+xml", b"<svg/>")

    with pytest.raises(RejectedByNetwork) as refused:
        await world.connector.publish(ACCOUNT, draft(media=(svg,)))

    assert refused.value.kind is Rejection.MEDIA_REFUSED
    assert "File content type is invalid" in refused.value.reason
    assert world.routes() == ["POST /api/v2/media"]


async def test_more_images_than_mastodon_attaches_are_refused_before_sending(
    world: World,
) -> None:
    images = tuple(MediaItem(f"m-{i}", "image/png", PNG) for i in range(5))

    with pytest.raises(RejectedByNetwork) as refused:
        await world.connector.publish(ACCOUNT, draft(media=images))

    assert refused.value.kind is Rejection.MEDIA_REFUSED
    assert world.sent == [] and world.budget.takes == []


async def test_a_text_over_500_characters_is_too_long(world: World) -> None:
    # 480 letters and the link, which Mastodon counts as 23: 504 characters.
    long = "a" * 480 + " " + SHORT

    with pytest.raises(RejectedByNetwork) as refused:
        await world.connector.publish(ACCOUNT, draft(text=long))

    assert refused.value.kind is Rejection.TEXT_TOO_LONG
    assert (
        refused.value.reason == "statuses: Validation failed: Text character limit of 500 exceeded"
    )
    # Links count 23 whatever their length: 470 letters and a long link fit.
    fits = "a" * 470 + " https://l.test/" + "x" * 60
    await world.connector.publish(ACCOUNT, draft("share-2", fits))
    assert len(world.sim.statuses) == 1


async def test_another_refusal_names_mastodons_error_never_the_text(world: World) -> None:
    world.sim.respond_next(
        "POST", "/api/v1/statuses", 422, {"error": "Validation failed: Text can't be blank"}
    )

    with pytest.raises(RejectedByNetwork) as refused:
        await world.connector.publish(ACCOUNT, draft())

    assert refused.value.kind is Rejection.REFUSED
    assert refused.value.reason == "statuses: HTTP 422 Validation failed: Text can't be blank"


# -- limits ----------------------------------------------------------------------


async def test_a_429_defers_until_the_windows_reset_and_tells_the_budget(world: World) -> None:
    world.sim.exhaust(TOKEN)

    with pytest.raises(RateLimited) as limited:
        await world.connector.publish(ACCOUNT, draft())

    reset = next_window(START, 300)
    assert (limited.value.retry_at, limited.value.scope) == (reset, Scope.ACCOUNT)
    told, not_before = account_signals(world)
    assert (told.remaining, told.limit, told.reset_at) == (0, 300, reset)
    assert not_before == RateSignal(Scope.ACCOUNT, retry_at=reset)
    assert world.sim.statuses == []


async def test_running_the_account_window_down_gets_the_instances_own_429() -> None:
    world = await make_world(per_token=(3, 300))
    for n in range(3):
        await world.connector.publish(ACCOUNT, draft(f"share-{n}", f"post {n} {SHORT}{n}"))
    assert [s.remaining for s in account_signals(world)] == [2, 1, 0]
    assert account_signals(world)[-1].blocks_until == next_window(START, 300)

    with pytest.raises(RateLimited) as limited:
        await world.connector.publish(ACCOUNT, draft("share-3", f"post 3 {SHORT}3"))

    assert limited.value.retry_at == next_window(START, 300)
    assert len(world.sim.statuses) == 3
    await world.connector.aclose()


async def test_media_uploads_have_their_own_30_minute_window() -> None:
    world = await make_world(media_uploads=(1, 30 * 60))
    image = MediaItem("m-1", "image/png", PNG)
    await world.connector.publish(ACCOUNT, draft(media=(image,)))

    with pytest.raises(RateLimited) as limited:
        await world.connector.publish(ACCOUNT, draft("share-2", f"dos {SHORT}2", media=(image,)))

    assert limited.value.retry_at == next_window(START, 30 * 60)
    assert world.routes()[-1] == "POST /api/v2/media"
    assert len(world.sim.statuses) == 1
    await world.connector.aclose()


async def test_a_429_without_headers_waits_for_the_next_5_minute_window(world: World) -> None:
    world.sim.respond_next("POST", "/api/v1/statuses", 429, {"error": "Too many requests"})

    with pytest.raises(RateLimited) as limited:
        await world.connector.publish(ACCOUNT, draft())

    assert limited.value.retry_at == next_window(START, 300)
    assert account_signals(world) == [RateSignal(Scope.ACCOUNT, retry_at=limited.value.retry_at)]


async def test_retry_after_when_given_is_honoured_if_later(world: World) -> None:
    world.sim.respond_next(
        "GET", "/api/v1/accounts/verify_credentials", 429, None, headers={"Retry-After": "900"}
    )

    with pytest.raises(RateLimited) as limited:
        await world.connector.verify(ACCOUNT)

    assert limited.value.retry_at == at(START + 900)


async def test_a_refusing_budget_sends_nothing(world: World) -> None:
    world.budget.refuse_until = at(START + 60)

    with pytest.raises(RateLimited) as limited:
        await world.connector.publish(ACCOUNT, draft(media=(MediaItem("m", "image/png", PNG),)))
    with pytest.raises(RateLimited):
        await world.connector.find(ACCOUNT, draft())

    assert limited.value.retry_at == at(START + 60)
    assert world.sent == []


# -- failures and reconciliation ---------------------------------------------------


async def test_a_5xx_on_the_create_is_an_unknown_outcome_that_find_settles(world: World) -> None:
    world.sim.respond_next(
        "POST", "/api/v1/statuses", 500, {"error": "Internal error"}, after_write=True
    )

    with pytest.raises(OutcomeUnknown):
        await world.connector.publish(ACCOUNT, draft())

    [made] = world.sim.statuses
    found = await world.connector.find(ACCOUNT, draft())
    assert found is not None
    assert (found.uri, found.url, found.already_existed) == (made["id"], made["url"], True)


async def test_a_5xx_elsewhere_is_retryable(world: World) -> None:
    world.sim.respond_next("GET", "/api/v1/accounts/verify_credentials", 503)
    world.sim.respond_next("POST", "/api/v2/media", 500, {"error": "Error processing thumbnail"})

    with pytest.raises(RetryableNetworkError) as on_verify:
        await world.connector.verify(ACCOUNT)
    with pytest.raises(RetryableNetworkError) as on_upload:
        await world.connector.publish(ACCOUNT, draft(media=(MediaItem("m", "image/png", PNG),)))

    assert not isinstance(on_verify.value, OutcomeUnknown | RateLimited)
    assert not isinstance(on_upload.value, OutcomeUnknown | RateLimited)
    assert world.sim.statuses == []


async def test_a_timeout_after_the_write_then_find_returns_the_post_and_no_second(
    world: World,
) -> None:
    world.transport.fail_next(Fault.TIMEOUT_AFTER_WRITE)

    with pytest.raises(OutcomeUnknown):
        await world.connector.publish(ACCOUNT, draft())

    [made] = world.sim.statuses  # the instance made it; the answer was lost
    found = await world.connector.find(ACCOUNT, draft())

    assert found is not None
    assert (found.uri, found.cid, found.url, found.already_existed) == (
        made["id"],
        "",
        made["url"],
        True,
    )
    me, page = world.sent[1:]
    assert (me.method, str(me.url)) == ("GET", f"{BASE}/api/v1/accounts/verify_credentials")
    assert (page.method, page.path) == ("GET", f"/api/v1/accounts/{world.alice.id}/statuses")
    assert dict(page.url.params) == {"limit": "40", "exclude_reblogs": "true"}
    assert page.headers["authorization"] == f"Bearer {TOKEN}"
    assert [posts for _, _, posts in world.budget.takes] == [1.0, 0.0, 0.0]
    assert len(world.sim.statuses) == 1  # find only reads


async def test_a_connection_error_before_sending_is_retryable_and_sends_nothing(
    world: World,
) -> None:
    world.transport.fail_next(Fault.CONNECT_ERROR)

    with pytest.raises(RetryableNetworkError) as failed:
        await world.connector.publish(ACCOUNT, draft())

    assert not isinstance(failed.value, OutcomeUnknown)
    assert world.sim.statuses == []
    assert world.budget.takes == [("mastodon", "acct-1", 1.0)]  # taken before the attempt


async def test_find_is_none_when_the_share_was_never_posted(world: World) -> None:
    await world.connector.publish(ACCOUNT, draft("share-2", f"otro {SHORT}2"))
    world.sim.add_reblog(world.alice, f'<p><a href="{SHORT}">{SHORT}</a></p>')

    assert await world.connector.find(ACCOUNT, draft()) is None


async def test_find_matches_a_post_without_a_link_by_its_text(world: World) -> None:
    plain = draft(text="Tom & Jerry <3\n\nsegunda línea")
    await world.connector.publish(ACCOUNT, plain)

    found = await world.connector.find(ACCOUNT, plain)

    assert found is not None and found.uri == world.sim.statuses[0]["id"]
    assert await world.connector.find(ACCOUNT, draft(text="Tom & Jerry")) is None


async def test_find_with_a_revoked_token_asks_for_a_reconnection(world: World) -> None:
    world.sim.revoke(TOKEN)
    with pytest.raises(CredentialsRejected):
        await world.connector.find(ACCOUNT, draft())


def test_content_html_reads_as_the_text_a_reader_sees() -> None:
    long = "https://example.com/" + "x" * 40
    text, hrefs = plain_content(
        '<p>Hola &amp; <a href="https://l.test/k3y" rel="nofollow">'
        '<span class="invisible">https://</span><span class="">l.test/k3y</span>'
        f'<span class="invisible"></span></a><br />dos</p><p><a href="{long}">'
        f'<span class="invisible">https://</span><span class="ellipsis">example.com/'
        f'{"x" * 18}</span><span class="invisible">{"x" * 22}</span></a></p>'
    )
    assert text.split() == ["Hola", "&", "https://l.test/k3y", "dos", long]
    assert hrefs == ["https://l.test/k3y", long]


def test_the_simulators_reset_header_is_the_next_window_as_an_iso_instant() -> None:
    sim = MastodonSimulator(clock=lambda: START)
    headers = sim.per_token.headers(TOKEN, START)
    assert headers["X-RateLimit-Reset"] == "2025-06-15T15:10:00.000000Z"
    assert next_window(START, 300) == datetime(2025, 6, 15, 15, 10, tzinfo=UTC)
    assert next_window(START, 300) - at(START) == timedelta(seconds=200)

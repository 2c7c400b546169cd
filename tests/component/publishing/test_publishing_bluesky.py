"""Publishing against the real local Bluesky PDS and a real gRPC metrics
server: connect an account, post a due share once however often it arrives,
and post after a restart with the session kept in Redis."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

import httpx
import pytest
from chorus.publishing.v1 import publishing_events_pb2 as pub_events
from chorus_core.errors import FailedPrecondition
from chorus_messaging.consumer import AlreadyProcessed
from chorus_testing.identity import everything
from publishing_service.adapters.secrets import SecretBox
from publishing_service.adapters.tables import AccountRow
from publishing_service.app.accounts import ConnectRequest
from publishing_service.app.ports import SecretUnreadable
from publishing_service.domain.accounts import associated_data
from publishing_service.domain.ledger import PublishStatus
from publishing_service.domain.tid import rkey_for_share
from publishing_service.entrypoints.kafka_handlers import share_due_handler
from redis.asyncio import Redis
from sqlalchemy import select
from sqlmodel import col

if TYPE_CHECKING:
    from tests.component.publishing.conftest import (
        MetricsServer,
        PdsAccount,
        PublishingDatabase,
        PublishingKit,
        StackFactory,
    )

PUBLISHED = pub_events.SharePublished.DESCRIPTOR.full_name
FAILED = pub_events.ShareFailed.DESCRIPTOR.full_name
NewAccount = Callable[[], Awaitable["PdsAccount"]]
OWNER = everything("t1", employee_id="e1")  # the employee whose account is connected


def connect(account: PdsAccount, employee_id: str = "e1", request_id: str = "") -> ConnectRequest:
    return ConnectRequest(
        tenant_id="t1",
        employee_id=employee_id,
        network="bluesky",
        handle=account.handle,
        secret=account.password,
        request_id=request_id,
    )


async def test_connect_account_stores_the_secret_encrypted(
    publishing_database: PublishingDatabase,
    publishing_stack: StackFactory,
    new_pds_account: NewAccount,
    secret_box: SecretBox,
) -> None:
    db = await publishing_database()
    stack = publishing_stack(db)
    account = await new_pds_account()
    connected = await stack.accounts.connect_account(OWNER, connect(account, request_id="r1"))
    assert connected.network == "bluesky"

    async with db.session() as session:
        row = (
            await session.execute(select(AccountRow).where(col(AccountRow.tenant_id) == "t1"))
        ).scalar_one()
    assert row.account_id == connected.account_id and row.external_id == account.did
    assert account.password.encode() not in row.secret_ciphertext
    assert (
        secret_box.decrypt(row.secret_ciphertext, associated_data("t1", "e1", "bluesky"))
        == account.password
    )
    with pytest.raises(SecretUnreadable):
        secret_box.decrypt(row.secret_ciphertext, associated_data("t1", "e2", "bluesky"))
    with pytest.raises(SecretUnreadable):
        SecretBox(b"\x00" * 32).decrypt(
            row.secret_ciphertext, associated_data("t1", "e1", "bluesky")
        )

    # A retried call (same request id) answers without asking the PDS again,
    # even with the network unreachable.
    offline = publishing_stack(db, pds="http://127.0.0.1:9")
    again = await offline.accounts.connect_account(OWNER, connect(account, request_id="r1"))
    assert again == connected


async def test_connect_account_with_wrong_password_is_refused(
    publishing_database: PublishingDatabase,
    publishing_stack: StackFactory,
    new_pds_account: NewAccount,
) -> None:
    db = await publishing_database()
    account = await new_pds_account()
    request = connect(account)
    wrong = ConnectRequest(
        request.tenant_id, request.employee_id, "bluesky", account.handle, "not-the-password"
    )
    with pytest.raises(FailedPrecondition, match="rejected the credentials"):
        await publishing_stack(db).accounts.connect_account(OWNER, wrong)
    async with db.session() as session:
        assert (await session.execute(select(AccountRow))).first() is None


async def test_share_due_twice_posts_once_with_link_and_facet(
    publishing_database: PublishingDatabase,
    publishing_stack: StackFactory,
    new_pds_account: NewAccount,
    metrics_server: MetricsServer,
    pds_url: str,
    kit: PublishingKit,
) -> None:
    db = await publishing_database()
    stack = publishing_stack(db)
    account = await new_pds_account()
    await stack.accounts.connect_account(OWNER, connect(account))
    handle = share_due_handler(stack.publisher)
    event = kit.share_due("t1", "e1")

    first = kit.context(db, event, "t1")
    await handle(event, first)
    with pytest.raises(AlreadyProcessed):  # the same delivery again
        await handle(event, kit.context(db, event, "t1", ce_id=first.envelope.ce_id))
    await handle(event, kit.context(db, event, "t1"))  # the same share under another event id

    posts = await kit.list_posts(pds_url, account.did)
    assert len(posts) == 1
    post = posts[0]
    assert str(post["uri"]).endswith("/" + rkey_for_share(event.share_id))
    value = post["value"]
    assert isinstance(value, dict)
    status = await stack.queries.get_publish_status(OWNER, "t1", event.share_id)
    link = f"https://l.chorus.test/l/{status.link_code}"
    assert status.link_code and value["text"] == f"Nuestra nueva planta abre hoy 🌱 {link}"
    assert value["langs"] == ["es"]
    (facet,) = value["facets"]
    start, end = facet["index"]["byteStart"], facet["index"]["byteEnd"]
    assert value["text"].encode()[start:end].decode() == link
    assert facet["features"] == [{"$type": "app.bsky.richtext.facet#link", "uri": link}]

    assert status.status is PublishStatus.PUBLISHED and status.post_uri == post["uri"]
    (published,) = await kit.outbox_rows(db, PUBLISHED)
    message = pub_events.SharePublished.FromString(published.payload)
    assert published.key == event.share_id
    assert (message.post_uri, message.link_code, message.country, message.language) == (
        post["uri"],
        status.link_code,
        "ES",
        "es",
    )
    assert {c.request_id for c in metrics_server.servicer.calls} == {event.share_id}


async def test_a_restarted_publisher_posts_without_signing_in_again(
    publishing_database: PublishingDatabase,
    publishing_stack: StackFactory,
    new_pds_account: NewAccount,
    pds_url: str,
    redis_url: str,
    kit: PublishingKit,
) -> None:
    """The session made when the account was connected is sealed in Redis:
    a new process (a new connector on the same store) posts with it."""
    db = await publishing_database()
    prefix = f"test:sessions:{uuid.uuid4().hex}:"

    tokens: list[str] = []  # every JWT the PDS handed out

    def counting(calls: Counter[str]) -> httpx.AsyncClient:
        async def count(request: httpx.Request) -> None:
            calls[request.url.path.removeprefix("/xrpc/")] += 1

        async def keep_tokens(response: httpx.Response) -> None:
            if response.url.path.endswith("Session") and response.is_success:
                await response.aread()
                tokens.extend(response.json()[k] for k in ("accessJwt", "refreshJwt"))

        return httpx.AsyncClient(
            timeout=5.0, event_hooks={"request": [count], "response": [keep_tokens]}
        )

    before_calls, after_calls = Counter[str](), Counter[str]()
    before = publishing_stack(db, sessions_prefix=prefix, client=counting(before_calls))
    account = await new_pds_account()
    await before.accounts.connect_account(OWNER, connect(account))
    first = kit.share_due("t1", "e1")
    await share_due_handler(before.publisher)(first, kit.context(db, first, "t1"))
    assert before_calls["com.atproto.server.createSession"] == 1
    await before.connector.aclose()  # the process stops

    after = publishing_stack(db, sessions_prefix=prefix, client=counting(after_calls))
    second = kit.share_due("t1", "e1", text="Segunda noticia")
    await share_due_handler(after.publisher)(second, kit.context(db, second, "t1"))
    assert after_calls["com.atproto.repo.createRecord"] == 1
    assert after_calls["com.atproto.server.createSession"] == 0
    assert after_calls["com.atproto.server.refreshSession"] == 0
    posts = await kit.list_posts(pds_url, account.did)
    assert {str(p["uri"]).rsplit("/", 1)[1] for p in posts} == {
        rkey_for_share(first.share_id),
        rkey_for_share(second.share_id),
    }

    # What Redis holds names the account by its opaque id and shows no token.
    redis = Redis.from_url(redis_url)
    try:
        keys = [k async for k in redis.scan_iter(match=f"{prefix}*")]
        assert len(keys) == 1 and account.handle.encode() not in keys[0]
        stored = await redis.get(keys[0])
    finally:
        await redis.aclose()
    assert isinstance(stored, bytes) and account.did.encode() not in stored
    assert len(tokens) == 2 and not any(t.encode() in stored for t in tokens)

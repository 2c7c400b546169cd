"""A poll's ShareDue together (chorus_messaging.Batched, Publisher.publish_all),
on the local PDS and both databases: each share gets its own outcome, the
network is called once per share, every outcome commits in one transaction
with the inbox rows; a share an error left undone has its lease given back
and is left to be handled alone; the ledger's bulk "published" is
conditional on each row's lease token."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TYPE_CHECKING

from chorus.publishing.v1 import publishing_events_pb2 as pub_events
from chorus_core.clock import utcnow
from chorus_core.errors import PermanentError
from chorus_testing.events import batch_of
from chorus_testing.identity import everything
from publishing_service.adapters.messages import record_to_pb
from publishing_service.adapters.repository import LedgerRepository
from publishing_service.app.ports import PublishedRecord
from publishing_service.domain.ledger import PublishStatus
from publishing_service.entrypoints.kafka_handlers import share_due_handler

if TYPE_CHECKING:
    from tests.component.publishing.conftest import (
        PdsAccount,
        PublishingDatabase,
        PublishingKit,
        StackFactory,
    )

PUBLISHED = pub_events.SharePublished.DESCRIPTOR.full_name
FAILED = pub_events.ShareFailed.DESCRIPTOR.full_name
NewAccount = Callable[[], Awaitable["PdsAccount"]]


def post_text(record: dict[str, object]) -> str:
    value = record["value"]
    assert isinstance(value, dict)
    return str(value["text"])


async def test_a_poll_of_shares_due_gets_each_its_own_outcome_in_one_go(
    publishing_database: PublishingDatabase,
    publishing_stack: StackFactory,
    new_pds_account: NewAccount,
    pds_url: str,
    kit: PublishingKit,
) -> None:
    db = await publishing_database()
    stack = publishing_stack(db)
    ana = await kit.connected(stack, new_pds_account, "ana")
    ben = await kit.connected(stack, new_pds_account, "ben")
    handler = share_due_handler(stack.publisher)
    before = kit.share_due("t1", "ana", text="Published before the poll")
    await handler(before, kit.context(db, before, "t1"))
    cancelled = kit.share_due("t1", "ben", text="Cancelled before it was due")
    async with db.transaction() as transaction:
        await stack.withdrawals.record_cancelled(transaction, "t1", cancelled.share_id, "cancelled")
    poll = [
        kit.share_due("t1", "ana", text="Ana's share"),
        kit.share_due("t1", "ben", text="Ben's share"),
        kit.share_due("t1", "nobody"),  # no account: fails for good
        before,  # again, under another ce_id: already published
        cancelled,
    ]

    await handler.handle(batch_of(db, poll))

    for event, expected in zip(
        poll[:3],
        [PublishStatus.PUBLISHED, PublishStatus.PUBLISHED, PublishStatus.FAILED],
        strict=True,
    ):
        found = await stack.queries.get_publish_status(everything(), "t1", event.share_id)
        assert found.status is expected
    texts = {
        who: [post_text(p) for p in await kit.list_posts(pds_url, account.did)]
        for who, account in (("ana", ana), ("ben", ben))
    }
    # The network called once per share: Ana's two posts, Ben's one.
    assert sorted(t.split(" http")[0] for t in texts["ana"]) == [
        "Ana's share",
        "Published before the poll",
    ]
    assert [t.split(" http")[0] for t in texts["ben"]] == ["Ben's share"]
    published = [
        pub_events.SharePublished.FromString(r.payload).share_id
        for r in await kit.outbox_rows(db, PUBLISHED)
    ]
    assert sorted(published) == sorted([before.share_id, poll[0].share_id, poll[1].share_id])
    (failed,) = await kit.outbox_rows(db, FAILED)
    assert failed.key == poll[2].share_id
    # The cancelled share was never leased: no ledger entry, no event.
    async with db.session() as reads:
        assert await LedgerRepository(reads).get("t1", cancelled.share_id) is None
    assert await kit.inbox_count(db) == 1 + len(poll)


async def test_a_share_an_error_leaves_undone_is_given_back_and_the_others_recorded(
    publishing_database: PublishingDatabase,
    publishing_stack: StackFactory,
    new_pds_account: NewAccount,
    kit: PublishingKit,
) -> None:
    db = await publishing_database()
    stack = publishing_stack(db)  # composed without content's media drive
    await kit.connected(stack, new_pds_account, "ana")
    good = kit.share_due("t1", "ana", text="A share without images")
    with_images = kit.share_due("t1", "ana", text="A share with an image")
    with_images.media_ids.append("m1")
    batch = batch_of(db, [good, with_images])

    await share_due_handler(stack.publisher).handle(batch)

    (left,) = batch.left.values()
    assert isinstance(left, PermanentError)
    assert list(batch.left) == [batch.deliveries[1].envelope.ce_id]
    good_status = await stack.queries.get_publish_status(everything(), "t1", good.share_id)
    assert good_status.status is PublishStatus.PUBLISHED
    # Given back (its lease ends now), not recorded, its event not done: the
    # consumer handles it alone, with its retries and DLQ.
    async with db.session() as reads:
        undone = await LedgerRepository(reads).get("t1", with_images.share_id)
    assert undone is not None and undone.status is PublishStatus.LEASED
    assert undone.lease_until is not None and undone.lease_until <= utcnow()
    assert await kit.inbox_count(db) == 1


async def test_marking_many_published_is_conditional_on_each_lease_token(
    publishing_database: PublishingDatabase,
) -> None:
    db = await publishing_database()
    now = utcnow()
    async with db.transaction() as session:
        ledger = LedgerRepository(session)
        for n in range(3):
            await ledger.add_leased(
                share_id=f"s{n}",
                tenant_id="t1",
                post_id="p1",
                employee_id=f"e{n}",
                network="bluesky",
                lease_until=now + timedelta(minutes=1),
                lease_token=f"token-{n}",
                now=now,
            )
    async with db.transaction() as session:
        marked = await LedgerRepository(session).mark_all_published(
            [
                PublishedRecord("t1", "s0", "token-0", "at://a/0", "cid0", "code0", "Hi", 2, True),
                PublishedRecord("t1", "s1", "stale-token", "at://a/1", "c1", "k1", "", None, False),
                PublishedRecord("t1", "s2", "token-2", "at://a/2", "cid2", "", "Hey", None, False),
                PublishedRecord("t2", "s0", "token-0", "at://x", "c", "", "", None, False),  # other
            ],
            now,
        )
    assert marked == {("t1", "s0"), ("t1", "s2")}
    async with db.session() as reads:
        ledger = LedgerRepository(reads)
        s0, s1, s2 = [await ledger.get("t1", f"s{n}") for n in range(3)]
    assert s0 is not None and s1 is not None and s2 is not None
    assert (s0.status, s0.post_uri, s0.link_code) == (PublishStatus.PUBLISHED, "at://a/0", "code0")
    assert (s0.published_text, s0.variant, s0.edited) == ("Hi", 2, True)
    assert (s2.published_text, s2.variant, s2.edited) == ("Hey", None, False)
    assert s0.published_at is not None and abs(s0.published_at - now) < timedelta(seconds=1)
    assert s0.lease_until is None
    assert (s1.status, s1.post_uri) == (PublishStatus.LEASED, "")
    assert (s2.status, s2.post_uri, s2.link_code) == (PublishStatus.PUBLISHED, "at://a/2", "")


async def test_the_published_text_its_variant_and_the_edit_are_recorded_with_the_share(
    publishing_database: PublishingDatabase,
    publishing_stack: StackFactory,
    new_pds_account: NewAccount,
    pds_url: str,
    kit: PublishingKit,
) -> None:
    """Issue 9 §4: what went out is on the share's record, as GetPublishStatus
    (and the gateway after it) answers."""
    db = await publishing_database()
    stack = publishing_stack(db)
    account = await kit.connected(stack, new_pds_account, "ana")
    variant = kit.share_due("t1", "ana", text="Variant two, as Ana edited it")
    variant.variant = 2
    variant.edited = True
    plain = kit.share_due("t1", "ana", text="The post's own text", link="")
    await share_due_handler(stack.publisher).handle(batch_of(db, [variant, plain]))

    posted = {post_text(p) for p in await kit.list_posts(pds_url, account.did)}
    first = await stack.queries.get_publish_status(everything(), "t1", variant.share_id)
    second = await stack.queries.get_publish_status(everything(), "t1", plain.share_id)
    assert first.published_text in posted and first.published_text.startswith(
        "Variant two, as Ana edited it"
    )
    assert first.link_code and first.published_text.endswith(first.link_code)  # its short link
    assert (first.variant, first.edited) == (2, True)
    assert (second.published_text, second.variant, second.edited) == (
        "The post's own text",
        None,
        False,
    )
    record = record_to_pb(first)
    assert (record.text, record.variant, record.edited) == (first.published_text, 2, True)
    assert not record_to_pb(second).HasField("variant")

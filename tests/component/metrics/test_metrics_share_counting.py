"""SharePublished -> shares+1 per (post, country), once per share; stats."""

from __future__ import annotations

import pytest
from chorus.publishing.v1 import publishing_events_pb2 as publishing
from chorus_messaging.consumer import AlreadyProcessed, Batched
from chorus_messaging.tables import InboxRecord
from chorus_testing.events import batch_of
from chorus_testing.identity import as_service, everything
from chorus_testing.subscriptions import handler_for
from metrics_service.adapters.tables import CountedShareRow, PostStatsRow
from metrics_service.domain.stats import Counts
from metrics_service.entrypoints.kafka_handlers import subscriptions

PUBLISHING = as_service("publishing")  # the only caller metrics makes links for


@pytest.fixture
def on_share(use_cases):
    return handler_for(subscriptions(use_cases), publishing.SharePublished)


async def test_a_published_share_counts_for_its_post_and_country(
    on_share, use_cases, kit, tenant, metrics_db
) -> None:
    event = kit.share_published(tenant, "share-1", "post-1", country="FR")
    await on_share(event, kit.context(metrics_db, event, tenant))
    stats = await use_cases.post_stats(everything(tenant), tenant, "post-1")
    assert stats.total == Counts(shares=1, clicks=0)
    assert stats.by_country == {"FR": Counts(1, 0)}
    assert await kit.outbox(metrics_db) == []  # counting emits nothing


async def test_redelivery_with_the_same_ce_id_is_a_no_op(
    on_share, use_cases, kit, tenant, metrics_db
) -> None:
    event = kit.share_published(tenant, "share-1", "post-1")
    ctx = kit.context(metrics_db, event, tenant)
    await on_share(event, ctx)
    with pytest.raises(AlreadyProcessed):
        await on_share(event, ctx)
    assert (await use_cases.post_stats(everything(tenant), tenant, "post-1")).total.shares == 1
    assert await kit.count(metrics_db, InboxRecord) == 1


async def test_the_same_share_under_another_ce_id_counts_once(
    on_share, use_cases, kit, tenant, metrics_db
) -> None:
    event = kit.share_published(tenant, "share-1", "post-1")
    await on_share(event, kit.context(metrics_db, event, tenant))
    await on_share(event, kit.context(metrics_db, event, tenant))  # new ce_id: passes the inbox
    assert (await use_cases.post_stats(everything(tenant), tenant, "post-1")).total.shares == 1
    assert await kit.count(metrics_db, CountedShareRow) == 1
    assert await kit.count(metrics_db, InboxRecord) == 2  # both events are done


async def test_shares_and_clicks_aggregate_per_post_and_country(
    on_share, use_cases, kit, tenant, metrics_db, http
) -> None:
    for share_id, post_id, country in [
        ("s1", "post-1", "FR"),
        ("s2", "post-1", "FR"),
        ("s3", "post-1", "DE"),
        ("s4", "post-2", "DE"),
        ("s5", "post-2", ""),
    ]:
        event = kit.share_published(tenant, share_id, post_id, country=country)
        await on_share(event, kit.context(metrics_db, event, tenant))
    link = await use_cases.create_tracked_link(
        PUBLISHING, kit.new_link(tenant, "s3", post_id="post-1", country="DE")
    )
    await http.get(f"/l/{link.code}")
    await http.get(f"/l/{link.code}")

    post_1 = await use_cases.post_stats(everything(tenant), tenant, "post-1")
    assert post_1.by_country == {"FR": Counts(2, 0), "DE": Counts(1, 2)}
    assert post_1.total == Counts(3, 2)
    whole = await use_cases.tenant_stats(everything(tenant), tenant)
    assert whole.by_country == {"FR": Counts(2, 0), "DE": Counts(2, 2), "ZZ": Counts(1, 0)}
    assert whole.total == Counts(5, 2)
    # Another tenant sees none of it.
    assert (
        await use_cases.tenant_stats(everything(tenant + "-other"), tenant + "-other")
    ).total == Counts(0, 0)
    assert await kit.count(metrics_db, PostStatsRow) == 4


async def test_a_post_nobody_shared_has_zero_counts(use_cases, tenant) -> None:
    stats = await use_cases.post_stats(everything(tenant), tenant, "post-unknown")
    assert (stats.total, stats.by_country) == (Counts(0, 0), {})


async def test_a_batch_of_shares_counts_each_once_in_one_transaction(
    on_share, use_cases, kit, tenant, metrics_db
) -> None:
    """The consumer's batch path (chorus_messaging.Batched): many
    SharePublished in one transaction, as a poll brings them."""
    before = kit.share_published(tenant, "s0", "post-1")
    await on_share(before, kit.context(metrics_db, before, tenant))
    other = tenant + "-other"
    batch = [
        kit.share_published(tenant, "s1", "post-1", country="FR"),
        kit.share_published(tenant, "s2", "post-1", country="FR"),
        kit.share_published(tenant, "s3", "post-1", country="DE"),
        kit.share_published(tenant, "s1", "post-1", country="FR"),  # twice in the batch
        kit.share_published(tenant, "s0", "post-1", country="FR"),  # counted before
        kit.share_published(tenant, "s4", "post-2", country=""),
        kit.share_published(other, "s1", "post-1", country="FR"),  # same ids, other tenant
    ]
    assert isinstance(on_share, Batched)
    await on_share.handle(batch_of(metrics_db, batch))
    post_1 = await use_cases.post_stats(everything(tenant), tenant, "post-1")
    assert post_1.by_country == {"FR": Counts(3, 0), "DE": Counts(1, 0)}
    whole = await use_cases.tenant_stats(everything(tenant), tenant)
    assert whole.by_country == {"FR": Counts(3, 0), "DE": Counts(1, 0), "ZZ": Counts(1, 0)}
    assert (await use_cases.tenant_stats(everything(other), other)).total == Counts(1, 0)
    assert await kit.count(metrics_db, CountedShareRow) == 6

"""A campaign's actuals (GetCampaignStats): shares, clicks and distinct
active ambassadors of its posts in a period, per country and per post, on
SQLite and PostgreSQL. Shares are counted through the real SharePublished
consumer, clicks through the real click endpoint."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import grpc
import pytest
from chorus.metrics.v1 import metrics_service_pb2 as pb
from chorus.metrics.v1 import metrics_service_pb2_grpc as pb_grpc
from chorus.publishing.v1 import publishing_events_pb2 as publishing
from chorus_core.errors import InvalidArgument
from chorus_core.prototime import to_timestamp
from chorus_grpc import GrpcServer, insecure_channel
from chorus_messaging import Outbox
from chorus_testing.events import event_context
from chorus_testing.identity import IDENTITY, as_service, everything
from chorus_testing.subscriptions import handler_for
from google.rpc import error_details_pb2
from grpc_status import rpc_status
from metrics_service.adapters.stores import OutboxClickEvents, SqlStores
from metrics_service.adapters.tables import CountedShareRow
from metrics_service.app.use_cases import MetricsUseCases
from metrics_service.domain.campaigns import Tally
from metrics_service.entrypoints import grpc_api
from metrics_service.entrypoints.kafka_handlers import subscriptions
from sqlalchemy import select
from sqlmodel import col

PUBLISHING = as_service("publishing")
NOW = datetime.now(UTC)


@pytest.fixture
def on_share(use_cases):
    return handler_for(subscriptions(use_cases), publishing.SharePublished)


@pytest.fixture
def share(on_share, kit, tenant, metrics_db):
    async def publish(
        share_id: str,
        post_id: str,
        employee_id: str,
        country: str = "FR",
        at: datetime | None = None,
        tenant_id: str = tenant,
    ) -> None:
        event = kit.share_published(tenant_id, share_id, post_id, country, employee_id, at)
        await on_share(event, kit.context(metrics_db, event, tenant_id))

    return publish


async def click(use_cases, kit, http, tenant: str, share_id: str, post_id: str, **link) -> None:
    made = await use_cases.create_tracked_link(
        PUBLISHING, kit.new_link(tenant, share_id, post_id=post_id, **link)
    )
    assert (await http.get(f"/l/{made.code}")).status_code == 302


async def test_actuals_sum_the_posts_and_count_each_ambassador_once(
    share, use_cases, kit, http, tenant
) -> None:
    await share("s1", "p1", "emp-1", "FR")
    await share("s2", "p2", "emp-1", "FR")  # the same person on another post
    await share("s3", "p1", "emp-2", "DE")
    await share("s4", "p-other", "emp-3", "FR")  # not one of the campaign's posts
    await share("s1", "p1", "emp-9", "FR", tenant_id=tenant + "-b")  # another tenant's "p1"
    for _ in range(2):
        await click(use_cases, kit, http, tenant, "s3", "p1", employee_id="emp-2", country="DE")
    await click(use_cases, kit, http, tenant, "s4", "p-other", employee_id="emp-3")

    # A post asked twice counts once; a post nobody shared has zeros.
    stats = await use_cases.campaign_stats(
        everything(tenant), tenant, ["p1", "p2", "p-unshared", "p1"], None, None
    )
    assert stats.total == Tally(shares=3, clicks=2, active_ambassadors=2)
    assert stats.by_country == {"DE": Tally(1, 2, 1), "FR": Tally(2, 0, 1)}
    assert stats.by_post == [
        ("p1", Tally(2, 2, 2)),
        ("p2", Tally(1, 0, 1)),
        ("p-unshared", Tally(0, 0, 0)),
    ]
    assert stats.not_measured == ("reach", "earned_media_value")

    theirs = await use_cases.campaign_stats(
        everything(tenant + "-b"), tenant + "-b", ["p1"], None, None
    )
    assert theirs.total == Tally(1, 0, 1)


async def test_the_period_filters_shares_by_publish_time_and_clicks_by_click_time(
    share, use_cases, kit, http, tenant
) -> None:
    await share("s-old", "p1", "emp-1", at=NOW - timedelta(days=10))
    await share("s-mid", "p1", "emp-2", at=NOW - timedelta(days=5))
    await share("s-new", "p1", "emp-3", at=NOW - timedelta(days=1))
    await click(use_cases, kit, http, tenant, "s-old", "p1", employee_id="emp-1")  # clicked now

    async def actuals(since: datetime | None, until: datetime | None) -> Tally:
        stats = await use_cases.campaign_stats(everything(tenant), tenant, ["p1"], since, until)
        return stats.total

    days = [NOW - timedelta(days=n) for n in (7, 2)]
    assert await actuals(days[0], days[1]) == Tally(shares=1, clicks=0, active_ambassadors=1)
    assert await actuals(days[0], None) == Tally(2, 1, 2)
    assert await actuals(None, days[0]) == Tally(1, 0, 1)
    # [since, until): a share published at `until` belongs to the next period.
    assert await actuals(NOW - timedelta(days=6), NOW - timedelta(days=5)) == Tally(0, 0, 0)
    assert await actuals(NOW - timedelta(days=5), NOW - timedelta(days=4)) == Tally(1, 0, 1)
    assert await actuals(None, None) == Tally(3, 1, 3)


async def test_a_share_without_a_known_sharer_counts_as_a_share_not_an_ambassador(
    share, on_share, use_cases, kit, tenant, metrics_db
) -> None:
    await share("s1", "p1", "")
    await share("s2", "p1", "emp-1")
    # Re-sent under another ce_id: still one share, one ambassador.
    event = kit.share_published(tenant, "s2", "p1", employee_id="emp-1")
    await on_share(event, kit.context(metrics_db, event, tenant))
    stats = await use_cases.campaign_stats(everything(tenant), tenant, ["p1"], None, None)
    assert stats.total == Tally(shares=2, clicks=0, active_ambassadors=1)
    async with metrics_db.session() as session:
        rows = await session.execute(
            select(col(CountedShareRow.share_id), col(CountedShareRow.employee_id))
            .where(col(CountedShareRow.tenant_id) == tenant)
            .order_by(col(CountedShareRow.share_id))
        )
        assert rows.all() == [("s1", None), ("s2", "emp-1")]


async def test_an_event_without_a_publish_time_is_counted_at_its_arrival(
    share, use_cases, tenant
) -> None:
    before = datetime.now(UTC)
    await share("s1", "p1", "emp-1", at=None)
    after = datetime.now(UTC) + timedelta(seconds=1)
    stats = await use_cases.campaign_stats(everything(tenant), tenant, ["p1"], before, after)
    assert stats.total == Tally(1, 0, 1)


@pytest.mark.parametrize(
    ("post_ids", "since", "until", "field"),
    [
        ([], None, None, "post_ids"),
        ([f"p{n}" for n in range(501)], None, None, "post_ids"),
        (["p1", " "], None, None, "post_ids"),
        (["p1", "x" * 101], None, None, "post_ids"),
        (["p1"], NOW, NOW, "until"),
        (["p1"], NOW, NOW - timedelta(seconds=1), "until"),
    ],
)
async def test_bad_input_names_the_field(use_cases, tenant, post_ids, since, until, field) -> None:
    with pytest.raises(InvalidArgument) as raised:
        await use_cases.campaign_stats(everything(tenant), tenant, post_ids, since, until)
    assert raised.value.field == field


async def test_five_hundred_posts_are_accepted(use_cases, tenant) -> None:
    posts = [f"p{n}" for n in range(500)]
    stats = await use_cases.campaign_stats(everything(tenant), tenant, posts, None, None)
    assert [post for post, _ in stats.by_post] == posts


@pytest.fixture
async def reader(metrics_db, tenant) -> AsyncIterator[pb_grpc.MetricsServiceStub]:
    """MetricsService over real gRPC, in a deployment of region "ap-south",
    read as the tenant's comms team."""
    use_cases = MetricsUseCases(
        metrics_db,
        SqlStores(),
        OutboxClickEvents(Outbox("chorus/metrics@test")),
        "http://go.chorus.test",
        region="ap-south",
    )
    on_share = handler_for(subscriptions(use_cases), publishing.SharePublished)
    for share_id, employee in (("s1", "emp-1"), ("s2", "emp-2")):
        event = publishing.SharePublished(
            tenant_id=tenant,
            share_id=share_id,
            post_id="p1",
            employee_id=employee,
            country="IN",
            published_at=to_timestamp(NOW - timedelta(hours=1)),
        )
        await on_share(event, event_context(metrics_db, event, tenant))
    server = GrpcServer(0, [grpc_api.binding(use_cases)], verifier=IDENTITY.verifier)
    await server.start()
    channel = insecure_channel(
        f"127.0.0.1:{server.port}", credentials=IDENTITY.credentials(everything(tenant))
    )
    try:
        yield pb_grpc.MetricsServiceStub(channel)
    finally:
        await channel.close()
        await server.stop(0)


async def test_grpc_answers_the_actuals_the_region_and_what_is_not_measured(reader) -> None:
    answer = await reader.GetCampaignStats(
        pb.GetCampaignStatsRequest(
            post_ids=["p1", "p2"], since=to_timestamp(NOW - timedelta(days=1))
        )
    )
    assert (answer.shares, answer.clicks, answer.active_ambassadors) == (2, 0, 2)
    assert {c: (n.shares, n.active_ambassadors) for c, n in answer.by_country.items()} == {
        "IN": (2, 2)
    }
    assert [(p.post_id, p.counts.shares) for p in answer.posts] == [("p1", 2), ("p2", 0)]
    assert list(answer.not_measured) == ["reach", "earned_media_value"]
    assert answer.region == "ap-south"
    # The period excludes them: zeros, and still the KPIs not measured.
    later = await reader.GetCampaignStats(
        pb.GetCampaignStatsRequest(post_ids=["p1"], since=to_timestamp(NOW))
    )
    assert (later.shares, later.active_ambassadors, list(later.not_measured)) == (
        0,
        0,
        ["reach", "earned_media_value"],
    )


@pytest.mark.parametrize(
    ("request_", "field"),
    [
        (pb.GetCampaignStatsRequest(), "post_ids"),
        (pb.GetCampaignStatsRequest(post_ids=["p1", ""]), "post_ids"),
        (
            pb.GetCampaignStatsRequest(
                post_ids=["p1"], since=to_timestamp(NOW), until=to_timestamp(NOW)
            ),
            "until",
        ),
    ],
)
async def test_grpc_bad_input_is_invalid_argument_naming_the_field(reader, request_, field) -> None:
    with pytest.raises(grpc.aio.AioRpcError) as raised:
        await reader.GetCampaignStats(request_)
    assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    status = rpc_status.from_call(raised.value)
    assert status is not None
    violation = error_details_pb2.BadRequest()
    status.details[0].Unpack(violation)
    assert violation.field_violations[0].field == field

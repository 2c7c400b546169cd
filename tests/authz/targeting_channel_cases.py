"""Targeting's matrix for segments, channels, subscriptions and the audience
preview (collected through test_targeting_authz, which imports them)."""

from __future__ import annotations

from typing import Any

from chorus.targeting.v1 import targeting_service_pb2 as pb

from tests.authz.matrix import DENIED, HIDDEN, expect_denied
from tests.authz.targeting_world import REGION, SECRET, A, World

NOT_COMMS = ("reviewer_a", "moderator_a", "ana_a", "unlinked_a")
SERVICES = ("gateway", "scheduling")


async def test_preview_audience(world: World) -> None:
    w = world

    def preview(*channels: str, tenant: str = "", segment_id: str = "") -> Any:
        return pb.PreviewAudienceRequest(
            tenant_id=tenant, channel_ids=list(channels), segment_id=segment_id
        )

    # The region's comms manager (and the admin) preview anything of the region.
    for who in ("comms_region_a", "admin_a"):
        assert (await w.stub(who).PreviewAudience(preview())).count == 5
        assert (await w.stub(who).PreviewAudience(preview(segment_id=w.segment_a))).count == 2
    # A channel's manager: audiences cut by the channels they manage only.
    assert (await w.stub("comms_channel_a").PreviewAudience(preview(w.careers_a))).count == 0
    assert (await w.stub("listed_a").PreviewAudience(preview(w.global_a))).count == 0
    for who, request in (
        ("comms_channel_a", preview()),
        ("comms_channel_a", preview(w.careers_a, w.global_a)),
        ("listed_a", preview(w.careers_a)),
        ("comms_elsewhere_a", preview()),
        ("comms_elsewhere_a", preview(w.careers_a)),
    ):
        await expect_denied(w.stub(who).PreviewAudience(request), {DENIED})
    for who in NOT_COMMS:
        await expect_denied(w.stub(who).PreviewAudience(preview()), {DENIED})
    for who in SERVICES:
        await expect_denied(w.stub(who).PreviewAudience(preview(tenant=A)), {DENIED})
    # Tenant B: A's channel and segment are nobody's there; A is never named.
    comms_b = w.stub("comms_b")
    await expect_denied(comms_b.PreviewAudience(preview(w.careers_a)), {HIDDEN})
    await expect_denied(comms_b.PreviewAudience(preview(segment_id=w.segment_a)), {HIDDEN})
    await expect_denied(comms_b.PreviewAudience(preview(tenant=A)), {DENIED})
    assert (await comms_b.PreviewAudience(preview())).count == 2


async def test_validate_segment(world: World) -> None:
    w = world
    rule = pb.ValidateSegmentRequest(rule='country = "FR" and department = "Sales"')
    for who in ("comms_region_a", "comms_channel_a", "admin_a", "comms_b"):
        assert list((await w.stub(who).ValidateSegment(rule)).attributes) == [
            "country",
            "department",
        ]
    for who in (*NOT_COMMS, *SERVICES):
        await expect_denied(w.stub(who).ValidateSegment(rule), {DENIED})


async def test_segments(world: World) -> None:
    """SaveSegment, GetSegment, ListSegments."""
    w = world

    def save(segment_id: str = "", tenant: str = "", rule: str = 'country = "ES"') -> Any:
        return pb.SaveSegmentRequest(
            tenant_id=tenant, segment_id=segment_id, name="Spain", rule=rule
        )

    get = pb.GetSegmentRequest(segment_id=w.segment_a)
    listing = pb.ListSegmentsRequest()
    for who in ("comms_region_a", "comms_channel_a", "admin_a"):
        assert (await w.stub(who).GetSegment(get)).rule == 'country = "FR"'
        assert [s.segment_id for s in (await w.stub(who).ListSegments(listing)).segments] == [
            w.segment_a
        ]
    saved = await w.stub("comms_channel_a").SaveSegment(save())
    assert saved.version == 1
    for who in (*NOT_COMMS, *SERVICES):
        await expect_denied(w.stub(who).SaveSegment(save(w.segment_a, A)), {DENIED})
        await expect_denied(w.stub(who).GetSegment(pb.GetSegmentRequest(tenant_id=A)), {DENIED})
        await expect_denied(w.stub(who).ListSegments(pb.ListSegmentsRequest(tenant_id=A)), {DENIED})
    # Tenant B on A's segment: not found, and it stays A's rule at version 1.
    comms_b = w.stub("comms_b")
    await expect_denied(comms_b.GetSegment(get), {HIDDEN})
    await expect_denied(comms_b.SaveSegment(save(w.segment_a)), {HIDDEN})
    await expect_denied(comms_b.SaveSegment(save(w.segment_a, A)), {DENIED})
    await expect_denied(comms_b.GetSegment(pb.GetSegmentRequest(tenant_id=A)), {DENIED})
    await expect_denied(comms_b.ListSegments(pb.ListSegmentsRequest(tenant_id=A)), {DENIED})
    assert [s.segment_id for s in (await comms_b.ListSegments(listing)).segments] == [w.segment_b]
    kept = await w.stub("admin_a").GetSegment(get)
    assert (kept.version, kept.rule) == (1, 'country = "FR"')


async def test_create_channel(world: World) -> None:
    w = world

    def create(name: str, *regions: str, tenant: str = "") -> pb.CreateChannelRequest:
        return pb.CreateChannelRequest(tenant_id=tenant, name=name, regions=list(regions))

    made = await w.stub("comms_region_a").CreateChannel(create("Regional", REGION))
    assert list(made.regions) == [REGION]
    # A channel visible everywhere needs every region; another region's manager none here.
    for who, request in (
        ("comms_region_a", create("Everywhere")),
        ("comms_elsewhere_a", create("Here", REGION)),
        ("comms_channel_a", create("Mine", REGION)),
    ):
        await expect_denied(w.stub(who).CreateChannel(request), {DENIED})
    for who in NOT_COMMS:
        await expect_denied(w.stub(who).CreateChannel(create("No", REGION)), {DENIED})
    for who in SERVICES:
        await expect_denied(w.stub(who).CreateChannel(create("No", REGION, tenant=A)), {DENIED})
    assert (await w.stub("admin_a").CreateChannel(create("Everywhere"))).regions == []
    await expect_denied(w.stub("comms_b").CreateChannel(create("B", REGION, tenant=A)), {DENIED})
    await w.stub("comms_b").CreateChannel(create("Only B", REGION))
    assert sorted(c.name for c in (await w.channels()).values()) == [
        "Careers",
        "Everywhere",
        "Global",
        "Regional",
    ]


async def test_list_channels(world: World) -> None:
    w = world
    for who in ("ana_a", "unlinked_a", "reviewer_a", "comms_channel_a", "admin_a"):
        listed = await w.stub(who).ListChannels(pb.ListChannelsRequest())
        assert {c.channel_id for c in listed.channels} == {w.careers_a, w.global_a}
    for who in SERVICES:
        await expect_denied(w.stub(who).ListChannels(pb.ListChannelsRequest(tenant_id=A)), {DENIED})
    theirs = await w.stub("ana_b").ListChannels(pb.ListChannelsRequest())
    assert [c.channel_id for c in theirs.channels] == [w.careers_b]
    named = pb.ListChannelsRequest(tenant_id=A)
    await expect_denied(w.stub("ana_b").ListChannels(named), {DENIED})


async def test_set_channel_managers(world: World) -> None:
    w = world

    def managers(channel: str, *ids: str, tenant: str = "") -> pb.SetChannelManagersRequest:
        return pb.SetChannelManagersRequest(
            tenant_id=tenant, channel_id=channel, manager_ids=list(ids)
        )

    # careers: its grant's manager and the region's; global (everywhere): its listed manager.
    for who in ("comms_channel_a", "comms_region_a"):
        done = await w.stub(who).SetChannelManagers(managers(w.careers_a, w.ana_a))
        assert list(done.manager_ids) == [w.ana_a]
    done = await w.stub("listed_a").SetChannelManagers(managers(w.global_a, w.cai_a, w.bob_a))
    assert sorted(done.manager_ids) == sorted([w.cai_a, w.bob_a])
    for who, channel in (
        ("comms_channel_a", w.global_a),
        ("comms_region_a", w.global_a),
        ("comms_elsewhere_a", w.careers_a),
        ("listed_a", w.careers_a),
    ):
        await expect_denied(w.stub(who).SetChannelManagers(managers(channel, w.ana_a)), {DENIED})
    # Listed as a manager without the comms manager role: not a manager.
    await expect_denied(w.stub("bob_a").SetChannelManagers(managers(w.global_a)), {DENIED})
    for who in NOT_COMMS:
        await expect_denied(w.stub(who).SetChannelManagers(managers(w.careers_a)), {DENIED})
    for who in SERVICES:
        request = managers(w.careers_a, tenant=A)
        await expect_denied(w.stub(who).SetChannelManagers(request), {DENIED})
    comms_b = w.stub("comms_b")
    await expect_denied(comms_b.SetChannelManagers(managers(w.careers_a)), {HIDDEN})
    await expect_denied(comms_b.SetChannelManagers(managers(w.careers_a, tenant=A)), {DENIED})
    assert list((await w.channels())[w.careers_a].manager_ids) == [w.ana_a]


async def test_subscriptions(world: World) -> None:
    """Subscribe and Unsubscribe: the employee themself, or a tenant admin."""
    w = world

    def sub(channel: str, employee_id: str = "", tenant: str = "") -> pb.SubscriptionRequest:
        return pb.SubscriptionRequest(tenant_id=tenant, channel_id=channel, employee_id=employee_id)

    ana = w.stub("ana_a")
    assert (await ana.Subscribe(sub(w.careers_a))).subscribers == 1
    assert (await ana.Subscribe(sub(w.careers_a, w.ana_a, A))).subscribers == 1
    for who in ("ana_a", "comms_region_a", "comms_channel_a", "reviewer_a"):
        await expect_denied(w.stub(who).Subscribe(sub(w.careers_a, w.bob_a)), {DENIED})
        await expect_denied(w.stub(who).Unsubscribe(sub(w.careers_a, w.bob_a)), {DENIED})
    await expect_denied(w.stub("unlinked_a").Subscribe(sub(w.careers_a)), {DENIED})
    for who in SERVICES:
        await expect_denied(w.stub(who).Subscribe(sub(w.careers_a, w.ana_a, A)), {DENIED})
        await expect_denied(w.stub(who).Unsubscribe(sub(w.careers_a, w.ana_a, A)), {DENIED})
    # Tenant B: A's channel is not found; A's Ana is nobody there; A is not named.
    for who in ("ana_b", "admin_b"):
        await expect_denied(w.stub(who).Unsubscribe(sub(w.careers_a, w.ana_b)), {HIDDEN})
        await expect_denied(w.stub(who).Subscribe(sub(w.careers_a, w.ana_b)), {HIDDEN})
        await expect_denied(w.stub(who).Unsubscribe(sub(w.careers_a, "", A)), {DENIED})
    await expect_denied(w.stub("admin_b").Subscribe(sub(w.careers_b, w.ana_a)), {HIDDEN})
    assert (await w.channels())[w.careers_a].subscribers == 1
    assert (await w.stub("admin_a").Subscribe(sub(w.careers_a, w.bob_a))).subscribers == 2
    assert (await ana.Unsubscribe(sub(w.careers_a))).subscribers == 1
    assert (await w.stub("admin_a").Unsubscribe(sub(w.careers_a, w.bob_a))).subscribers == 0
    assert SECRET not in str(await w.stub("ana_b").ListChannels(pb.ListChannelsRequest()))

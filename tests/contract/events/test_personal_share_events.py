"""Personalisation against the parrot effect (issue 9 §4), across the real
services: a post's text variants go from content's gRPC API through
translation (real Apertium; links kept) to scheduling, whose ShareDue gives
each employee one of them; an employee's own text is checked by content's
real charter (scheduling's real gRPC server asks content's with the
employee's token) and, once due, is what publishing posts on the real
Bluesky server and keeps in its ledger record with its variant and the fact
it was edited."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import grpc
import httpx
import pytest
from chorus.content.v1 import content_service_pb2 as content_pb
from chorus.publishing.v1 import publishing_events_pb2 as publishing_events
from chorus.scheduling.v1 import scheduling_service_pb2 as scheduling_pb
from chorus.scheduling.v1 import scheduling_service_pb2_grpc as scheduling_grpc
from chorus_grpc import insecure_channel
from chorus_testing.identity import IDENTITY, everything
from chorus_testing.infra import required_env
from publishing_service.adapters.tables import LedgerRow
from scheduling_service.domain.personal import spread_variant
from scheduling_service.domain.shares import share_id_for
from sqlalchemy import select
from sqlmodel import col

if TYPE_CHECKING:
    from tests.contract.conftest import Platform
    from tests.contract.events.conftest import Campaign

pytestmark = pytest.mark.infra  # Apertium, Redis and the Bluesky PDS

LINK = "https://example.com/plant"
VARIANTS = [f"Our new plant is open: {LINK} #chorus", f"Come and see our new plant {LINK}"]


async def pds_posts(did: str) -> list[str]:
    """What the local Bluesky server holds for the account: the real outcome."""
    pds = required_env("CHORUS_BLUESKY_PDS_URL").rstrip("/")
    async with httpx.AsyncClient(timeout=10) as client:
        response = await client.get(
            f"{pds}/xrpc/com.atproto.repo.listRecords",
            params={"repo": did, "collection": "app.bsky.feed.post"},
        )
    response.raise_for_status()
    return [r["value"]["text"] for r in response.json()["records"]]


def with_variants() -> dict[str, Any]:
    return {"network_variants": {"bluesky": content_pb.TextVariants(texts=VARIANTS)}}


@pytest.mark.contract("chorus.translation.v1.TranslationCompleted", "content", "scheduling")
@pytest.mark.contract("chorus.scheduling.v1.ShareDue")
async def test_the_variants_travel_from_content_through_translation_to_each_share(
    campaign: Campaign, platform: Platform
) -> None:
    post_id = await campaign.approve(
        content_pb.Targeting(countries=["ES", "GB"]), **with_variants()
    )
    await campaign.resolve(post_id)
    await campaign.plan(post_id)
    texts = {t.event.language: t.event for t in await campaign.translate(post_id)}
    assert list(texts["en"].network_variants["bluesky"].texts) == VARIANTS
    spanish = list(texts["es"].network_variants["bluesky"].texts)
    assert len(spanish) == 2 and spanish != VARIANTS
    assert LINK in spanish[0] and "#chorus" in spanish[0] and LINK in spanish[1]

    await campaign.check(post_id)
    dues = {d.event.employee_id: d.event for d in await campaign.fire()}
    ana, ben = campaign.employee("ana"), campaign.employee("ben")
    assert sorted(dues) == sorted([ana, ben])  # the auto-sharers of this region
    for employee, variants in ((ben, VARIANTS), (ana, spanish)):
        due = dues[employee]
        expected = spread_variant(post_id, employee, "bluesky", 2)
        assert (due.variant, due.text, due.edited) == (expected, variants[expected], False)


def employee_stub(platform: Platform, address: str, employee_id: str) -> Any:
    person = everything(platform.tenant, f"sub-{employee_id}", employee_id=employee_id)
    channel = insecure_channel(address, 30, IDENTITY.credentials(person))
    platform.stack.push_async_callback(channel.close)
    return scheduling_grpc.SchedulingServiceStub(channel)


@pytest.mark.contract("chorus.scheduling.v1.ShareDue", "publishing")
async def test_an_edited_text_is_checked_then_published_and_recorded_as_edited(
    campaign: Campaign, platform: Platform
) -> None:
    tenant, ben = campaign.tenant, campaign.employee("ben")
    content = await platform.content()
    await content.stub.SetCharter(
        content_pb.SetCharterRequest(
            tenant_id=tenant,
            charter=content_pb.Charter(
                blocked_terms=[
                    content_pb.BlockedTerm(
                        term="free beer", severity=content_pb.SEVERITY_BLOCK, suggestion="no"
                    )
                ]
            ),
        )
    )
    did = await campaign.connect_bluesky("ben")
    post_id = await campaign.approve(content_pb.Targeting(countries=["GB"]), **with_variants())
    await campaign.resolve(post_id)
    await campaign.plan(post_id)
    await campaign.translate(post_id)
    await campaign.check(post_id)

    scheduling = await platform.scheduling()
    stub = employee_stub(platform, scheduling.address, ben)
    share_id = share_id_for(tenant, post_id, ben, "bluesky")
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await stub.ScheduleShare(
            scheduling_pb.ScheduleShareRequest(
                post_id=post_id, mode=scheduling_pb.SHARE_MODE_NOW, text="Free beer for all!"
            )
        )
    assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "blocked-term.any" in (refused.value.details() or "")
    unchanged = (await stub.GetShare(scheduling_pb.GetShareRequest(share_id=share_id))).share
    assert unchanged.edited_text == ""

    mine = "Proud of the plant my team built this year"
    scheduled = await stub.ScheduleShare(
        scheduling_pb.ScheduleShareRequest(
            post_id=post_id, mode=scheduling_pb.SHARE_MODE_NOW, variant=1, text=mine
        )
    )
    assert (scheduled.share.edited_text, scheduled.share.variant) == (mine, 1)
    dues = [d for d in await campaign.fire() if d.event.share_id == share_id]
    [due] = dues
    assert (due.event.text, due.event.variant, due.event.edited) == (mine, 1, True)

    publishing = await platform.publishing()
    await platform.deliver(dues, publishing)
    [published] = await platform.events(publishing, publishing_events.SharePublished)
    short_url = f"http://go.chorus.test/l/{published.event.link_code}"
    assert await pds_posts(did) == [f"{mine} {short_url}"]
    async with publishing.db.session() as session:
        row = (
            await session.execute(
                select(LedgerRow).where(
                    col(LedgerRow.tenant_id) == tenant, col(LedgerRow.share_id) == share_id
                )
            )
        ).scalar_one()
    assert row.due is not None
    assert (row.due["text"], row.due["variant"], row.due["edited"]) == (mine, 1, True)

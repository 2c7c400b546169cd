"""LinkClicked, produced by metrics when a person follows a share's tracked
link, handled by scheduling: the click counts once toward the best local
hours of the share's region and network, in the local hour the share went
out (the employee's timezone). Counting each click_id once is
tests/component/scheduling/test_scheduling_best_hours.py's."""

from __future__ import annotations

from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import httpx
import pytest
from chorus.content.v1 import content_service_pb2 as pb
from chorus.metrics.v1 import metrics_events_pb2 as metrics_events
from chorus_core.ids import new_id
from chorus_testing.identity import as_service, everything
from metrics_service.app.use_cases import NewTrackedLink
from metrics_service.entrypoints.http_app import create_app
from scheduling_service.adapters.stores import SqlStores

if TYPE_CHECKING:
    from tests.contract.conftest import Platform
    from tests.contract.events.conftest import Campaign

pytestmark = pytest.mark.infra  # translation's cache (Redis) on the way to the due share
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"


@pytest.mark.contract("chorus.metrics.v1.LinkClicked", "scheduling")
async def test_a_click_on_a_share_counts_toward_its_regions_best_hours(
    campaign: Campaign, platform: Platform
) -> None:
    tenant, ben = campaign.tenant, campaign.employee("ben")
    post_id = await campaign.approve(pb.Targeting(countries=["GB"]))
    [due] = await campaign.run(post_id)  # ben's auto-share, planned and fired
    scheduling, metrics = await platform.scheduling(), await platform.metrics()
    share = await scheduling.use_cases.get_share(everything(tenant), tenant, due.event.share_id)
    assert share.due_at is not None and share.planning.region == "eu-west"

    # The link publishing asks metrics for when it posts the share; a person follows it.
    link = await metrics.use_cases.create_tracked_link(
        as_service("publishing"),
        NewTrackedLink(
            tenant_id=tenant,
            share_id=share.share_id,
            post_id=post_id,
            employee_id=ben,
            country="GB",
            network="bluesky",
            target_url=campaign.LINK,
            request_id=new_id(),
        ),
    )
    transport = httpx.ASGITransport(app=create_app(metrics.use_cases))
    async with httpx.AsyncClient(transport=transport, base_url="http://go.chorus.test") as web:
        response = await web.get(f"/l/{link.code}", headers={"user-agent": BROWSER})
    assert response.status_code == 302
    [clicked] = await platform.events(metrics, metrics_events.LinkClicked)
    assert clicked.event.share_id == share.share_id and clicked.event.click_id

    await platform.deliver([clicked], scheduling)
    found = await scheduling.engagement.best_hours(everything(tenant), tenant, "eu-west", "bluesky")
    assert found.clicks == 1 and not found.prior_only
    hour = share.due_at.astimezone(ZoneInfo("Europe/London")).hour
    async with scheduling.db.session() as session:
        counts = await SqlStores().engagement(session).clicks_by_hour(tenant, "eu-west", "bluesky")
    assert counts == {hour: 1}

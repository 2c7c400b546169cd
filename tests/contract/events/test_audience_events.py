"""chorus.targeting.audience.v1, produced by targeting resolving a real
PostApproved: scheduling makes one share per member, translation fills every
language the audience reads."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from chorus.scheduling.v1 import scheduling_events_pb2 as scheduling_events
from chorus.targeting.v1 import targeting_events_pb2 as targeting_events
from chorus_testing.identity import everything
from scheduling_service.domain.shares import ShareStatus, share_id_for

if TYPE_CHECKING:
    from tests.contract.conftest import Platform
    from tests.contract.events.conftest import Campaign


@pytest.mark.contract("chorus.targeting.v1.AudienceBatchResolved", "scheduling")
@pytest.mark.contract("chorus.scheduling.v1.ShareScheduled")
async def test_every_audience_member_gets_a_share_auto_sharers_a_scheduled_one(
    campaign: Campaign, platform: Platform
) -> None:
    tenant = campaign.tenant
    post_id = await campaign.approve()
    batches = await campaign.resolve(post_id)
    members = {m.employee_id: m for b in batches for m in b.event.members}
    audience = ("ana", "ben", "carla", "dan")  # opted in, active, in this region
    assert set(members) == {campaign.employee(p) for p in audience}

    await campaign.plan(post_id)
    scheduling = await platform.scheduling()
    shares = {
        person: await scheduling.use_cases.get_share(
            everything(tenant),
            tenant,
            share_id_for(tenant, post_id, campaign.employee(person), "bluesky"),
        )
        for person in audience
    }
    assert {p: s.status for p, s in shares.items()} == {
        "ana": ShareStatus.SCHEDULED,
        "ben": ShareStatus.SCHEDULED,
        "carla": ShareStatus.SUGGESTED,
        "dan": ShareStatus.SUGGESTED,
    }
    ana = members[campaign.employee("ana")]
    assert (
        (shares["ana"].language, shares["ana"].country, shares["ana"].timezone)
        == (
            ana.language,
            ana.country,
            ana.timezone,
        )
        == ("es", "ES", "Europe/Madrid")
    )
    announced = await platform.events(scheduling, scheduling_events.ShareScheduled)
    assert {a.event.employee_id for a in announced} == {
        campaign.employee("ana"),
        campaign.employee("ben"),
    }


@pytest.mark.infra  # Apertium and Redis (translation's cache)
@pytest.mark.contract("chorus.targeting.v1.AudienceSummary", "translation")
async def test_the_summary_has_every_language_of_the_audience_translated(
    campaign: Campaign, platform: Platform
) -> None:
    post_id = await campaign.approve()
    await campaign.resolve(post_id)
    [summary] = await platform.events(
        await platform.targeting(), targeting_events.AudienceSummary, campaign.of(post_id)
    )
    assert dict(summary.event.by_language) == {"en": 2, "es": 2}

    texts = await campaign.translate(post_id)
    by_language = {t.event.language: t.event for t in texts}
    assert sorted(by_language) == ["en", "es"]
    assert {t.post_version for t in by_language.values()} == {1}
    assert by_language["en"].provider == "source"
    assert by_language["es"].provider == "apertium"
    assert by_language["es"].body != campaign.BODY
    assert set(by_language["es"].network_texts) == {"bluesky"}

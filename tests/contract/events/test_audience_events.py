"""chorus.targeting.audience.v1, produced by targeting resolving a real
PostApproved: scheduling makes one share per member, translation fills every
language the audience reads."""

from __future__ import annotations

from datetime import UTC, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest
from chorus.scheduling.v1 import scheduling_events_pb2 as scheduling_events
from chorus.targeting.v1 import targeting_events_pb2 as targeting_events
from chorus_core.clock import utcnow
from chorus_core.prototime import optional_timestamp
from chorus_testing.identity import everything
from scheduling_service.domain.shares import Planning, Share, ShareStatus, share_id_for
from scheduling_service.domain.slots import WorkingDays

if TYPE_CHECKING:
    from tests.contract.conftest import Platform
    from tests.contract.events.conftest import Campaign

# The directory export's columns, as the campaign fixture imports them.
COLUMNS = (
    "external_id,email,display_name,country,language,timezone,department,status,"
    "opted_in,auto_share,home_region"
)


@pytest.mark.contract("chorus.targeting.v1.AudienceBatchResolved", "scheduling")
@pytest.mark.contract("chorus.scheduling.v1.SharesScheduled")
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
    (announced,) = await platform.events(scheduling, scheduling_events.SharesScheduled)
    assert announced.event.post_id == post_id
    assert {s.employee_id: s.share_id for s in announced.event.shares} == {
        campaign.employee(p): shares[p].share_id for p in ("ana", "ben")
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


@pytest.mark.contract("chorus.targeting.v1.AudienceBatchResolved", "scheduling")
async def test_the_posts_window_and_sharing_preferences_reach_the_planner(
    campaign: Campaign, platform: Platform
) -> None:
    """Targeting's real batch carries the post's window and each member's
    sharing hours, daily cap, home region and subdivision; scheduling's real consumer
    stores them and plans the auto-sharers inside them."""
    tenant = campaign.tenant
    # The same people, now with the directory's optional preference columns.
    columns = f"{COLUMNS},sharing_hours,max_shares_per_day,subdivision"
    rows = [
        "ana,ana@example.com,Ana,ES,es,Europe/Madrid,Sales,active,true,true,eu-west,"
        + "09:00-17:00,2,ES-MD",
        "ben,ben@example.com,Ben,GB,en,Europe/London,Sales,active,true,true,eu-west,,,",
    ]
    targeting = await platform.targeting()
    imported = await targeting.directory.import_directory(
        everything(tenant), tenant, "", ("\n".join([columns, *rows]) + "\n").encode()
    )
    assert not imported.errors, imported.errors
    opens = (utcnow() + timedelta(days=3)).replace(microsecond=0)
    closes = opens + timedelta(days=14)
    post_id = await campaign.approve(expires_at=closes, valid_from=optional_timestamp(opens))
    batches = await campaign.resolve(post_id)
    assert {b.event.valid_from.ToDatetime(tzinfo=UTC) for b in batches} == {opens}
    assert {b.event.expires_at.ToDatetime(tzinfo=UTC) for b in batches} == {closes}
    members = {m.employee_id: m for b in batches for m in b.event.members}
    ana, ben = members[campaign.employee("ana")], members[campaign.employee("ben")]
    assert (ana.sharing_hours, ana.max_shares_per_day, ana.home_region, ana.subdivision) == (
        "09:00-17:00",
        2,
        "eu-west",
        "MD",
    )
    # any time, no limit, the country's holidays only
    assert (ben.sharing_hours, ben.max_shares_per_day, ben.subdivision) == ("", 0, "")

    await campaign.plan(post_id)
    scheduling = await platform.scheduling()

    async def share(person: str) -> Share:
        return await scheduling.use_cases.get_share(
            everything(tenant),
            tenant,
            share_id_for(tenant, post_id, campaign.employee(person), "bluesky"),
        )

    planned = await share("ana")
    assert planned.planning == Planning(opens, closes, "09:00-17:00", 2, "eu-west", "MD")
    assert planned.status is ShareStatus.SCHEDULED and planned.due_at is not None
    assert opens <= planned.due_at < closes
    local = planned.due_at.astimezone(ZoneInfo("Europe/Madrid"))
    assert time(9) <= local.time() < time(17)
    assert WorkingDays().is_working(local.date(), "ES", "MD")
    other = await share("ben")
    assert other.planning == Planning(opens, closes, "", 0, "eu-west")
    assert other.due_at is not None and opens <= other.due_at < closes

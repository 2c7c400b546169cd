"""A regional campaign from pilot to full audience, end to end: the seven
services as real processes on real Kafka, PostgreSQL, Redis and the Bluesky
PDS, driven through their RPCs as a comms manager, a reviewer and each
employee would.

The campaign runs on a mandatory channel of this deployment's region with a
pilot segment (the engineers). Its post, approved while the campaign is a
draft, reaches nobody; the pilot serves the engineers only; their shares are
counted by metrics and compared with the campaign's targets
(GetCampaignGoals: shares measured, reach not measured, never zero); widening
serves everyone else in the region, and nobody gets the post twice: one
share and one Bluesky post per person. The editorial calendar shows the
post on the campaign's channel with the shares scheduling handed over."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from chorus.content.v1 import content_service_pb2 as content_pb
from chorus.scheduling.v1 import scheduling_service_pb2 as scheduling_pb
from chorus.targeting.v1 import targeting_service_pb2 as targeting_pb
from chorus_cli.bluesky import PdsClient
from chorus_cli.collect import all_employees, all_published, all_shares, wait_for
from chorus_cli.report import SilentReporter
from chorus_cli.stack import Stack
from chorus_core.prototime import to_timestamp
from chorus_core.settings import DEFAULT_REGION
from chorus_testing.infra import required_env

from tests.e2e.test_channel_segment_campaign import Person, Team, connect_accounts, directory_csv

pytestmark = pytest.mark.infra

BODY = "Our Seville plant is hiring: come and build clean energy with us #Careers"
PILOT = {"eng-1", "eng-2"}
EVERYONE_ELSE = {"sales-1", "sales-2", "sales-3"}
PEOPLE = [
    *(Person(key) for key in sorted(PILOT)),
    *(Person(key, department="Sales") for key in sorted(EVERYONE_ELSE)),
    Person("elsewhere", here=False),  # another region's employee: never served here
    Person("not-opted-in", opted_in=False),
]


@dataclass
class Run:
    tenant_id: str
    post_id: str
    campaign_id: str
    ids: dict[str, str]
    held_shares: int  # shares while the campaign was a draft
    pilot_shares: list[scheduling_pb.Share]
    goals: content_pb.GetCampaignGoalsResponse
    shares: list[scheduling_pb.Share]
    published_keys: list[str]
    calendar: content_pb.GetCalendarResponse
    ical: str
    region: str
    channel_id: str
    posts: dict[str, list[dict]] = field(default_factory=dict)  # person key -> PDS records


@pytest.fixture(scope="module")
async def stack(
    tmp_path_factory: pytest.TempPathFactory,
    start_stack: Callable[[Path, int], AbstractAsyncContextManager[Stack]],
) -> AsyncIterator[Stack]:
    async with start_stack(tmp_path_factory.mktemp("pilot") / "var", 600) as running:
        yield running


async def share_now(
    team: Team, tenant: str, post_id: str, shares: list[scheduling_pb.Share]
) -> None:
    """Each employee with a suggestion shares it now, as themself."""
    for share in shares:
        if share.status == scheduling_pb.SHARE_STATUS_SUGGESTED:
            with team.employees.acting(share.employee_id):
                await team.employee.scheduling.ScheduleShare(
                    scheduling_pb.ScheduleShareRequest(
                        request_id=f"{share.share_id}-now",
                        tenant_id=tenant,
                        post_id=post_id,
                        employee_id=share.employee_id,
                        mode=scheduling_pb.SHARE_MODE_NOW,
                    )
                )


@pytest.fixture(scope="module")
async def run(stack: Stack) -> AsyncIterator[Run]:
    tenant = f"pilot-{uuid.uuid4().hex[:8]}"
    team = Team.of(stack, tenant)
    report = SilentReporter()
    region = os.environ.get("CHORUS_REGION", DEFAULT_REGION)  # the stack's
    imported = await team.admin.targeting.ImportDirectory(
        targeting_pb.ImportDirectoryRequest(
            request_id=f"{tenant}-import", tenant_id=tenant, csv=directory_csv(PEOPLE, region)
        )
    )
    assert (imported.created, list(imported.errors)) == (len(PEOPLE), [])
    ids = {e.external_id: e.employee_id for e in (await all_employees(team.admin, tenant)).values()}

    careers = await team.comms.targeting.CreateChannel(
        targeting_pb.CreateChannelRequest(
            request_id=f"{tenant}-careers",
            tenant_id=tenant,
            name="Careers",
            regions=[region],
            mandatory=True,  # everyone of the region follows it
        )
    )
    engineers = await team.comms.targeting.SaveSegment(
        targeting_pb.SaveSegmentRequest(
            request_id=f"{tenant}-engineers",
            tenant_id=tenant,
            name="Pilot: engineers",
            rule='department = "Engineering"',
        )
    )
    now = datetime.now(UTC)
    campaign = await team.comms.content.CreateCampaign(
        content_pb.CreateCampaignRequest(
            request_id=f"{tenant}-campaign",
            tenant_id=tenant,
            name="Seville hiring",
            objective=content_pb.CAMPAIGN_OBJECTIVE_RECRUITMENT,
            starts_at=to_timestamp(now - timedelta(days=1)),
            ends_at=to_timestamp(now + timedelta(days=30)),
            regions=[region],
            channel_ids=[careers.channel_id],
            pilot_segment_id=engineers.segment_id,
            targets=[
                content_pb.KpiTarget(kpi=content_pb.KPI_SHARES, target=len(PILOT)),
                content_pb.KpiTarget(kpi=content_pb.KPI_ACTIVE_AMBASSADORS, target=10),
                content_pb.KpiTarget(kpi=content_pb.KPI_REACH, target=1000),
            ],
        )
    )
    pds = PdsClient(required_env("CHORUS_BLUESKY_PDS_URL"))
    accounts = await connect_accounts(team, pds, tenant, ids)

    post = (
        await team.comms.content.CreatePost(
            content_pb.CreatePostRequest(
                request_id=f"{tenant}-post",
                tenant_id=tenant,
                title="Engineers wanted in Seville",
                body=BODY,
                link="https://www.example.com/careers/seville",
                source_language="en",
                network_texts={"bluesky": BODY},
                campaign_id=campaign.campaign_id,
            )
        )
    ).post
    await team.comms.content.SubmitPost(
        content_pb.SubmitPostRequest(
            request_id=f"{tenant}-submit", tenant_id=tenant, post_id=post.post_id
        )
    )
    await team.reviewer.content.ApprovePost(
        content_pb.ApprovePostRequest(
            request_id=f"{tenant}-approve", tenant_id=tenant, post_id=post.post_id
        )
    )
    # Approved in a draft campaign: held. Time for a wrong audience to show.
    await asyncio.sleep(8)
    held_shares = len(await all_shares(team.comms, tenant, post.post_id))

    action = content_pb.CampaignActionRequest(tenant_id=tenant, campaign_id=campaign.campaign_id)
    await team.comms.content.StartPilot(action)

    async def shares_count() -> int:
        return len(await all_shares(team.comms, tenant, post.post_id))

    async def published_count() -> int:
        return len(await all_published(team.comms, tenant, post.post_id))

    await wait_for("pilot shares", len(PILOT), shares_count, report)
    await asyncio.sleep(3)  # a share outside the pilot would have arrived with these
    pilot_shares = await all_shares(team.comms, tenant, post.post_id)
    await share_now(team, tenant, post.post_id, pilot_shares)
    await wait_for("pilot posts", len(PILOT), published_count, report)

    goals_request = content_pb.GetCampaignGoalsRequest(
        tenant_id=tenant, campaign_id=campaign.campaign_id
    )

    async def shares_measured() -> int:
        goals = await team.comms.content.GetCampaignGoals(goals_request)
        return int(next(line.actual for line in goals.lines if line.kpi == content_pb.KPI_SHARES))

    await wait_for("pilot shares counted by metrics", len(PILOT), shares_measured, report)
    goals = await team.comms.content.GetCampaignGoals(goals_request)

    await team.comms.content.WidenCampaign(action)
    served = len(PILOT) + len(EVERYONE_ELSE)
    await wait_for("shares of the full audience", served, shares_count, report)
    await share_now(team, tenant, post.post_id, await all_shares(team.comms, tenant, post.post_id))
    await wait_for("posts of the full audience", served, published_count, report)
    await asyncio.sleep(5)  # time for a second share or post, if there were one

    # The calendar around today (UTC days): yesterday's start to tomorrow.
    period = content_pb.CalendarRequest(
        tenant_id=tenant,
        since_day=(now - timedelta(days=1)).date().isoformat(),
        until_day=(datetime.now(UTC) + timedelta(days=1)).date().isoformat(),
        region=region,
    )
    calendar = await team.comms.content.GetCalendar(period)
    exported = await team.comms.content.ExportCalendar(period)

    by_id = {e: k for k, e in ids.items()}
    result = Run(
        tenant_id=tenant,
        post_id=post.post_id,
        campaign_id=campaign.campaign_id,
        ids=ids,
        held_shares=held_shares,
        pilot_shares=pilot_shares,
        goals=goals,
        shares=await all_shares(team.comms, tenant, post.post_id),
        published_keys=sorted(
            by_id[r.employee_id] for r in await all_published(team.comms, tenant, post.post_id)
        ),
        calendar=calendar,
        ical=exported.ical,
        region=region,
        channel_id=careers.channel_id,
    )
    for key, account in accounts.items():
        result.posts[key] = await pds.posts(account.did)
    await pds.close()
    yield result
    await team.close()


def keys(run: Run, shares: list[scheduling_pb.Share]) -> list[str]:
    by_id = {e: k for k, e in run.ids.items()}
    return sorted(by_id[s.employee_id] for s in shares)


async def test_a_post_of_a_draft_campaign_reaches_nobody(run: Run) -> None:
    assert run.held_shares == 0


async def test_the_pilot_serves_the_pilot_segment_only(run: Run) -> None:
    assert keys(run, run.pilot_shares) == sorted(PILOT)


async def test_goals_compare_the_pilot_with_its_targets(run: Run) -> None:
    lines = {line.kpi: line for line in run.goals.lines}
    shares = lines[content_pb.KPI_SHARES]
    assert (shares.measured, shares.actual, shares.status) == (
        True,
        len(PILOT),
        content_pb.GOAL_STATUS_MET,
    )
    ambassadors = lines[content_pb.KPI_ACTIVE_AMBASSADORS]
    assert (ambassadors.measured, ambassadors.actual, ambassadors.status) == (
        True,
        len(PILOT),
        content_pb.GOAL_STATUS_BEHIND,
    )
    reach = lines[content_pb.KPI_REACH]
    assert (reach.measured, reach.status) == (False, content_pb.GOAL_STATUS_NOT_MEASURED)
    assert reach.note
    assert run.goals.measured_region == os.environ.get("CHORUS_REGION", DEFAULT_REGION)


async def test_widening_serves_everyone_else_and_nobody_twice(run: Run) -> None:
    everyone = sorted(PILOT | EVERYONE_ELSE)
    assert keys(run, run.shares) == everyone  # one share each
    assert run.published_keys == everyone
    for key in everyone:
        assert len(run.posts[key]) == 1, f"{key} has {len(run.posts[key])} posts"
        assert run.posts[key][0]["value"]["text"].startswith(BODY)
    for key in set(run.posts) - set(everyone):
        assert run.posts[key] == [], f"{key} was served outside the campaign"
    # The pilot's shares are the same shares after widening, not new ones.
    pilot_ids = {s.share_id for s in run.pilot_shares}
    assert pilot_ids <= {s.share_id for s in run.shares}


async def test_the_calendar_shows_the_campaigns_shares_on_its_channel(run: Run) -> None:
    """Every share went out "now": on the campaign's channel and region, the
    post's published entries add up to one share per person, the volume read
    from scheduling (not_available empty: never a guessed zero)."""
    assert list(run.calendar.not_available) == []
    mine = [e for e in run.calendar.entries if e.post_id == run.post_id]
    assert mine, "the campaign's post is not in the calendar"
    assert {(e.region, e.channel_id, e.campaign_id) for e in mine} == {
        (run.region, run.channel_id, run.campaign_id)
    }
    published = [e for e in mine if e.status == content_pb.CALENDAR_ENTRY_STATUS_PUBLISHED]
    assert sum(e.shares for e in published) == len(PILOT | EVERYONE_ELSE)
    assert all(e.HasField("shares") for e in mine)
    assert not [e for e in mine if e.status == content_pb.CALENDAR_ENTRY_STATUS_SCHEDULED]
    # The export: one VEVENT per entry, in a calendar a client can import.
    assert run.ical.startswith("BEGIN:VCALENDAR\r\n") and run.ical.endswith("END:VCALENDAR\r\n")
    assert run.ical.count("BEGIN:VEVENT") == len(run.calendar.entries)
    assert "Engineers wanted in Seville" in run.ical.replace("\r\n ", "")

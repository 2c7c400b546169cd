"""A campaign targeted at one channel plus a saved segment, end to end: the
seven services as real processes on real Kafka, PostgreSQL, Redis and the
Bluesky PDS. Channels, subscriptions, the segment, SCIM provisioning and
consent are set through the services' own RPCs and SCIM endpoint; the post
names the segment and the channel by id (content → PostApproved →
targeting).

Exactly the employees who match everything — subscribed to the channel,
living in this deployment's region, in the segment, opted in, consenting,
active — get a share and one post on the Bluesky server; each person who
misses one condition (only the channel, only the segment, another channel,
not opted in, inactive, another region, no consent; a SCIM employee who never
recorded consent) gets neither. The auto-sharer's share is planned in a good
slot (a Spanish working day) and they move it to now; the others share now."""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import holidays
import httpx
import pytest
from chorus.content.v1 import content_service_pb2 as content_pb
from chorus.publishing.v1 import publishing_service_pb2 as publishing_pb
from chorus.scheduling.v1 import scheduling_service_pb2 as scheduling_pb
from chorus.targeting.v1 import targeting_service_pb2 as targeting_pb
from chorus_cli.bluesky import Account, PdsClient
from chorus_cli.clients import Clients
from chorus_cli.collect import all_employees, all_published, all_shares, bounded, wait_for
from chorus_cli.demo_people import Ambassadors
from chorus_cli.report import SilentReporter
from chorus_cli.stack import Stack
from chorus_identity.principal import ANY, Grant, Role, user
from chorus_testing.infra import required_env

pytestmark = pytest.mark.infra

HEADER = (
    "external_id,email,display_name,country,language,timezone,department,status,"
    "opted_in,auto_share,home_region,consent"
)
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
USER = "urn:ietf:params:scim:schemas:core:2.0:User"
BODY = "We are hiring engineers in Seville: come and build clean energy with us #Careers"


@dataclass(frozen=True)
class Person:
    """One employee and what they have of the post's conditions."""

    key: str
    department: str = "Engineering"  # the segment: department = "Engineering"
    channel: str = "careers"  # careers (the post's), news, or "" (none)
    opted_in: bool = True
    consent: bool = True
    active: bool = True
    here: bool = True  # home region = this deployment's
    auto_share: bool = False
    scim: bool = False  # provisioned through SCIM instead of the HR export


PEOPLE = [
    Person("match-1"),
    Person("match-2", auto_share=True),
    Person("match-3"),
    Person("channel-only", department="Sales"),
    Person("segment-only", channel=""),
    Person("other-channel", channel="news"),
    Person("not-opted-in", opted_in=False),
    Person("no-consent", consent=False),
    Person("inactive", active=False),
    Person("other-region", here=False),
    Person("scim-consented", scim=True),
    Person("scim-silent", scim=True, opted_in=False, consent=False),
]
MATCHING = {"match-1", "match-2", "match-3", "scim-consented"}


@dataclass
class Campaign:
    tenant_id: str
    post_id: str
    ids: dict[str, str]  # person key -> employee id
    shares: list[scheduling_pb.Share]
    published: list[publishing_pb.PublishRecord]
    posts: dict[str, list[dict]] = field(default_factory=dict)  # person key -> PDS records


@pytest.fixture(scope="module")
async def stack(
    tmp_path_factory: pytest.TempPathFactory,
    start_stack: Callable[[Path, int], AbstractAsyncContextManager[Stack]],
) -> AsyncIterator[Stack]:
    async with start_stack(tmp_path_factory.mktemp("channels") / "var", 400) as running:
        yield running


async def provision_by_scim(
    stack: Stack, clients: Clients, tenant: str, people: list[Person]
) -> dict[str, str]:
    token = (
        await clients.targeting.IssueScimToken(targeting_pb.IssueScimTokenRequest(tenant_id=tenant))
    ).token
    ids: dict[str, str] = {}
    async with httpx.AsyncClient(
        base_url=stack.scim_url,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/scim+json"},
        timeout=30.0,
    ) as http:
        for person in people:
            created = await http.post(
                "/Users",
                json={
                    "schemas": [USER, ENTERPRISE],
                    "userName": person.key,
                    "externalId": person.key,
                    "emails": [{"value": f"{person.key}@acme.example", "primary": True}],
                    "preferredLanguage": "en",
                    "timezone": "Europe/Madrid",
                    "addresses": [{"country": "ES", "primary": True}],
                    ENTERPRISE: {"department": person.department},
                },
            )
            assert created.status_code == 201, created.text
            ids[person.key] = created.json()["id"]
    return ids


def directory_csv(people: list[Person], region: str) -> bytes:
    rows = [HEADER]
    for p in people:
        rows.append(
            ",".join(
                (
                    p.key,
                    f"{p.key}@acme.example",
                    p.key.replace("-", " ").title(),
                    "ES",
                    "en",
                    "Europe/Madrid",
                    p.department,
                    "active" if p.active else "inactive",
                    str(p.opted_in).lower(),
                    str(p.auto_share).lower(),
                    region if p.here else "us-east",
                    str(p.consent).lower(),
                )
            )
        )
    return ("\n".join(rows) + "\n").encode()


async def connect_accounts(
    team: Team, pds: PdsClient, tenant: str, ids: dict[str, str]
) -> dict[str, Account]:
    """Everyone connects a Bluesky account of their own, so a share that
    should not exist would show as a post on the server."""
    accounts: dict[str, Account] = {}

    def connect(key: str) -> Callable[[], Awaitable[None]]:
        async def job() -> None:
            short = hashlib.sha256(f"{tenant}:{ids[key]}".encode()).hexdigest()[:10]
            password = f"pw-{short}-{uuid.uuid4().hex[:6]}"
            account = await pds.create_account(f"c{short}.test", password)
            with team.employees.acting(ids[key]):
                await team.employee.publishing.ConnectAccount(
                    publishing_pb.ConnectAccountRequest(
                        request_id=f"{tenant}-{key}-bluesky",
                        tenant_id=tenant,
                        employee_id=ids[key],
                        network="bluesky",
                        handle=account.handle,
                        secret=password,
                    )
                )
            accounts[key] = account

        return job

    await bounded([connect(k) for k in ids], concurrency=4)
    return accounts


@dataclass
class Team:
    """Who acts in this tenant: its admin, a comms manager, a reviewer, and
    each employee as themself (tokens signed with the stack's gateway key)."""

    admin: Clients
    comms: Clients
    reviewer: Clients
    employees: Ambassadors
    employee: Clients  # acts as whoever employees.acting() names

    @classmethod
    def of(cls, stack: Stack, tenant: str) -> Team:
        employees = Ambassadors(stack.minter().key, tenant)
        return cls(
            admin=stack.clients_as(user("admin-1", tenant, Role.TENANT_ADMIN)),
            comms=stack.clients_as(
                user(
                    "comms-alice",
                    tenant,
                    Grant.of(Role.COMMS_MANAGER, regions=[ANY], channels=[ANY]),
                ),
            ),
            reviewer=stack.clients_as(
                user("comms-bob", tenant, Grant.of(Role.REVIEWER, steps=[ANY]))
            ),
            employees=employees,
            employee=Clients(env=stack.client_env(), credentials=employees),
        )

    async def close(self) -> None:
        for clients in (self.admin, self.comms, self.reviewer, self.employee):
            await clients.close()


@pytest.fixture(scope="module")
async def campaign(stack: Stack) -> AsyncIterator[Campaign]:
    tenant = f"channels-{uuid.uuid4().hex[:8]}"
    team = Team.of(stack, tenant)
    clients = team.admin
    report = SilentReporter()

    scim_people = [p for p in PEOPLE if p.scim]
    ids = await provision_by_scim(stack, clients, tenant, scim_people)
    # SCIM places people in the deployment's own region: the HR rows follow it.
    region = (
        await clients.targeting.GetEmployee(
            targeting_pb.GetEmployeeRequest(tenant_id=tenant, employee_id=ids["scim-consented"])
        )
    ).employee.home_region
    hr_people = [p for p in PEOPLE if not p.scim]
    imported = await clients.targeting.ImportDirectory(
        targeting_pb.ImportDirectoryRequest(
            request_id=f"{tenant}-import",
            tenant_id=tenant,
            csv=directory_csv(hr_people, region),
        )
    )
    assert (imported.created, list(imported.errors)) == (len(hr_people), [])
    # One directory: the SCIM Users and the imported rows, by external id.
    staff = {e.external_id: e.employee_id for e in (await all_employees(clients, tenant)).values()}
    assert staff == {**staff, **ids} and set(staff) == {p.key for p in PEOPLE}
    ids = staff

    # The SCIM employee records their own consent; the other one never does.
    with team.employees.acting(ids["scim-consented"]):
        recorded = await team.employee.targeting.RecordConsent(
            targeting_pb.RecordConsentRequest(
                request_id=f"{tenant}-consent",
                tenant_id=tenant,
                employee_id=ids["scim-consented"],
                opted_in=True,
                consent=True,
                source="app",
            )
        )
    assert recorded.opted_in and recorded.consent

    channels = {}
    for name in ("careers", "news"):
        channels[name] = await team.comms.targeting.CreateChannel(
            targeting_pb.CreateChannelRequest(
                request_id=f"{tenant}-{name}",
                tenant_id=tenant,
                name=name.title(),
                regions=[region],
            )
        )
    for person in PEOPLE:
        if person.channel:
            await clients.targeting.Subscribe(
                targeting_pb.SubscriptionRequest(
                    request_id=f"{tenant}-{person.key}-sub",
                    tenant_id=tenant,
                    channel_id=channels[person.channel].channel_id,
                    employee_id=ids[person.key],
                )
            )
    segment = await team.comms.targeting.SaveSegment(
        targeting_pb.SaveSegmentRequest(
            request_id=f"{tenant}-segment",
            tenant_id=tenant,
            name="Engineers",
            rule='department = "Engineering"',
        )
    )
    targeting = content_pb.Targeting(
        segment_id=segment.segment_id, channel_ids=[channels["careers"].channel_id]
    )
    preview = await team.comms.targeting.PreviewAudience(
        targeting_pb.PreviewAudienceRequest(
            tenant_id=tenant,
            segment_id=segment.segment_id,
            channel_ids=[channels["careers"].channel_id],
        )
    )
    assert preview.count == len(MATCHING)

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
                targeting=targeting,
                network_texts={"bluesky": BODY},
            )
        )
    ).post
    assert post.targeting == targeting  # as GetPost and PostApproved carry it
    await team.comms.content.SubmitPost(
        content_pb.SubmitPostRequest(
            request_id=f"{tenant}-submit", tenant_id=tenant, post_id=post.post_id
        )
    )
    approved_at = datetime.now(UTC).replace(microsecond=0)  # Timestamps keep whole seconds here
    await team.reviewer.content.ApprovePost(
        content_pb.ApprovePostRequest(
            request_id=f"{tenant}-approve", tenant_id=tenant, post_id=post.post_id
        )
    )

    async def shares_count() -> int:
        return len(await all_shares(team.comms, tenant, post.post_id))

    await wait_for("shares planned", len(MATCHING), shares_count, report)
    shares = await all_shares(team.comms, tenant, post.post_id)
    # The auto-sharer's share is planned in their next good slot: a working
    # day in Spain (the directory gives no sharing hours: any hour), not
    # before the approval: the best local hours' morning still ahead, else
    # now, and the timer may have fired it already (due) by the time it is read.
    [auto] = [s for s in shares if s.employee_id == ids["match-2"]]
    assert auto.auto_share and auto.status in (
        scheduling_pb.SHARE_STATUS_SCHEDULED,
        scheduling_pb.SHARE_STATUS_DUE,
    )
    assert auto.HasField("due_at")
    slot = auto.due_at.ToDatetime(tzinfo=UTC)
    day = slot.astimezone(ZoneInfo("Europe/Madrid")).date()
    assert slot >= approved_at
    assert day.weekday() < 5 and day not in holidays.country_holidays("ES", years=day.year)
    # The employee moves it to now (a no-op once due), as anyone may.
    with team.employees.acting(auto.employee_id):
        moved = await team.employee.scheduling.ScheduleShare(
            scheduling_pb.ScheduleShareRequest(
                request_id=f"{auto.share_id}-now",
                tenant_id=tenant,
                post_id=post.post_id,
                employee_id=auto.employee_id,
                mode=scheduling_pb.SHARE_MODE_NOW,
            )
        )
    assert moved.share.status in (
        scheduling_pb.SHARE_STATUS_SCHEDULED,
        scheduling_pb.SHARE_STATUS_DUE,
    )
    assert moved.share.due_at.ToDatetime(tzinfo=UTC) <= max(slot, datetime.now(UTC))
    for share in shares:
        if share.status == scheduling_pb.SHARE_STATUS_SUGGESTED:
            with team.employees.acting(share.employee_id):  # each chooses for themself
                await team.employee.scheduling.ScheduleShare(
                    scheduling_pb.ScheduleShareRequest(
                        request_id=f"{share.share_id}-now",
                        tenant_id=tenant,
                        post_id=post.post_id,
                        employee_id=share.employee_id,
                        mode=scheduling_pb.SHARE_MODE_NOW,
                    )
                )

    async def published_count() -> int:
        return len(await all_published(team.comms, tenant, post.post_id))

    await wait_for("posts published", len(MATCHING), published_count, report)
    # A moment more, so that a share or post that should not exist has had
    # the time to appear before it is looked for.
    await asyncio.sleep(5)
    result = Campaign(
        tenant_id=tenant,
        post_id=post.post_id,
        ids=ids,
        shares=await all_shares(team.comms, tenant, post.post_id),
        published=await all_published(team.comms, tenant, post.post_id),
    )
    for key, account in accounts.items():
        result.posts[key] = await pds.posts(account.did)
    await pds.close()
    yield result
    await team.close()


def keys_of(campaign: Campaign, employee_ids: list[str]) -> list[str]:
    by_id = {e: k for k, e in campaign.ids.items()}
    return sorted(by_id[e] for e in employee_ids)


async def test_exactly_the_matching_employees_get_a_share(campaign: Campaign) -> None:
    assert keys_of(campaign, [s.employee_id for s in campaign.shares]) == sorted(MATCHING)
    assert keys_of(campaign, [r.employee_id for r in campaign.published]) == sorted(MATCHING)


async def test_exactly_the_matching_employees_posted_once_on_bluesky(campaign: Campaign) -> None:
    for key in MATCHING:
        posts = campaign.posts[key]
        assert len(posts) == 1, f"{key} has {len(posts)} posts"
        assert posts[0]["value"]["text"].startswith(BODY)
    for key in set(campaign.posts) - MATCHING:
        assert campaign.posts[key] == [], f"{key} posted without matching the targeting"

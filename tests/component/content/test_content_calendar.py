"""The editorial calendar over content's real gRPC server (SQLite and
PostgreSQL), with scheduling's real gRPC server and store behind it (the
share volumes, GetShareVolume through content's GrpcShareVolumes with the
caller's forwarded token) and targeting's (a campaign's channels): planned
posts of a campaign, one on 14 July in eu-west (a French holiday), two
campaigns on one channel the same day, scheduled and published volumes,
volumes another deployment keeps and a scheduling that is down (never
zeros), tenant isolation, bad input naming its field, and the iCalendar
export read back by an independent parser."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import grpc
import icalendar
import pytest
from chorus.content.v1 import content_service_pb2 as pb
from chorus.content.v1 import content_service_pb2_grpc as pb_grpc
from chorus.targeting.v1 import targeting_service_pb2 as targeting_pb
from chorus.targeting.v1 import targeting_service_pb2_grpc as targeting_grpc
from chorus_core.prototime import to_timestamp
from chorus_db import Database, migrate
from chorus_grpc import GrpcServer, insecure_channel
from chorus_identity.principal import Principal
from chorus_messaging import Outbox
from chorus_testing.fixtures import DatabaseFactory
from chorus_testing.identity import IDENTITY, admin
from content_service import composition
from content_service.adapters.media_store import LocalDiskStore
from content_service.adapters.migrations import SCHEMA
from content_service.adapters.peers import VOLUME_BATCH, GrpcShareVolumes
from content_service.entrypoints import grpc_api
from scheduling_service.adapters.events import OutboxShareEvents
from scheduling_service.adapters.migrations import SCHEMA as SCHEDULING_SCHEMA
from scheduling_service.adapters.stores import SqlStores as SchedulingStores
from scheduling_service.adapters.waiting import SqlWaitingReader
from scheduling_service.app.insights import ShareInsights
from scheduling_service.app.use_cases import SchedulingUseCases
from scheduling_service.app.waiting import WaitingShares
from scheduling_service.domain.shares import Planning, Share, ShareStatus, share_id_for
from scheduling_service.entrypoints import grpc_api as scheduling_api
from targeting_service import composition as targeting_composition
from targeting_service.adapters.migrations import SCHEMA as TARGETING_SCHEMA
from targeting_service.entrypoints import grpc_api as targeting_api

from tests.component.content.principals import comms, employee, reviewer

TENANT, OTHER = "acme", "globex"
JULY = pb.CalendarRequest(since_day="2027-07-01", until_day="2027-07-31")
PLANNED = pb.CALENDAR_ENTRY_STATUS_PLANNED
SCHEDULED = pb.CALENDAR_ENTRY_STATUS_SCHEDULED
PUBLISHED = pb.CALENDAR_ENTRY_STATUS_PUBLISHED
# A long title with accents and characters iCalendar escapes: folding and
# escaping are exercised by what a real comms team writes.
LONG_TITLE = "Fête nationale : «portes ouvertes», usine; Lyon \\ " + "é" * 40


def at(day: int, hour: int = 9) -> datetime:
    return datetime(2027, 7, day, hour, tzinfo=UTC)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Stack:
    comms: pb_grpc.ContentServiceStub
    reviewer: pb_grpc.ContentServiceStub
    other: pb_grpc.ContentServiceStub  # a comms manager of another tenant
    employee: pb_grpc.ContentServiceStub
    blind: pb_grpc.ContentServiceStub  # the same content, with scheduling down
    scheduling_db: Database
    scheduling_addr: str
    careers: str  # channels of the tenant, made in targeting
    news: str

    async def campaign(
        self, name: str, start: int, end: int, channels: list[str], regions: list[str]
    ) -> pb.Campaign:
        return await self.comms.CreateCampaign(
            pb.CreateCampaignRequest(
                name=name,
                objective=pb.CAMPAIGN_OBJECTIVE_RECRUITMENT,
                starts_at=to_timestamp(at(start, 0)),
                ends_at=to_timestamp(at(end, 23)),
                regions=regions,
                channel_ids=channels,
            )
        )

    async def post(
        self,
        title: str,
        valid_from: datetime | None = None,
        campaign_id: str = "",
        approve: bool = False,
        stub: pb_grpc.ContentServiceStub | None = None,
        **fields: Any,
    ) -> pb.Post:
        writer = stub or self.comms
        request = pb.CreatePostRequest(
            title=title,
            body="Come and see",
            source_language="en",
            campaign_id=campaign_id,
            **fields,
        )
        if valid_from is not None:
            request.valid_from.CopyFrom(to_timestamp(valid_from))
        post = (await writer.CreatePost(request)).post
        if approve:
            await writer.SubmitPost(pb.SubmitPostRequest(post_id=post.post_id))
            post = (
                await self.reviewer.ApprovePost(pb.ApprovePostRequest(post_id=post.post_id))
            ).post
        return post

    async def shares(
        self,
        post_id: str,
        day: int,
        status: ShareStatus,
        count: int,
        tenant: str = TENANT,
        region: str = "eu-west",
    ) -> None:
        """`count` shares of the post due that day, in scheduling's own store."""
        async with self.scheduling_db.transaction() as transaction:
            for n in range(count):
                employee_id = f"e-{post_id[:8]}-{day}-{status.value}-{n}"
                await (
                    SchedulingStores()
                    .shares(transaction)
                    .add(
                        Share(
                            share_id=share_id_for(tenant, post_id, employee_id, "bluesky"),
                            tenant_id=tenant,
                            post_id=post_id,
                            post_version=1,
                            employee_id=employee_id,
                            network="bluesky",
                            language="fr",
                            country="FR",
                            timezone="Europe/Paris",
                            status=status,
                            auto_share=False,
                            due_at=at(day, 10 + n),
                            created_at=at(1, 0),
                            updated_at=at(1, 0),
                            planning=Planning(region=region),
                        ),
                        None,
                    )
                )


async def content_server(db: Database, tmp_path: Path, **build: Any) -> tuple[GrpcServer, Any]:
    content = composition.build(
        db, Outbox("chorus/content@test"), LocalDiskStore(tmp_path / "media"), **build
    )
    server = GrpcServer(0, [grpc_api.binding(content.services)], verifier=IDENTITY.verifier)
    await server.start()
    return server, content


@pytest.fixture
async def stack(any_database: DatabaseFactory, tmp_path: Path) -> AsyncIterator[Stack]:
    scheduling_db = Database(f"sqlite:///{tmp_path}/scheduling.sqlite")
    await migrate(scheduling_db, SCHEDULING_SCHEMA)
    outbox = Outbox("chorus/scheduling@test")
    use_cases = SchedulingUseCases(scheduling_db, SchedulingStores(), OutboxShareEvents(outbox))
    scheduling = GrpcServer(
        0,
        [
            scheduling_api.binding(
                use_cases,
                WaitingShares(SqlWaitingReader(scheduling_db)),
                ShareInsights(scheduling_db, SchedulingStores(), region="eu-west"),
            )
        ],
        verifier=IDENTITY.verifier,
    )
    await scheduling.start()

    targeting_db = Database(f"sqlite:///{tmp_path}/targeting.sqlite")
    await migrate(targeting_db, TARGETING_SCHEMA)
    directory = targeting_composition.build(targeting_db, "eu-west", Outbox("chorus/targeting@t"))
    targeting = GrpcServer(
        0, [targeting_api.binding(directory.use_cases)], verifier=IDENTITY.verifier
    )
    await targeting.start()

    db = await any_database()
    await migrate(db, SCHEMA)
    peers = {"targeting_addr": f"127.0.0.1:{targeting.port}"}
    served = await content_server(
        db, tmp_path, scheduling_addr=f"127.0.0.1:{scheduling.port}", **peers
    )
    down = await content_server(db, tmp_path, scheduling_addr=f"127.0.0.1:{closed_port()}", **peers)
    channels: list[grpc.aio.Channel] = []

    def stub(principal: Principal, port: int = served[0].port) -> pb_grpc.ContentServiceStub:
        made = insecure_channel(f"127.0.0.1:{port}", 30, IDENTITY.credentials(principal))
        channels.append(made)
        return pb_grpc.ContentServiceStub(made)

    made = insecure_channel(f"127.0.0.1:{targeting.port}", 30, IDENTITY.credentials(admin(TENANT)))
    channels.append(made)
    names = targeting_grpc.TargetingServiceStub(made)
    careers = await names.CreateChannel(
        targeting_pb.CreateChannelRequest(name="Careers", regions=["eu-west"])
    )
    news = await names.CreateChannel(
        targeting_pb.CreateChannelRequest(name="News", regions=["eu-west", "us-east"])
    )
    yield Stack(
        comms=stub(comms(TENANT)),
        reviewer=stub(reviewer(TENANT)),
        other=stub(comms(OTHER, "olga")),
        employee=stub(employee(TENANT)),
        blind=stub(comms(TENANT), down[0].port),
        scheduling_db=scheduling_db,
        scheduling_addr=f"127.0.0.1:{scheduling.port}",
        careers=careers.channel_id,
        news=news.channel_id,
    )
    for channel in channels:
        await channel.close()
    for server, content in (served, down):
        await server.stop(0)
        await content.close()
    await scheduling.stop(0)
    await targeting.stop(0)
    await scheduling_db.dispose()
    await targeting_db.dispose()


def in_order(*expected: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    """The calendar's own order: day, region, channel, post, then status
    (planned, scheduled, published: the wire enum's order too)."""
    return sorted(expected, key=lambda row: row[:5])


def rows(calendar: pb.GetCalendarResponse) -> list[tuple[Any, ...]]:
    """(day, region, channel, post, status, shares or None when unset)."""
    return [
        (
            e.day,
            e.region,
            e.channel_id,
            e.post_id,
            e.status,
            e.shares if e.HasField("shares") else None,
        )
        for e in calendar.entries
    ]


async def test_a_campaign_planned_on_a_holiday_and_two_campaigns_on_one_channel(
    stack: Stack,
) -> None:
    summer = await stack.campaign("Summer", 1, 31, [stack.careers], ["eu-west"])
    bastille = await stack.post(LONG_TITLE, at(14), summer.campaign_id)
    # Approved, but held: its campaign is still a draft.
    later = await stack.post("Meet the team", at(20), summer.campaign_id, approve=True)
    hiring = await stack.campaign("Hiring", 20, 31, [stack.careers], ["eu-west"])
    # No valid_from: planned on its campaign's first day.
    jobs = await stack.post("We are hiring", campaign_id=hiring.campaign_id)
    # Outside the period: not in July's calendar.
    await stack.post("In August", at(14) + timedelta(days=31), summer.campaign_id)

    calendar = await stack.comms.GetCalendar(JULY)
    careers = stack.careers
    assert rows(calendar) == in_order(
        ("2027-07-14", "eu-west", careers, bastille.post_id, PLANNED, 0),
        ("2027-07-20", "eu-west", careers, jobs.post_id, PLANNED, 0),
        ("2027-07-20", "eu-west", careers, later.post_id, PLANNED, 0),
    )
    assert {(e.post_id, e.campaign_id, e.title) for e in calendar.entries} == {
        (bastille.post_id, summer.campaign_id, LONG_TITLE),
        (later.post_id, summer.campaign_id, "Meet the team"),
        (jobs.post_id, hiring.campaign_id, "We are hiring"),
    }
    assert [
        (c.kind, c.day, c.region, c.channel_id, list(c.ids), c.detail) for c in calendar.conflicts
    ] == [
        (
            pb.CALENDAR_CONFLICT_KIND_CAMPAIGNS_SHARE_A_CHANNEL,
            "2027-07-20",
            "eu-west",
            careers,
            sorted([summer.campaign_id, hiring.campaign_id]),
            "",
        ),
        (
            pb.CALENDAR_CONFLICT_KIND_PLANNED_ON_A_HOLIDAY,
            "2027-07-14",
            "eu-west",
            careers,
            [bastille.post_id],
            "FR: Fête nationale",
        ),
    ]
    # Nothing here has shares to count: the volumes are all known.
    assert list(calendar.not_available) == [] and calendar.note == ""

    # A channel and a region narrow it; another region has none of it.
    only = await stack.comms.GetCalendar(
        pb.CalendarRequest(since_day="2027-07-14", until_day="2027-07-14", channel_id=careers)
    )
    assert [e.post_id for e in only.entries] == [bastille.post_id]
    assert len(only.conflicts) == 1
    elsewhere = await stack.comms.GetCalendar(
        pb.CalendarRequest(since_day="2027-07-01", until_day="2027-07-31", region="us-east")
    )
    assert list(elsewhere.entries) == [] and list(elsewhere.conflicts) == []
    news = await stack.comms.GetCalendar(
        pb.CalendarRequest(since_day="2027-07-01", until_day="2027-07-31", channel_id=stack.news)
    )
    assert list(news.entries) == []


async def test_scheduled_and_published_volumes_come_from_scheduling(stack: Stack) -> None:
    live = await stack.campaign("Open house", 5, 25, [stack.news], ["eu-west", "us-east"])
    post = await stack.post("Open house", at(6), live.campaign_id, approve=True)
    await stack.comms.WidenCampaign(pb.CampaignActionRequest(campaign_id=live.campaign_id))
    await stack.shares(post.post_id, 7, ShareStatus.DUE, 3)
    await stack.shares(post.post_id, 8, ShareStatus.SCHEDULED, 2)
    await stack.shares(post.post_id, 8, ShareStatus.DUE, 1)
    # Not counted: suggested and cancelled shares; another tenant's shares
    # of the same post id (scheduling scopes by the caller's tenant).
    await stack.shares(post.post_id, 9, ShareStatus.CANCELLED, 4)
    await stack.shares(post.post_id, 9, ShareStatus.SCHEDULED, 5, tenant=OTHER)
    # Outside any campaign: content's own region, its targeting's channel;
    # approved without a share yet: planned, and 0 is known.
    quiet = await stack.post(
        "Quiet news", at(12), approve=True, targeting=pb.Targeting(channel_ids=[stack.careers])
    )

    calendar = await stack.comms.GetCalendar(JULY)
    news, careers = stack.news, stack.careers
    assert rows(calendar) == in_order(
        ("2027-07-07", "eu-west", news, post.post_id, PUBLISHED, 3),
        ("2027-07-08", "eu-west", news, post.post_id, SCHEDULED, 2),
        ("2027-07-08", "eu-west", news, post.post_id, PUBLISHED, 1),
        ("2027-07-12", "eu-west", careers, quiet.post_id, PLANNED, 0),
        # us-east's shares are in us-east's deployment: unknown, not zero.
        ("2027-07-06", "us-east", news, post.post_id, PLANNED, None),
    )
    assert list(calendar.not_available) == ["us-east"]
    assert "share volumes of us-east are kept by that region's deployment" in calendar.note
    # Shares are not planned entries: no holiday conflict for them either way.
    assert list(calendar.conflicts) == []

    eu = await stack.comms.GetCalendar(
        pb.CalendarRequest(since_day="2027-07-08", until_day="2027-07-08", region="eu-west")
    )
    assert [(e.status, e.shares) for e in eu.entries] == [(SCHEDULED, 2), (PUBLISHED, 1)]
    assert list(eu.not_available) == []

    # Scheduling down: the posts are still there, the volumes are not (and
    # are not zeros), and the answer says why.
    blind = await stack.blind.GetCalendar(JULY)
    assert rows(blind) == in_order(
        ("2027-07-06", "eu-west", news, post.post_id, PLANNED, None),
        ("2027-07-12", "eu-west", careers, quiet.post_id, PLANNED, None),
        ("2027-07-06", "us-east", news, post.post_id, PLANNED, None),
    )
    assert list(blind.not_available) == ["eu-west", "us-east"]
    assert blind.note.startswith("share volumes are not available: scheduling:")


async def test_each_tenant_sees_its_own_calendar_only(stack: Stack) -> None:
    mine = await stack.post("Ours", at(10))
    theirs = await stack.post("Theirs", at(10), stub=stack.other)
    ours = await stack.comms.GetCalendar(JULY)
    assert [e.post_id for e in ours.entries] == [mine.post_id]
    other = await stack.other.GetCalendar(JULY)
    assert [e.post_id for e in other.entries] == [theirs.post_id]
    # Naming another tenant is refused outright; an employee has no calendar.
    for call in (
        stack.other.GetCalendar(pb.CalendarRequest(tenant_id=TENANT, **fields(JULY))),
        stack.other.ExportCalendar(pb.CalendarRequest(tenant_id=TENANT, **fields(JULY))),
        stack.employee.GetCalendar(JULY),
        stack.employee.ExportCalendar(JULY),
    ):
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await call
        assert refused.value.code() is grpc.StatusCode.PERMISSION_DENIED
        assert "Ours" not in str(refused.value.details())


async def test_share_volumes_of_many_posts_are_asked_in_batches(stack: Stack) -> None:
    """GetShareVolume takes at most 500 posts a call: content's adapter asks
    in batches and the answers add up (posts in the first and last batch)."""
    many = [f"post-{n:05d}" for n in range(2 * VOLUME_BATCH + 7)]
    await stack.shares(many[0], 7, ShareStatus.DUE, 2)
    await stack.shares(many[-1], 8, ShareStatus.SCHEDULED, 3)
    reader = GrpcShareVolumes(stack.scheduling_addr, IDENTITY.credentials(comms(TENANT)))
    try:
        answer = await reader.volumes(TENANT, many, at(1).date(), at(31).date(), "")
    finally:
        await reader.close()
    assert answer.region == "eu-west"
    assert [(d.post_id, d.day.day, d.scheduled, d.due) for d in answer.days] == [
        (many[0], 7, 0, 2),
        (many[-1], 8, 3, 0),
    ]


def fields(request: pb.CalendarRequest) -> dict[str, str]:
    return {"since_day": request.since_day, "until_day": request.until_day}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"since_day": ""}, "since_day"),
        ({"since_day": "2027-7-1"}, "since_day"),
        ({"since_day": "2027-02-29"}, "since_day"),
        ({"until_day": "31/07/2027"}, "until_day"),
        ({"until_day": "2027-06-30"}, "until_day"),  # before since_day
        ({"until_day": "2028-07-01"}, "until_day"),  # 367 days
        ({"region": "mars-north"}, "region"),
        ({"channel_id": "Careers"}, "channel_id"),  # a name, not targeting's id
    ],
)
async def test_bad_input_names_the_field(stack: Stack, changes: dict[str, str], field: str) -> None:
    request = pb.CalendarRequest(**{**fields(JULY), **changes})
    for call in (stack.comms.GetCalendar, stack.comms.ExportCalendar):
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await call(request)
        assert refused.value.code() is grpc.StatusCode.INVALID_ARGUMENT
        assert str(refused.value.details()).startswith(f"{field}:"), refused.value.details()


async def test_a_full_year_is_one_period(stack: Stack) -> None:
    await stack.post("New year", datetime(2028, 1, 1, tzinfo=UTC))
    year = await stack.comms.GetCalendar(
        pb.CalendarRequest(since_day="2027-01-02", until_day="2028-01-01")  # 365 days
    )
    assert [e.title for e in year.entries] == ["New year"]
    leap = await stack.comms.GetCalendar(
        pb.CalendarRequest(since_day="2028-01-01", until_day="2028-12-31")  # 366 days
    )
    assert [e.title for e in leap.entries] == ["New year"]


async def test_the_export_is_valid_icalendar(stack: Stack) -> None:
    summer = await stack.campaign("Summer", 1, 31, [stack.careers, stack.news], ["eu-west"])
    bastille = await stack.post(LONG_TITLE, at(14), summer.campaign_id, approve=True)
    await stack.comms.WidenCampaign(pb.CampaignActionRequest(campaign_id=summer.campaign_id))
    await stack.shares(bastille.post_id, 15, ShareStatus.SCHEDULED, 2)
    await stack.shares(bastille.post_id, 15, ShareStatus.DUE, 4)
    quiet = await stack.post("Quiet news", at(12))

    export = await stack.comms.ExportCalendar(JULY)
    assert export.file_name == "chorus-calendar-2027-07-01-2027-07-31.ics"
    assert list(export.not_available) == [] and export.note == ""
    raw = export.ical.encode()
    lines = raw.split(b"\r\n")
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")  # CRLF only
    assert all(len(line) <= 75 for line in lines)  # folded at 75 octets
    assert any(line.startswith(b" ") for line in lines)  # the long title was folded
    calendar = icalendar.Calendar.from_ical(export.ical)
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["X-WR-CALNAME"]) == "Chorus editorial calendar 2027-07-01 to 2027-07-31"
    events = calendar.walk("VEVENT")
    uids = [str(e["UID"]) for e in events]
    assert len(uids) == len(set(uids)) == 5  # one day with scheduled and published shares
    seen = sorted((e.decoded("DTSTART"), str(e["SUMMARY"]), str(e["DESCRIPTION"])) for e in events)
    day12, day15 = at(12).date(), at(15).date()
    careers, news = stack.careers, stack.news
    assert seen == sorted(
        [
            (day12, "[planned] Quiet news", "region eu-west; channel -; shares 0"),
            (day15, f"[scheduled] {LONG_TITLE}", f"region eu-west; channel {careers}; shares 2"),
            (day15, f"[published] {LONG_TITLE}", f"region eu-west; channel {careers}; shares 4"),
            (day15, f"[scheduled] {LONG_TITLE}", f"region eu-west; channel {news}; shares 2"),
            (day15, f"[published] {LONG_TITLE}", f"region eu-west; channel {news}; shares 4"),
        ]
    )
    assert all(e.decoded("DTEND") - e.decoded("DTSTART") == timedelta(days=1) for e in events)
    assert quiet.post_id in " ".join(uids)
    # Exported again: the same events (stable UIDs), so an import updates them.
    again = icalendar.Calendar.from_ical((await stack.comms.ExportCalendar(JULY)).ical)
    assert [str(e["UID"]) for e in again.walk("VEVENT")] == uids

    # With scheduling down, the export says so in the event and the answer.
    blind = await stack.blind.ExportCalendar(
        pb.CalendarRequest(since_day="2027-07-14", until_day="2027-07-14", region="eu-west")
    )
    assert blind.file_name == "chorus-calendar-2027-07-14-2027-07-14-eu-west.ics"
    assert list(blind.not_available) == ["eu-west"]
    unknown = icalendar.Calendar.from_ical(blind.ical).walk("VEVENT")
    assert [str(e["DESCRIPTION"]) for e in unknown] == [
        f"region eu-west; channel {c}; shares not available" for c in sorted([careers, news])
    ]

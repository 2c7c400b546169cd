"""The world of content's authorization matrix: content's real composition
(content_service.composition, as main.py builds it) on SQLite behind a real
GrpcServer that verifies tokens like production, tenant A's objects seeded
through the API by its own people, and stubs per principal.

Tenant A's objects carry SECRET in their texts and names, so a response
or a refusal to tenant B can be searched for any of it."""

from __future__ import annotations

import socket
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chorus.content.v1 import content_service_pb2 as pb
from chorus.content.v1 import content_service_pb2_grpc as pb_grpc
from chorus.translation.v1 import translation_events_pb2 as translation
from chorus_db import Database, migrate
from chorus_grpc import GrpcServer
from chorus_identity.principal import ANY, Grant, Principal, Role, service, user
from chorus_messaging import Outbox
from chorus_testing.events import event_context
from chorus_testing.identity import IDENTITY, everything
from content_service import composition
from content_service.adapters.media_store import LocalDiskStore
from content_service.adapters.migrations import SCHEMA
from content_service.entrypoints import grpc_api
from content_service.entrypoints.kafka_handlers import translation_handler
from google.protobuf.message import Message
from google.protobuf.timestamp_pb2 import Timestamp

from tests.authz.matrix import Callers

A, B = "tenant-a", "tenant-b"
SECRET = "ALPHA-SECRET"
# Targeting's segment ids, by form only (content does not resolve them).
FULL_SEGMENT, PILOT_SEGMENT = str(uuid.uuid4()), str(uuid.uuid4())
Stub = pb_grpc.ContentServiceStub
# A call ready to be made by whichever stub the test picks.
Prepared = Callable[[Stub], Awaitable[Any]]

ROLES: dict[str, Principal] = {
    "admin": user("admin-a", A, Role.TENANT_ADMIN),
    "comms": user("comms-a", A, Grant.of(Role.COMMS_MANAGER, channels=[ANY])),
    "reviewer": user("reviewer-a", A, Grant.of(Role.REVIEWER, steps=[ANY])),
    "moderator": user("moderator-a", A, Role.MODERATOR),
    "employee": user("employee-a", A, Role.EMPLOYEE, employee_id="emp-a"),
    "translation": service("translation"),
    "publishing": service("publishing"),
}
STAFF = frozenset({"admin", "comms", "reviewer", "moderator"})
OPS_A = everything(A, "ops-a")  # seeds tenant A (every role)
SEED_REVIEWER = user("seed-reviewer-a", A, Grant.of(Role.REVIEWER, steps=[ANY]))
SEED_EMPLOYEE = user("seed-employee-a", A, Role.EMPLOYEE, employee_id="seed-emp-a")
ATTACKER = everything(B, "ops-b", employee_id="emp-b")  # every role, in tenant B
ADMIN_A = ROLES["admin"]


def closed_port() -> int:
    """A local port nothing listens on: a feed there fails at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def pdf(marker: str = "") -> bytes:
    """A small PDF, different for each marker (media ids are content hashes)."""
    return b"%PDF-1.7\n" + (marker or uuid.uuid4().hex).encode() * 20


async def upload_parts(tenant: str, data: bytes, name: str) -> AsyncIterator[pb.UploadMediaRequest]:
    yield pb.UploadMediaRequest(
        header=pb.MediaHeader(tenant_id=tenant, filename=name, tags=["seed"], description=name)
    )
    yield pb.UploadMediaRequest(chunk=data)


async def download(stub: Stub, request: pb.DownloadMediaRequest) -> list[pb.DownloadMediaResponse]:
    return [part async for part in stub.DownloadMedia(request)]


@dataclass
class World:
    server: GrpcServer
    db: Database
    content: composition.Content
    callers: Callers
    feed_url: str
    _stubs: dict[Principal | None, Stub] = field(default_factory=dict)
    # Tenant A's seeded objects (ids), read back by snapshot().
    posts: list[str] = field(default_factory=list)
    media_id: str = ""
    feed_id: str = ""
    campaign_id: str = ""

    def stub(self, principal: Principal | None) -> Stub:
        if principal not in self._stubs:
            self._stubs[principal] = self.callers.stub(pb_grpc.ContentServiceStub, principal)
        return self._stubs[principal]

    @property
    def ops(self) -> Stub:
        return self.stub(OPS_A)

    async def draft(self, title: str = f"{SECRET} launch", **fields: Any) -> pb.Post:
        request = pb.CreatePostRequest(
            tenant_id=A, title=title, body=f"{SECRET} body", source_language="en", **fields
        )
        return (await self.ops.CreatePost(request)).post

    async def in_review(self, **fields: Any) -> pb.Post:
        post = await self.draft(**fields)
        return (await self.ops.SubmitPost(pb.SubmitPostRequest(post_id=post.post_id))).post

    async def approved(self) -> pb.Post:
        post = await self.in_review()
        reviewer = self.stub(SEED_REVIEWER)
        return (await reviewer.ApprovePost(pb.ApprovePostRequest(post_id=post.post_id))).post

    async def proposal(self) -> pb.Post:
        request = pb.ProposePostRequest(title=f"{SECRET} team", body=f"{SECRET} proud of us")
        return (await self.stub(SEED_EMPLOYEE).ProposePost(request)).proposal.post

    async def feed(self) -> str:
        request = pb.SubscribeFeedRequest(url=self.feed_url, campaign=SECRET)
        return (await self.ops.SubscribeFeed(request)).feed.feed_id

    async def media(self, data: bytes | None = None) -> str:
        upload = self.ops.UploadMedia(upload_parts(A, data or pdf(), f"{SECRET}.pdf"))
        return (await upload).asset.media_id

    async def campaign(self, **fields: Any) -> pb.Campaign:
        """A draft campaign of tenant A, with a pilot segment."""
        request = pb.CreateCampaignRequest(
            tenant_id=A,
            name=f"{SECRET} spring",
            objective=pb.CAMPAIGN_OBJECTIVE_RECRUITMENT,
            starts_at=Timestamp(seconds=1_900_000_000),
            ends_at=Timestamp(seconds=1_900_000_000 + 30 * 86_400),
            regions=["eu-west"],
            segment_id=FULL_SEGMENT,
            pilot_segment_id=PILOT_SEGMENT,
            targets=[pb.KpiTarget(kpi=pb.KPI_SHARES, target=100)],
            **fields,
        )
        return await self.ops.CreateCampaign(request)

    async def seed(self) -> None:
        """Tenant A: a charter, a two-step chain for job offers, the hosts its
        feeds may use, a draft, a post in review, an approved one, a UGC
        proposal, a feed, an asset and a translation held by the charter."""
        await self.ops.SetCharter(
            pb.SetCharterRequest(charter=pb.Charter(blocked_phrases=["zebra crossing"]))
        )
        chain = pb.ApprovalChain(kind=pb.POST_KIND_JOB_OFFER, steps=["comms", "legal"])
        await self.ops.SetApprovalChain(pb.SetApprovalChainRequest(chain=chain))
        await self.ops.SetFeedAllowedHosts(pb.SetFeedAllowedHostsRequest(hosts=["127.0.0.1"]))
        draft, review, approved = await self.draft(), await self.in_review(), await self.approved()
        proposal = await self.proposal()
        await self.ops.AddComment(pb.AddCommentRequest(post_id=review.post_id, text=SECRET))
        self.posts = [draft.post_id, review.post_id, approved.post_id, proposal.post_id]
        self.feed_id = await self.feed()
        self.media_id = await self.media(pdf(SECRET))
        self.campaign_id = (await self.campaign()).campaign_id
        held = translation.TranslationCompleted(
            tenant_id=A,
            post_id=approved.post_id,
            post_version=1,
            language="de",
            source_language="en",
            title=SECRET,
            body="Achtung zebra crossing",
            provider="test",
        )
        await translation_handler(self.content.translations)(held, event_context(self.db, held, A))

    async def snapshot(self) -> list[Message]:
        """Everything of tenant A's a caller could change, read as its admin."""
        a = self.stub(ADMIN_A)
        seen: list[Message] = []
        for post_id in self.posts:
            seen.append(await a.GetPost(pb.GetPostRequest(post_id=post_id)))
            seen.append(await a.ListPostVersions(pb.ListPostVersionsRequest(post_id=post_id)))
            seen.append(await a.ListComments(pb.ListCommentsRequest(post_id=post_id)))
        seen.append(await a.ListPosts(pb.ListPostsRequest(page_size=500)))
        seen.append(await a.GetAuditTrail(pb.GetAuditTrailRequest()))
        seen.append(await a.GetCharter(pb.GetCharterRequest()))
        seen.append(await a.GetApprovalChains(pb.GetApprovalChainsRequest()))
        seen.append(await a.ListFeeds(pb.ListFeedsRequest()))
        seen.append(await a.ListMedia(pb.ListMediaRequest(page_size=500)))
        seen.append(await a.ListHeldTranslations(pb.ListHeldTranslationsRequest()))
        seen.append(await a.ListModerationQueue(pb.ListModerationQueueRequest(page_size=500)))
        seen.append(await a.ListCampaigns(pb.ListCampaignsRequest(page_size=200)))
        return seen


def secrets_of(world: World) -> list[str]:
    """What tenant B must never see of tenant A's."""
    return [SECRET, world.media_id, world.feed_id, world.campaign_id, *world.posts]


async def build_world(tmp: Path, database: Database | None = None) -> World:
    db = database or Database(f"sqlite:///{tmp}/content-authz.sqlite")
    await migrate(db, SCHEMA)
    # The calendar's share volumes: nothing listens there, so the calendar
    # answers without them (as it does when scheduling is down) and no test
    # reaches a scheduling some other stack runs on the default port.
    content = composition.build(
        db,
        Outbox("chorus/content@test"),
        LocalDiskStore(tmp / "media"),
        scheduling_addr=f"127.0.0.1:{closed_port()}",
    )
    server = GrpcServer(0, [grpc_api.binding(content.services)], verifier=IDENTITY.verifier)
    await server.start()
    feed_url = f"http://127.0.0.1:{closed_port()}/feed.xml"
    world = World(server, db, content, Callers(server), feed_url)
    await world.seed()
    return world


async def close_world(world: World) -> None:
    await world.callers.close()
    await world.server.stop(0)
    await world.db.dispose()

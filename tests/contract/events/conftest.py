"""The golden path, one hop at a time: a comms person's post through content's
gRPC API, every later event read from its real producer's outbox and fed to
its real consumers (tests/contract/conftest.py's Platform). Each test walks
as far as the contract it proves needs."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from chorus.content.v1 import content_events_pb2 as content_events
from chorus.content.v1 import content_service_pb2 as content_pb
from chorus.content.v1 import content_service_pb2_grpc as content_grpc
from chorus.scheduling.v1 import scheduling_events_pb2 as scheduling_events
from chorus.targeting.v1 import targeting_events_pb2 as targeting_events
from chorus.translation.v1 import translation_events_pb2 as translation_events
from chorus_core.clock import utcnow
from chorus_core.prototime import optional_timestamp
from chorus_grpc import insecure_channel
from chorus_testing.contracts import Produced
from chorus_testing.identity import IDENTITY, everything
from publishing_service.app.accounts import ConnectRequest
from scheduling_service.domain.slots import HORIZON_DAYS
from targeting_service.domain.employees import employee_id_for

if TYPE_CHECKING:
    from tests.contract.conftest import Platform

LINK = "https://example.com/plant"
BODY = f"We opened our new plant in Valencia. Read more at {LINK} #chorus"
BLUESKY = f"Our new plant is open: {LINK}"
COLUMNS = (
    "external_id,email,display_name,country,language,timezone,department,status,"
    "opted_in,auto_share,home_region"
)
# (external id, country, language, timezone, department, opted in, auto-share, home region)
PEOPLE = (
    ("ana", "ES", "es", "Europe/Madrid", "Sales", "true", "true", "eu-west"),
    ("ben", "GB", "en", "Europe/London", "Sales", "true", "true", "eu-west"),
    ("carla", "ES", "es", "Europe/Madrid", "Sales", "true", "false", "eu-west"),
    ("dan", "GB", "en", "Europe/London", "Engineering", "true", "false", "eu-west"),
    ("eva", "ES", "es", "Europe/Madrid", "Sales", "false", "false", "eu-west"),
    ("finn", "GB", "en", "Europe/London", "Sales", "true", "true", "us-east"),
)
# Someone whose language the engine cannot write (Apertium has no English -> German).
GRETA = (("greta", "DE", "de", "Europe/Berlin", "Sales", "true", "true", "eu-west"),)


class Campaign:
    LINK, BODY, BLUESKY = LINK, BODY, BLUESKY  # what every post says, unless told otherwise
    GRETA = GRETA

    def __init__(self, platform: Platform) -> None:
        self.platform = platform
        self.tenant = platform.tenant

    def employee(self, external_id: str) -> str:
        return employee_id_for(self.tenant, external_id)

    async def directory(self, people: tuple[tuple[str, ...], ...] = PEOPLE) -> None:
        """The HR export: opted-in, active people of this region are the audience."""
        rows = [
            f"{x},{x}@example.com,{x.title()},{c},{lang},{tz},{dept},active,{opt},{auto},{home}"
            for x, c, lang, tz, dept, opt, auto, home in people
        ]
        targeting = await self.platform.targeting()
        text = "\n".join([COLUMNS, *rows]) + "\n"
        result = await targeting.directory.import_directory(
            everything(self.tenant), self.tenant, "", text.encode()
        )
        assert not result.errors, result.errors

    async def approve(
        self,
        targeting: content_pb.Targeting | None = None,
        expires_at: datetime | None = None,
        **fields: Any,
    ) -> str:
        """A post written, submitted and approved (four eyes) over content's gRPC API."""
        content = await self.platform.content()
        stub = content.stub
        values: dict[str, Any] = {
            "title": "New plant",
            "body": BODY,
            "link": LINK,
            "source_language": "en",
            "network_texts": {"bluesky": BLUESKY},
        }
        values.update(fields)
        request = content_pb.CreatePostRequest(
            tenant_id=self.tenant,
            targeting=targeting,
            expires_at=optional_timestamp(expires_at),
            **values,
        )
        post_id = (await stub.CreatePost(request)).post.post_id
        await stub.SubmitPost(content_pb.SubmitPostRequest(tenant_id=self.tenant, post_id=post_id))
        await content.reviewer.ApprovePost(
            content_pb.ApprovePostRequest(tenant_id=self.tenant, post_id=post_id)
        )
        return post_id

    async def propose(self, employee_id: str, title: str, body: str) -> content_pb.Proposal:
        """A UGC proposal by the employee themself (their own token names them)."""
        content = await self.platform.content()
        person = everything(self.tenant, f"sub-{employee_id}", employee_id=employee_id)
        channel = insecure_channel(content.address, 30, IDENTITY.credentials(person))
        request = content_pb.ProposePostRequest(
            tenant_id=self.tenant, employee_id=employee_id, title=title, body=body
        )
        try:
            return (await content_grpc.ContentServiceStub(channel).ProposePost(request)).proposal
        finally:
            await channel.close()

    async def connect_bluesky(self, external_id: str) -> str:
        """A fresh account on the local PDS, connected in publishing for the
        employee (as ConnectAccount does); returns its DID."""
        publishing = await self.platform.publishing()
        pds = self.platform.address("CHORUS_BLUESKY_PDS_URL")
        name = "c" + uuid.uuid4().hex[:12]
        handle, password = f"{name}.test", uuid.uuid4().hex
        async with httpx.AsyncClient(timeout=30) as client:
            response = await client.post(
                f"{pds}/xrpc/com.atproto.server.createAccount",
                json={"handle": handle, "email": f"{name}@example.com", "password": password},
            )
        assert response.status_code == 200, response.text
        employee = self.employee(external_id)
        await publishing.accounts.connect_account(
            everything(self.tenant, employee_id=employee),  # the employee themself
            ConnectRequest(self.tenant, employee, "bluesky", handle, password),
        )
        return str(response.json()["did"])

    @staticmethod
    def of(post_id: str) -> Callable[[Any], bool]:
        return lambda event: (
            getattr(event, "post_id", None) == post_id
            or (hasattr(event, "post") and event.post.post_id == post_id)
        )

    async def resolve(self, post_id: str) -> list[Produced]:
        """content's PostApproved -> targeting; returns the audience batches."""
        p = self.platform
        content, targeting = await p.content(), await p.targeting()
        await p.deliver(
            await p.events(content, content_events.PostApproved, self.of(post_id)), targeting
        )
        return await p.events(targeting, targeting_events.AudienceBatchResolved, self.of(post_id))

    async def plan(self, post_id: str) -> None:
        """targeting's audience batches -> scheduling (one share per member)."""
        p = self.platform
        batches = await p.events(
            await p.targeting(), targeting_events.AudienceBatchResolved, self.of(post_id)
        )
        await p.deliver(batches, await p.scheduling())

    async def translate(self, post_id: str) -> list[Produced]:
        """targeting's AudienceSummary -> translation; returns its translations."""
        p = self.platform
        translation = await p.translation()
        summary = await p.events(
            await p.targeting(), targeting_events.AudienceSummary, self.of(post_id)
        )
        await p.deliver(summary, translation)
        return await p.events(
            translation, translation_events.TranslationCompleted, self.of(post_id)
        )

    async def check(self, post_id: str) -> None:
        """Translations -> content (per-locale charter check) and scheduling;
        content's verdicts -> scheduling."""
        p = self.platform
        content, scheduling = await p.content(), await p.scheduling()
        texts = await p.events(
            await p.translation(), translation_events.TranslationCompleted, self.of(post_id)
        )
        await p.deliver(texts, content)
        await p.deliver(texts, scheduling)
        for verdict in (content_events.TranslationCleared, content_events.TranslationHeld):
            found = await p.events(content, verdict, self.of(post_id))
            if found:
                await p.deliver(found, scheduling)

    async def fire(self) -> list[Produced]:
        """The scheduling timer's tick after every slot the planner can give
        (auto-shares are in their next good slot: a weekend or holiday moves
        them on, the spread gives a small post one share a minute); every
        ShareDue written so far."""
        scheduling = await self.platform.scheduling()
        await scheduling.timer.tick(utcnow() + timedelta(days=HORIZON_DAYS + 1))
        return await self.platform.events(scheduling, scheduling_events.ShareDue)

    async def run(self, post_id: str) -> list[Produced]:
        """From approval to the shares due."""
        await self.resolve(post_id)
        await self.plan(post_id)
        await self.translate(post_id)
        await self.check(post_id)
        return await self.fire()


@pytest.fixture
async def campaign(platform: Platform) -> Campaign:
    found = Campaign(platform)
    await found.directory()
    return found

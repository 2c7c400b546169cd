"""Every gRPC call one service makes to another, through the caller's real
client adapter against the real server (the callee's grpc_api.binding on a
GrpcServer, its own database): what the caller relies on.

  * translation -> content: GetPostVersion, and GetPost when a version is
    missing (translation_service.adapters.content_client);
  * publishing -> metrics: CreateTrackedLinks (publishing_service.adapters.tracked_links);
  * scheduling -> content: CheckCompliance, with the employee's own token, for a
    text they edited (scheduling_service.adapters.content_client).
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

import pytest
from chorus.content.v1 import content_service_pb2 as pb
from chorus_core.errors import PermissionDenied
from chorus_core.ids import new_id
from chorus_testing.identity import IDENTITY, as_service, everything
from metrics_service.adapters import stores as metrics_stores
from opentelemetry.sdk.trace import TracerProvider
from publishing_service.adapters.tracked_links import GrpcTrackedLinks
from publishing_service.app.ports import LinkRejected, LinkRequest, TrackedLink
from scheduling_service.adapters.content_client import GrpcCharterCheck
from scheduling_service.domain.personal import CharterFinding
from translation_service.adapters.content_client import GrpcContentReader
from translation_service.app.ports import PostNotFound, VersionNotYet
from translation_service.domain.translations import PostTexts

if TYPE_CHECKING:
    from tests.contract.conftest import Platform

LINK = "https://example.com/plant?ref=newsroom"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"


async def test_translation_reads_the_texts_of_the_version_it_names(
    platform: Platform,
) -> None:
    content, tenant = await platform.content(), platform.tenant
    created = await content.stub.CreatePost(
        pb.CreatePostRequest(
            tenant_id=tenant,
            title="New plant",
            body=f"We opened our new plant. {LINK}",
            link=LINK,
            source_language="en",
            network_texts={"bluesky": f"Our plant is open {LINK}", "linkedin": "Big news"},
        )
    )
    post_id = created.post.post_id
    await content.stub.SubmitPost(pb.SubmitPostRequest(tenant_id=tenant, post_id=post_id))
    await content.reviewer.ApprovePost(pb.ApprovePostRequest(tenant_id=tenant, post_id=post_id))
    # Edited after approval: v2 goes back to review, v1 is still what goes out.
    await content.stub.UpdatePost(
        pb.UpdatePostRequest(
            tenant_id=tenant,
            post_id=post_id,
            content=pb.PostContent(
                title="Our new plant",
                body=f"We opened our new plant in Valencia. {LINK}",
                link=LINK,
                source_language="es",
                network_texts={"bluesky": f"Nuestra planta {LINK}"},
            ),
        )
    )
    reader = GrpcContentReader(
        content.address, IDENTITY.credentials(as_service("translation")), deadline_seconds=5.0
    )
    try:
        assert await reader.get_post(tenant, post_id, 1) == PostTexts(
            tenant_id=tenant,
            post_id=post_id,
            version=1,
            source_language="en",
            title="New plant",
            body=f"We opened our new plant. {LINK}",
            link=LINK,
            network_texts={"bluesky": f"Our plant is open {LINK}", "linkedin": "Big news"},
        )
        assert await reader.get_post(tenant, post_id, 2) == PostTexts(
            tenant_id=tenant,
            post_id=post_id,
            version=2,
            source_language="es",
            title="Our new plant",
            body=f"We opened our new plant in Valencia. {LINK}",
            link=LINK,
            network_texts={"bluesky": f"Nuestra planta {LINK}"},
        )
        # A version content has not seen yet: VersionNotYet (with content's
        # latest), which translation retries.
        with pytest.raises(VersionNotYet) as behind:
            await reader.get_post(tenant, post_id, 3)
        assert behind.value.latest == 2
        # Unknown here (or another tenant's): PostNotFound, which translation
        # turns into a permanent error instead of retrying forever.
        with pytest.raises(PostNotFound):
            await reader.get_post(tenant, new_id(), 1)
        with pytest.raises(PostNotFound):
            await reader.get_post(f"{tenant}-other", post_id, 1)
    finally:
        await reader.close()


async def test_publishing_gets_one_tracked_link_per_share_from_metrics(platform: Platform) -> None:
    metrics, tenant = await platform.metrics(), platform.tenant
    links = GrpcTrackedLinks(
        metrics.address, IDENTITY.credentials(as_service("publishing")), deadline_seconds=5.0
    )
    request = LinkRequest(
        tenant_id=tenant,
        share_id=new_id(),
        post_id=new_id(),
        employee_id=new_id(),
        country="GB",
        network="bluesky",
        target_url=LINK,
    )
    try:
        link = await links.create(request)
        assert link.short_url == f"http://go.chorus.test/l/{link.code}"
        # A redelivered ShareDue asks again: the same link, not a second one.
        assert await links.create(request) == link
        # The link leads where the share points, and clicks count for this share.
        redirect = await metrics.use_cases.follow_link(link.code, "GET", BROWSER)
        assert redirect.counted
        target = urlsplit(redirect.url)
        assert f"{target.scheme}://{target.netloc}{target.path}" == "https://example.com/plant"
        assert parse_qs(target.query)["ref"] == ["newsroom"]
        assert (
            redirect.link.share_id,
            redirect.link.post_id,
            redirect.link.employee_id,
            redirect.link.country,
            redirect.link.network,
        ) == (
            request.share_id,
            request.post_id,
            request.employee_id,
            request.country,
            request.network,
        )
        # Refusals publishing must not retry: another target for the same
        # share, and a target metrics will not redirect to.
        with pytest.raises(LinkRejected):
            await links.create(replace(request, target_url="https://example.com/other"))
        with pytest.raises(LinkRejected):
            await links.create(
                replace(request, share_id=new_id(), target_url="ftp://example.com/x")
            )
    finally:
        await links.close()


async def test_scheduling_asks_contents_charter_about_an_employees_text(
    platform: Platform,
) -> None:
    """With the employee's own token (main.py forwards the caller's): the
    violations of that text only, counted the network's way; content
    answers only for the employee's own tenant."""
    content, tenant = await platform.content(), platform.tenant
    await content.stub.SetCharter(
        pb.SetCharterRequest(
            tenant_id=tenant,
            charter=pb.Charter(
                blocked_terms=[
                    pb.BlockedTerm(
                        term="gratis", language="es", severity=pb.SEVERITY_BLOCK, suggestion="x"
                    )
                ],
                required_hashtags=["chorus"],
            ),
        )
    )
    employee = everything(tenant, "sub-emp-1", employee_id="emp-1")
    charter = GrpcCharterCheck(content.address, IDENTITY.credentials(employee))
    try:
        assert await charter.check_text(tenant, "bluesky", "es", "Nuestra planta #chorus") == []
        assert await charter.check_text(tenant, "bluesky", "es", "Todo gratis #chorus") == [
            CharterFinding("blocked-term.es", True, "blocked term 'gratis'", "x")
        ]
        # X weighs CJK double: 141 such characters and the tag are 290 of 280.
        [long] = await charter.check_text(tenant, "x", "ja", "工" * 141 + " #chorus")
        assert (long.rule_id, long.blocking) == ("max-length.x", True)
        # A warning (the required hashtag) is reported, not refused, and the
        # empty title and body of the request are not the text's business.
        [warned] = await charter.check_text(tenant, "bluesky", "en", "No tag here")
        assert (warned.rule_id, warned.blocking) == ("hashtags.required", False)
        with pytest.raises(PermissionDenied):
            await charter.check_text(f"{tenant}-other", "bluesky", "es", "Hola")
    finally:
        await charter.close()


async def test_shares_in_flight_get_their_links_each_stored_with_its_shares_trace(
    platform: Platform,
) -> None:
    """publishing's real client against metrics' real server: links asked for
    at once (they travel together in CreateTrackedLinks calls) each come back
    to their own share (a bad one as its own refusal), stored with the trace
    of the share that asked, not of the call that carried them."""
    metrics, tenant = await platform.metrics(), platform.tenant
    links = GrpcTrackedLinks(
        metrics.address, IDENTITY.credentials(as_service("publishing")), deadline_seconds=5.0
    )
    requests = [
        LinkRequest(
            tenant_id=tenant,
            share_id=new_id(),
            post_id="post-batch",
            employee_id=new_id(),
            country="FR",
            network="bluesky",
            target_url=LINK,
        )
        for _ in range(12)
    ]
    bad = replace(requests[0], share_id=new_id(), target_url="ftp://example.com/x")
    tracer = TracerProvider().get_tracer("contract")

    async def in_its_trace(request: LinkRequest) -> tuple[TrackedLink | LinkRejected, str]:
        with tracer.start_as_current_span("share") as share:
            trace_id = format(share.get_span_context().trace_id, "032x")
            try:
                return await links.create(request), trace_id
            except LinkRejected as refused:
                return refused, trace_id

    try:
        outcomes = await asyncio.gather(*(in_its_trace(r) for r in [*requests, bad]))
    finally:
        await links.close()
    refused, _ = outcomes[-1]
    assert isinstance(refused, LinkRejected) and "INVALID_ARGUMENT" in str(refused)
    codes = set()
    for request, (link, trace_id) in zip(requests, outcomes[:-1], strict=True):
        assert isinstance(link, TrackedLink)
        codes.add(link.code)
        redirect = await metrics.use_cases.follow_link(link.code, "GET", BROWSER)
        assert redirect.link.share_id == request.share_id
        async with metrics.db.session() as reads:
            carrier = await metrics_stores.SqlStores().links(reads).trace_of(link.code)
        assert carrier.traceparent is not None
        assert carrier.traceparent.split("-")[1] == trace_id
    assert len(codes) == 12

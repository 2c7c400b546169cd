"""The demo's editorial step: the tenant admin sets the charter and the
approval chain, the comms manager writes and submits, the reviewer decides.
The charter refuses a risky post; the campaign post is approved by a second
person, under the campaign's root span (the trace every later hop joins)."""

from __future__ import annotations

import grpc
from chorus.content.v1 import content_service_pb2 as content_pb
from opentelemetry import trace

from chorus_cli.demo_people import ADMIN, COMMS, REVIEW_STEP, REVIEWER, TENANT, DemoPeople
from chorus_cli.report import Reporter

POST_BODY = (
    "Our new solar plant in Seville now powers forty thousand homes with clean energy. "
    "Read the story and share it with your network #CleanEnergy @acme.test"
)
POST_LINK = "https://www.example.com/news/seville-solar?ref=newsroom"


async def charter_guards_approval(people: DemoPeople, run_id: str, report: Reporter) -> None:
    admin, comms, reviewer = people[ADMIN], people[COMMS], people[REVIEWER]
    await admin.content.SetCharter(
        content_pb.SetCharterRequest(
            request_id=f"{run_id}-charter",
            tenant_id=TENANT,
            charter=content_pb.Charter(
                blocked_phrases=["guaranteed returns", "insider information"]
            ),
        )
    )
    # Brand news goes through the step reviewer.acme reviews.
    await admin.content.SetApprovalChain(
        content_pb.SetApprovalChainRequest(
            request_id=f"{run_id}-chain",
            tenant_id=TENANT,
            chain=content_pb.ApprovalChain(
                kind=content_pb.POST_KIND_BRAND_NEWS, steps=[REVIEW_STEP]
            ),
        )
    )
    risky = (
        await comms.content.CreatePost(
            content_pb.CreatePostRequest(
                request_id=f"{run_id}-risky",
                tenant_id=TENANT,
                title="Investor note",
                body="Guaranteed returns for everyone who buys now!",
                source_language="en",
                link=POST_LINK,
            )
        )
    ).post
    await comms.content.SubmitPost(
        content_pb.SubmitPostRequest(
            request_id=f"{run_id}-risky-submit", tenant_id=TENANT, post_id=risky.post_id
        )
    )
    try:
        await reviewer.content.ApprovePost(
            content_pb.ApprovePostRequest(
                request_id=f"{run_id}-risky-approve", tenant_id=TENANT, post_id=risky.post_id
            )
        )
        raise AssertionError("a post breaking the charter was approved")
    except grpc.aio.AioRpcError as refused:
        report.info(f"approval refused as it should be: {refused.code().name}: {refused.details()}")


async def approved_post(
    people: DemoPeople, run_id: str, targeting: content_pb.Targeting, tracer: trace.Tracer
) -> tuple[content_pb.Post, trace.Span]:
    """The campaign post, written by the comms manager and approved by the
    reviewer, and the root span of its trace."""
    comms, reviewer = people[COMMS], people[REVIEWER]
    with tracer.start_as_current_span(
        "demo campaign", attributes={"chorus.tenant_id": TENANT}
    ) as root:
        post = (
            await comms.content.CreatePost(
                content_pb.CreatePostRequest(
                    request_id=f"{run_id}-post",
                    tenant_id=TENANT,
                    title="Seville solar plant is live",
                    body=POST_BODY,
                    link=POST_LINK,
                    source_language="en",
                    targeting=targeting,
                    network_texts={"bluesky": POST_BODY},
                )
            )
        ).post
        await comms.content.SubmitPost(
            content_pb.SubmitPostRequest(
                request_id=f"{run_id}-submit", tenant_id=TENANT, post_id=post.post_id
            )
        )
        await reviewer.content.ApprovePost(
            content_pb.ApprovePostRequest(
                request_id=f"{run_id}-approve", tenant_id=TENANT, post_id=post.post_id
            )
        )
    return post, root

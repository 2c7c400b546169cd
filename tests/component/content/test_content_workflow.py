"""Posts against a real database (SQLite and PostgreSQL): versions, the
approval workflow with chains and four eyes, the audit trail and its CSV,
charter blocking, expiry, comments and idempotent retries."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import TYPE_CHECKING

import pytest
from chorus.content.v1 import content_events_pb2 as events
from chorus_core.clock import utcnow
from chorus_core.errors import FailedPrecondition, InvalidArgument, NotFound, PermissionDenied
from content_service.domain.charter import Charter
from content_service.domain.patterns import PatternRule
from content_service.domain.posts import PostContent, PostKind, PostStatus

from tests.component.content.principals import ADMIN, ALICE, BOB, reviewer

if TYPE_CHECKING:
    from tests.component.content.conftest import ContentKitFactory


async def test_every_edit_is_a_version_and_approval_pins_one(
    content_kit: ContentKitFactory,
) -> None:
    kit = await content_kit()
    post_id = await kit.draft(hashtags=("chorus",), channels=("news",), campaign="spring")
    edited = await kit.posts.update_post(
        ALICE, "t1", post_id, PostContent(title="Launch v2", body="Better text")
    )
    assert edited.version == 2 and edited.status is PostStatus.DRAFT
    await kit.posts.submit_post(ALICE, "t1", post_id)
    approved = await kit.reviews.approve_post(BOB, "t1", post_id)
    assert approved.status is PostStatus.APPROVED and approved.approved_version == 2

    # Editing an approved post sends it back to review; the pin stays on v2.
    again = await kit.posts.update_post(
        ALICE, "t1", post_id, PostContent(title="Launch v3", body="Even better")
    )
    assert (
        again.status is PostStatus.IN_REVIEW and again.version == 3 and again.approved_version == 2
    )

    versions = await kit.services.queries.versions(BOB, "t1", post_id)
    assert [(v.version, v.title) for v in versions] == [
        (1, "Launch"),
        (2, "Launch v2"),
        (3, "Launch v3"),
    ]
    assert (await kit.services.queries.version(BOB, "t1", post_id, 1)).hashtags == ("chorus",)
    with pytest.raises(NotFound):
        await kit.services.queries.version(BOB, "t1", post_id, 9)
    with pytest.raises(FailedPrecondition, match="version 3"):
        await kit.posts.update_post(
            ALICE, "t1", post_id, PostContent(title="x", body="y"), expected_version=2
        )
    assert [e.version for e in await kit.events(events.PostUpdated)] == [2, 3]
    approved_events = await kit.events(events.PostApproved)
    assert [e.post.version for e in approved_events] == [
        2
    ]  # what targeting consumes: the pinned version


async def test_approval_chain_four_eyes_and_audit_csv(content_kit: ContentKitFactory) -> None:
    kit = await content_kit()
    carl, lea = reviewer(subject="carl"), reviewer(subject="lea")
    await kit.posts.set_approval_chain(ADMIN, "t1", PostKind.JOB_OFFER.value, ("comms", "legal"))
    post_id = await kit.draft(kind=PostKind.JOB_OFFER)
    await kit.posts.submit_post(ALICE, "t1", post_id)
    with pytest.raises(PermissionDenied, match="four-eyes"):
        await kit.reviews.approve_post(reviewer(subject="alice"), "t1", post_id)
    with pytest.raises(FailedPrecondition, match="awaiting step 'comms'"):
        await kit.reviews.approve_post(lea, "t1", post_id, step="legal")
    step1 = await kit.reviews.approve_post(
        carl, "t1", post_id, step="comms", comment="fine by comms"
    )
    assert step1.status is PostStatus.IN_REVIEW and step1.review_step == 1
    with pytest.raises(PermissionDenied, match="different approver"):
        await kit.reviews.approve_post(carl, "t1", post_id)
    done = await kit.reviews.approve_post(lea, "t1", post_id, step="legal")
    assert done.status is PostStatus.APPROVED
    [stepped] = await kit.events(events.PostStepApproved)
    assert (stepped.step, stepped.next_step) == ("comms", "legal")

    archived = await kit.posts.archive_post(ALICE, "t1", post_id)
    with pytest.raises(FailedPrecondition, match="post is archived"):
        await kit.posts.submit_post(ALICE, "t1", post_id)
    assert archived.status is PostStatus.ARCHIVED

    trail = await kit.services.queries.audit_trail(BOB, "t1", post_id)
    assert [(r.from_status, r.to_status, r.step, r.actor_id) for r in trail] == [
        ("draft", "in_review", "", "alice"),
        ("in_review", "in_review", "comms", "carl"),
        ("in_review", "approved", "legal", "lea"),
        ("approved", "archived", "", "alice"),
    ]
    rows = list(
        csv.DictReader(io.StringIO(await kit.services.queries.export_audit_csv(BOB, "t1", post_id)))
    )
    assert [r["to_status"] for r in rows] == ["in_review", "in_review", "approved", "archived"]
    comments = await kit.services.queries.comments(BOB, "t1", post_id)
    assert [(c.text, c.author_id) for c in comments] == [("fine by comms", "carl")]


async def test_changes_requested_rejected_and_invalid_transitions(
    content_kit: ContentKitFactory,
) -> None:
    kit = await content_kit()
    post_id = await kit.draft()
    with pytest.raises(FailedPrecondition, match="post is draft"):
        await kit.reviews.reject_post(BOB, "t1", post_id, "no")
    await kit.posts.submit_post(ALICE, "t1", post_id)
    with pytest.raises(InvalidArgument) as missing:
        await kit.reviews.request_changes(BOB, "t1", post_id, " ")
    assert missing.value.field == "comment"
    changed = await kit.reviews.request_changes(
        BOB, "t1", post_id, "add a source", request_id="r-1"
    )
    assert changed.status is PostStatus.CHANGES_REQUESTED
    # A retried call (same request_id) is answered, not applied twice.
    assert (
        await kit.reviews.request_changes(BOB, "t1", post_id, "add a source", request_id="r-1")
    ).version == 1
    await kit.posts.submit_post(ALICE, "t1", post_id)
    rejected = await kit.reviews.reject_post(BOB, "t1", post_id, "off brand")
    assert rejected.status is PostStatus.REJECTED
    with pytest.raises(FailedPrecondition, match="post is rejected"):
        await kit.posts.update_post(ALICE, "t1", post_id, PostContent(title="t", body="b"))
    [event] = await kit.events(events.PostRejected)
    assert event.reason == "off brand"
    assert len(await kit.events(events.PostChangesRequested)) == 1


async def test_blocking_violation_refuses_approval_until_fixed(
    content_kit: ContentKitFactory,
) -> None:
    kit = await content_kit()
    charters = kit.posts.charters
    with pytest.raises(InvalidArgument) as bad:
        await charters.set_charter(
            ADMIN, "t1", Charter(patterns=(PatternRule("codename", "(a+)+$", "block"),))
        )
    assert bad.value.field == "charter.patterns.codename"
    saved = await charters.set_charter(
        ADMIN,
        "t1",
        Charter(
            blocked_phrases=("guaranteed returns",),
            patterns=(PatternRule("codename", r"project\s+falcon", "block"),),
        ),
    )
    assert saved.version == 1
    post_id = await kit.draft(body="Project Falcon brings GUARANTEED returns")
    await kit.posts.submit_post(ALICE, "t1", post_id)
    with pytest.raises(
        FailedPrecondition, match="post is in_review with a blocking charter violation"
    ):
        await kit.reviews.approve_post(BOB, "t1", post_id)
    await kit.posts.update_post(
        ALICE, "t1", post_id, PostContent(title="Launch", body="A new plant opens")
    )
    assert (await kit.reviews.approve_post(BOB, "t1", post_id)).status is PostStatus.APPROVED
    assert (await charters.get_charter(BOB, "t1", 1)).blocked_phrases == ("guaranteed returns",)


async def test_expiry_job_expires_once_and_emits(content_kit: ContentKitFactory) -> None:
    kit = await content_kit()
    now = utcnow()
    post_id = await kit.draft(expires_at=now + timedelta(hours=1))
    await kit.posts.submit_post(ALICE, "t1", post_id)
    await kit.reviews.approve_post(BOB, "t1", post_id)
    job = kit.content.expiry
    assert await job.tick(now) == 0
    assert await job.tick(now + timedelta(hours=2)) == 1
    assert await job.tick(now + timedelta(hours=3)) == 0
    assert (await kit.services.queries.get_post(BOB, "t1", post_id)).status is PostStatus.EXPIRED
    [expired] = await kit.events(events.PostExpired)
    assert expired.post_id == post_id

"""EmployeeErased in content (real database, both engines): the employee's id
leaves every table, including the approver list of a review round in
progress; an unapproved UGC proposal loses its text everywhere (head,
versions, search), an approved one keeps its text with anonymous authorship;
text comms people wrote stays."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chorus.targeting.v1 import targeting_events_pb2 as targeting
from chorus_testing.subscriptions import handler_for
from content_service.adapters.feed_tables import FeedRow, MediaRow
from content_service.adapters.tables import ApprovalAuditRow, CommentRow, PostRow, PostVersionRow
from content_service.app.erasure import ERASED, ERASED_TEXT
from content_service.domain.posts import PostKind, PostStatus
from content_service.domain.search import SearchFilters, query_words
from content_service.entrypoints.kafka_handlers import subscriptions
from sqlalchemy import select
from sqlmodel import col

from tests.component.content.principals import ADMIN, ALICE, BOB, employee, moderator, reviewer

if TYPE_CHECKING:
    from tests.component.content.conftest import ContentKitFactory

EMPLOYEE = "emp_7%"  # LIKE wildcards in the id must not widen the match
# The employee is also a reviewer whose account's subject is their id, so
# their approval is stored under it as their proposals are.
AS_REVIEWER = reviewer(subject=EMPLOYEE)
AS_EMPLOYEE = employee(employee_id=EMPLOYEE)


async def test_erasure_clears_every_reference(content_kit: ContentKitFactory) -> None:
    kit = await content_kit()
    await kit.posts.set_approval_chain(ADMIN, "t1", PostKind.BRAND_NEWS.value, ("comms", "legal"))
    news = await kit.draft(body="Our plant opens in Lyon")
    await kit.posts.submit_post(ALICE, "t1", news)
    await kit.reviews.approve_post(AS_REVIEWER, "t1", news, step="comms", comment="fine by comms")
    other = await kit.draft(body="Another plant")
    await kit.posts.submit_post(ALICE, "t1", other)
    # a different employee
    await kit.reviews.approve_post(reviewer(subject="emp_77"), "t1", other, step="comms")
    pending, _, _ = await kit.services.ugc.propose(
        AS_EMPLOYEE, "t1", EMPLOYEE, "Mon équipe", "Moi, Zoé, fière de Grenoble", "", {}
    )
    published, _, _ = await kit.services.ugc.propose(
        AS_EMPLOYEE, "t1", "", "Our team", "Proud of the Turin plant", "", {}
    )
    await kit.services.ugc.moderate(moderator(), "t1", published.post_id, True, "")
    before = await kit.services.queries.get_post(BOB, "t1", news)
    assert before.status is PostStatus.IN_REVIEW and before.review_approvers == (EMPLOYEE,)

    erased = targeting.EmployeeErased(tenant_id="t1", employee_id=EMPLOYEE)
    wired = subscriptions(kit.content.translations, kit.content.erasure)
    await handler_for(wired, targeting.EmployeeErased)(erased, kit.context(erased, "t1"))

    async with kit.db.session() as session:
        for column in (
            col(PostRow.author_id),
            col(PostRow.approver_id),
            col(PostVersionRow.author_id),
            col(CommentRow.author_id),
            col(ApprovalAuditRow.actor_id),
            col(FeedRow.author_id),
            col(MediaRow.uploader_id),
        ):
            assert EMPLOYEE not in set((await session.execute(select(column))).scalars())
        versions = list(
            (
                await session.execute(
                    select(col(PostVersionRow.content)).where(
                        col(PostVersionRow.post_id) == pending.post_id
                    )
                )
            ).scalars()
        )
        comments = list((await session.execute(select(col(CommentRow.text)))).scalars())
    assert (await kit.services.queries.get_post(BOB, "t1", news)).review_approvers == (ERASED,)
    assert (await kit.services.queries.get_post(BOB, "t1", other)).review_approvers == ("emp_77",)
    # The four-eyes round goes on: the anonymous approval still counts for step one.
    legal = reviewer(subject="legal-1", steps=["legal"])
    assert (
        await kit.reviews.approve_post(legal, "t1", news, step="legal")
    ).status is PostStatus.APPROVED
    assert "fine by comms" in comments  # what the reviewer typed is not the employee's data

    redacted = await kit.services.queries.get_post(BOB, "t1", pending.post_id)
    assert (redacted.title, redacted.body, redacted.author_id) == (ERASED_TEXT, "", ERASED)
    assert versions and all(
        "Zoé" not in str(doc) and "Grenoble" not in str(doc) for doc in versions
    )
    assert (
        await kit.services.queries.search(
            BOB, "t1", SearchFilters(query_words=query_words("Turin")), 10, ""
        )
    )[0]
    found, _ = await kit.services.queries.search(
        BOB, "t1", SearchFilters(query_words=query_words("Grenoble")), 10, ""
    )
    assert found == []
    kept = await kit.services.queries.get_post(BOB, "t1", published.post_id)
    assert kept.body == "Proud of the Turin plant" and kept.author_id == ERASED

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

if TYPE_CHECKING:
    from tests.component.content.conftest import ContentKitFactory

EMPLOYEE = "emp_7%"  # LIKE wildcards in the id must not widen the match


async def test_erasure_clears_every_reference(content_kit: ContentKitFactory) -> None:
    kit = await content_kit()
    await kit.posts.set_approval_chain("t1", PostKind.BRAND_NEWS.value, ("comms", "legal"))
    news = await kit.draft(body="Our plant opens in Lyon")
    await kit.posts.submit_post("t1", news, "alice")
    await kit.posts.approve_post("t1", news, EMPLOYEE, step="comms", comment="fine by comms")
    other = await kit.draft(body="Another plant")
    await kit.posts.submit_post("t1", other, "alice")
    await kit.posts.approve_post("t1", other, "emp_77", step="comms")  # a different employee
    pending, _, _ = await kit.services.ugc.propose(
        "t1", EMPLOYEE, "Mon équipe", "Moi, Zoé, fière de Grenoble", "", {}
    )
    published, _, _ = await kit.services.ugc.propose(
        "t1", EMPLOYEE, "Our team", "Proud of the Turin plant", "", {}
    )
    await kit.services.ugc.moderate("t1", published.post_id, "mod-1", True, "")
    before = await kit.services.queries.get_post("t1", news)
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
    assert (await kit.services.queries.get_post("t1", news)).review_approvers == (ERASED,)
    assert (await kit.services.queries.get_post("t1", other)).review_approvers == ("emp_77",)
    # The four-eyes round goes on: the anonymous approval still counts for step one.
    assert (
        await kit.posts.approve_post("t1", news, "legal-1", step="legal")
    ).status is PostStatus.APPROVED
    assert "fine by comms" in comments  # what the reviewer typed is not the employee's data

    redacted = await kit.services.queries.get_post("t1", pending.post_id)
    assert (redacted.title, redacted.body, redacted.author_id) == (ERASED_TEXT, "", ERASED)
    assert versions and all(
        "Zoé" not in str(doc) and "Grenoble" not in str(doc) for doc in versions
    )
    assert (
        await kit.services.queries.search(
            "t1", SearchFilters(query_words=query_words("Turin")), 10, ""
        )
    )[0]
    found, _ = await kit.services.queries.search(
        "t1", SearchFilters(query_words=query_words("Grenoble")), 10, ""
    )
    assert found == []
    kept = await kit.services.queries.get_post("t1", published.post_id)
    assert kept.body == "Proud of the Turin plant" and kept.author_id == ERASED

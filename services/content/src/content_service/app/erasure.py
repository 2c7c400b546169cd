"""The erasure of an employee (EmployeeErased), inside the handler's transaction.

What content holds about an employee, and what erasure does with it:

  * their id as author of posts and versions, approver, reviewer in a
    round's approver list, commenter, actor in the audit trail, feed
    subscriber and media uploader: replaced by ERASED everywhere. The trail
    still shows that a (now anonymous) person made each transition, which
    the four-eyes rule and accountability need; it no longer says who.
  * the text of posts comms people wrote, comments they typed, charters,
    feeds and media: the company's content, not the employee's personal
    data; kept. A comment or post that happens to name the employee in free
    text is not found by id; that is outside what an id-keyed erasure can
    see and is reported, not guessed at.
  * employee-generated posts (UGC) the employee authored. GDPR reasoning:
    the text of a proposal is the employee's own expression and often
    identifies them (first person, their team, their city); anonymising the
    author id alone does not make such text anonymous. A proposal that was
    never approved (pending, rejected, sent back) was only ever processed to
    moderate it: that purpose is gone, so its text is erased in every
    version and in the search index (the post shell, status and audit stay,
    so other services' references by post id remain consistent). A UGC post
    that was approved became company content published under the brand and
    shared by colleagues (the proposal licensed it to the company); keeping
    its text is necessary to account for what was published (Art. 17(3)(e)),
    so its authorship is anonymised and the text kept.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import String, cast, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from content_service.adapters.feed_tables import FeedRow, MediaRow
from content_service.adapters.repository import PostRepository
from content_service.adapters.tables import ApprovalAuditRow, CommentRow, PostRow, PostVersionRow
from content_service.domain.posts import PostKind

ERASED = "erased-employee"
ERASED_TEXT = "[erased]"


async def erase_employee(session: AsyncSession, tenant_id: str, employee_id: str) -> None:
    await _redact_unapproved_ugc(session, tenant_id, employee_id)
    await _drop_from_approver_lists(session, tenant_id, employee_id)
    for table, column in (
        (PostRow, col(PostRow.author_id)),
        (PostRow, col(PostRow.approver_id)),
        (PostVersionRow, col(PostVersionRow.author_id)),
        (CommentRow, col(CommentRow.author_id)),
        (ApprovalAuditRow, col(ApprovalAuditRow.actor_id)),
        (FeedRow, col(FeedRow.author_id)),
        (MediaRow, col(MediaRow.uploader_id)),
    ):
        await session.execute(
            update(table)
            .where(col(table.tenant_id) == tenant_id, column == employee_id)
            .values({column: ERASED})
            .execution_options(synchronize_session=False)
        )


async def _redact_unapproved_ugc(session: AsyncSession, tenant_id: str, employee_id: str) -> None:
    posts = PostRepository(session)
    for row in await posts.by_author(tenant_id, employee_id):
        if row.kind != PostKind.UGC.value or row.approved_version:
            continue
        post = await posts.get(tenant_id, row.post_id)
        await posts.redact(
            replace(
                post,
                title=ERASED_TEXT,
                body="",
                link="",
                network_texts={},
                hashtags=(),
                mentions=(),
                media_ids=(),
            )
        )


async def _drop_from_approver_lists(
    session: AsyncSession, tenant_id: str, employee_id: str
) -> None:
    """review_approvers is a JSON list: narrowed in SQL by its text (same on
    both databases), then matched exactly here."""
    needle = employee_id.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    query = select(PostRow).where(
        col(PostRow.tenant_id) == tenant_id,
        cast(col(PostRow.review_approvers), String).like(f"%{needle}%", escape="\\"),
    )
    for row in (await session.execute(query)).scalars():
        if employee_id in (row.review_approvers or []):
            row.review_approvers = [ERASED if a == employee_id else a for a in row.review_approvers]
            session.add(row)

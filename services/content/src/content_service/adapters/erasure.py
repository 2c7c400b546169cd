"""The EmployeeReferences port: an employee's id replaced wherever content
keeps it, in SQL (see app/erasure.py for what is erased and why)."""

from __future__ import annotations

from sqlalchemy import String, cast, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from content_service.adapters.feed_tables import FeedRow, MediaRow
from content_service.adapters.tables import ApprovalAuditRow, CommentRow, PostRow, PostVersionRow


class EmployeeReferenceRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def replace_everywhere(self, tenant_id: str, employee_id: str, by: str) -> None:
        for table, column in (
            (PostRow, col(PostRow.author_id)),
            (PostRow, col(PostRow.approver_id)),
            (PostVersionRow, col(PostVersionRow.author_id)),
            (CommentRow, col(CommentRow.author_id)),
            (ApprovalAuditRow, col(ApprovalAuditRow.actor_id)),
            (FeedRow, col(FeedRow.author_id)),
            (MediaRow, col(MediaRow.uploader_id)),
        ):
            await self.session.execute(
                update(table)
                .where(col(table.tenant_id) == tenant_id, column == employee_id)
                .values({column: by})
                .execution_options(synchronize_session=False)
            )

    async def replace_in_approver_lists(self, tenant_id: str, employee_id: str, by: str) -> None:
        """review_approvers is a JSON list: narrowed in SQL by its text (same on
        both databases), then matched exactly here."""
        needle = employee_id.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = select(PostRow).where(
            col(PostRow.tenant_id) == tenant_id,
            cast(col(PostRow.review_approvers), String).like(f"%{needle}%", escape="\\"),
        )
        for row in (await self.session.execute(query)).scalars():
            if employee_id in (row.review_approvers or []):
                row.review_approvers = [by if a == employee_id else a for a in row.review_approvers]
                self.session.add(row)

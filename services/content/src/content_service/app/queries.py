"""Read side of posts: get, list, search, versions, comments, audit trail
(and its CSV export). Every query is scoped to the caller's tenant; who
reads what is app/policy.py's (staff; an employee an approved post; the
translation service a post or version for its event's tenant)."""

from __future__ import annotations

import csv
import io

from chorus_core.clock import as_utc, utcnow
from chorus_core.errors import InvalidArgument
from chorus_core.ids import new_id
from chorus_core.validation import require
from chorus_core.validation import tenant_id as valid_tenant
from chorus_db.ports import UnitOfWork
from chorus_identity.policy import actor_id
from chorus_identity.principal import Principal

from content_service.app import policy
from content_service.app.ports import Stores
from content_service.app.records import AuditEntry, Comment, HeldTranslation
from content_service.domain.posts import Post, PostKind, PostStatus
from content_service.domain.search import SearchFilters

MAX_PAGE = 500
AUDIT_COLUMNS = (
    "post_id",
    "version",
    "at",
    "actor_id",
    "from_status",
    "to_status",
    "step",
    "reason",
)


def page_limit(page_size: int) -> int:
    if page_size < 0 or page_size > MAX_PAGE:
        raise InvalidArgument("page_size", f"must be between 0 and {MAX_PAGE}")
    return page_size or 50


class PostQueries:
    def __init__(self, uow: UnitOfWork, stores: Stores) -> None:
        self.uow = uow
        self.stores = stores

    async def get_post(self, actor: Principal, tenant_id: str, post_id: str) -> Post:
        tenant_id = policy.post_reader(actor, tenant_id)
        valid_tenant(tenant_id)
        async with self.uow.session() as session:
            post = await self.stores.posts(session).get(tenant_id, post_id)
        policy.may_read_post(actor, post)
        return post

    async def list_posts(
        self,
        actor: Principal,
        tenant_id: str,
        status: PostStatus | None,
        page_size: int,
        page_token: str,
        kind: PostKind | None = None,
    ) -> tuple[list[Post], str]:
        tenant_id = policy.staff(actor, tenant_id)
        valid_tenant(tenant_id)
        limit = page_limit(page_size)
        async with self.uow.session() as session:
            page = await self.stores.posts(session).page(
                tenant_id, status, limit, page_token or None, kind
            )
        return page, (page[-1].post_id if len(page) == limit else "")

    async def search(
        self,
        actor: Principal,
        tenant_id: str,
        filters: SearchFilters,
        page_size: int,
        page_token: str,
    ) -> tuple[list[Post], str]:
        tenant_id = policy.staff(actor, tenant_id)
        valid_tenant(tenant_id)
        limit = page_limit(page_size)
        async with self.uow.session() as session:
            page = await self.stores.search(session).search(tenant_id, filters, limit, page_token)
        return page, (page[-1].post_id if len(page) == limit else "")

    async def version(self, actor: Principal, tenant_id: str, post_id: str, version: int) -> Post:
        tenant_id = policy.staff_or_reader_service(actor, tenant_id)
        valid_tenant(tenant_id)
        if version <= 0:
            raise InvalidArgument("version", "must be positive")
        async with self.uow.session() as session:
            return await self.stores.posts(session).version(tenant_id, post_id, version)

    async def versions(self, actor: Principal, tenant_id: str, post_id: str) -> list[Post]:
        tenant_id = policy.staff(actor, tenant_id)
        valid_tenant(tenant_id)
        async with self.uow.session() as session:
            return await self.stores.posts(session).versions(tenant_id, post_id)

    async def add_comment(
        self, actor: Principal, tenant_id: str, post_id: str, text: str
    ) -> Comment:
        tenant_id = policy.staff(actor, tenant_id)
        valid_tenant(tenant_id)
        require("text", text)
        async with self.uow.transaction() as transaction:
            posts = self.stores.posts(transaction)
            post = await posts.get(tenant_id, post_id)
            comment = Comment(
                comment_id=new_id(),
                tenant_id=tenant_id,
                post_id=post_id,
                version=post.version,
                author_id=actor_id(actor),
                text=text,
                at=utcnow(),
            )
            await posts.add_comment(comment)
        return comment

    async def comments(self, actor: Principal, tenant_id: str, post_id: str) -> list[Comment]:
        tenant_id = policy.staff(actor, tenant_id)
        valid_tenant(tenant_id)
        async with self.uow.session() as session:
            posts = self.stores.posts(session)
            await posts.get(tenant_id, post_id)  # NOT_FOUND for an unknown post
            return await posts.comments(tenant_id, post_id)

    async def audit_trail(self, actor: Principal, tenant_id: str, post_id: str) -> list[AuditEntry]:
        tenant_id = policy.staff(actor, tenant_id)
        valid_tenant(tenant_id)
        async with self.uow.session() as session:
            posts = self.stores.posts(session)
            if post_id:
                await posts.get(tenant_id, post_id)
            return await posts.audit_trail(tenant_id, post_id)

    async def held_translations(
        self, actor: Principal, tenant_id: str, post_id: str
    ) -> list[HeldTranslation]:
        """Languages held back by the charter check; every post's when post_id is empty."""
        tenant_id = policy.staff(actor, tenant_id)
        valid_tenant(tenant_id)
        async with self.uow.session() as session:
            return await self.stores.held_translations(session).all(tenant_id, post_id)

    async def export_audit_csv(self, actor: Principal, tenant_id: str, post_id: str) -> str:
        rows = await self.audit_trail(actor, tenant_id, post_id)
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(AUDIT_COLUMNS)
        for r in rows:
            writer.writerow(
                [
                    r.post_id,
                    r.version,
                    as_utc(r.at).isoformat(),
                    r.actor_id,
                    r.from_status,
                    r.to_status,
                    r.step,
                    _safe_cell(r.reason),
                ]
            )
        return out.getvalue()


def _safe_cell(value: str) -> str:
    """A reason typed by a reviewer must not run as a formula in a spreadsheet."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value

"""What content's use cases need from the outside world, as interfaces.

Adapters implement them (the service's database, its outbox); composition.py
wires them in. A store is opened on a transaction the caller holds
(chorus_db.ports.Transaction): a Kafka handler's ctx.transaction(), so the
effects commit with the inbox row, or a transaction (or read session) the use
case opens on its UnitOfWork for a gRPC call.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from chorus_db.ports import Transaction

from content_service.app.records import AuditEntry, Comment
from content_service.domain.charter import Charter
from content_service.domain.posts import Post, PostKind, PostStatus
from content_service.domain.search import SearchFilters


class PostStore(Protocol):
    """Posts (head and versions), their audit trail and comments, by tenant.
    A read of an unknown post (or one of another tenant) raises NotFound."""

    async def get(self, tenant_id: str, post_id: str, *, for_update: bool = False) -> Post:
        """for_update: the row stays locked until the transaction ends."""
        ...

    async def version(self, tenant_id: str, post_id: str, version: int) -> Post:
        """The post as it was at that version (status and review state: the head's)."""
        ...

    async def versions(self, tenant_id: str, post_id: str) -> list[Post]: ...

    async def page(
        self,
        tenant_id: str,
        status: PostStatus | None,
        limit: int,
        after_id: str | None,
        kind: PostKind | None = None,
    ) -> list[Post]:
        """In post id order, after `after_id`."""
        ...

    async def audit_trail(self, tenant_id: str, post_id: str = "") -> list[AuditEntry]:
        """In the order written; every post of the tenant when post_id is empty."""
        ...

    async def add_comment(self, comment: Comment) -> None: ...

    async def comments(self, tenant_id: str, post_id: str) -> list[Comment]: ...


class PostSearch(Protocol):
    async def search(
        self, tenant_id: str, filters: SearchFilters, limit: int, after_id: str
    ) -> list[Post]:
        """Every word of the query (full text) and every filter, in post id order."""
        ...


class CharterStore(Protocol):
    """Charters are versioned: a save is a new version, old ones stay readable."""

    async def current_version(self, tenant_id: str) -> int:
        """0 when the tenant never saved a charter."""
        ...

    async def get(self, tenant_id: str, version: int = 0) -> Charter:
        """That version (0: the current one; an empty Charter when there is
        none). NotFound for a version never saved."""
        ...

    async def save(self, tenant_id: str, charter: Charter, now: datetime) -> Charter:
        """Stored as the next version; returned with its version number."""
        ...


class Stores(Protocol):
    """The stores, opened on a transaction (or read session) the caller holds."""

    def posts(self, transaction: Transaction) -> PostStore: ...

    def search(self, transaction: Transaction) -> PostSearch: ...

    def charters(self, transaction: Transaction) -> CharterStore: ...

"""Fixtures for the content component tests: a migrated database (SQLite and
the real PostgreSQL), the use cases over it, and outbox/event helpers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from chorus_core.clock import utcnow
from chorus_core.ids import new_id
from chorus_db import Database, migrate
from chorus_messaging import Envelope, EventContext, Outbox, OutboxMessage
from chorus_testing.fixtures import DatabaseFactory
from content_service.adapters.media_store import LocalDiskStore
from content_service.adapters.migrations import SCHEMA
from content_service.app.use_cases import ContentUseCases, NewPost
from content_service.domain.posts import PostContent
from content_service.entrypoints.grpc_extras import Services
from google.protobuf.message import Message
from sqlalchemy import select


@dataclass
class ContentKit:
    db: Database
    services: Services
    media_dir: Path

    @property
    def posts(self) -> ContentUseCases:
        return self.services.posts

    async def draft(self, tenant: str = "t1", author: str = "alice", **content: object) -> str:
        fields: dict[str, object] = {"title": "Launch", "body": "We launched the new plant"}
        fields.update(content)
        post = await self.posts.create_post(NewPost(tenant, author, content=PostContent(**fields)))  # type: ignore[arg-type]
        return post.post_id

    async def events(self, message: type[Message]) -> list[Message]:
        async with self.db.session() as session:
            query = (
                select(OutboxMessage)
                .where(OutboxMessage.ce_type == message.DESCRIPTOR.full_name)
                .order_by(OutboxMessage.seq)  # type: ignore[arg-type]
            )
            rows = list((await session.execute(query)).scalars())
        return [message.FromString(r.payload) for r in rows]

    def context(self, event: Message, tenant_id: str, ce_id: str | None = None) -> EventContext:
        envelope = Envelope(
            ce_id=ce_id or new_id(),
            ce_type=event.DESCRIPTOR.full_name,
            ce_source="chorus/test@local",
            ce_time=utcnow(),
            ce_subject="",
            tenant_id=tenant_id,
        )
        return EventContext(envelope=envelope, consumer="content:test", db=self.db)


ContentKitFactory = Callable[[], Awaitable[ContentKit]]


@pytest.fixture
def content_kit(any_database: DatabaseFactory, tmp_path: Path) -> ContentKitFactory:
    async def make() -> ContentKit:
        db = await any_database()
        await migrate(db, SCHEMA)
        media_dir = tmp_path / f"media-{new_id()}"
        posts = ContentUseCases(db, Outbox("chorus/content@test"))
        return ContentKit(
            db, Services.around(posts, LocalDiskStore(media_dir), max_bytes=64 * 1024), media_dir
        )

    return make

"""Fixtures for the content component tests: a migrated database (SQLite and
the real PostgreSQL), the use cases over it, and outbox/event helpers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest
from chorus_core.ids import new_id
from chorus_db import Database, migrate
from chorus_messaging import EventContext, Outbox
from chorus_testing.events import event_context, outbox_events
from chorus_testing.fixtures import DatabaseFactory
from content_service import composition
from content_service.adapters.media_store import LocalDiskStore
from content_service.adapters.migrations import SCHEMA
from content_service.app.reviews import ReviewUseCases
from content_service.app.use_cases import ContentUseCases, NewPost
from content_service.domain.posts import PostContent
from content_service.entrypoints.grpc_extras import Services
from google.protobuf.message import Message

from tests.component.content.principals import comms

M = TypeVar("M", bound=Message)


@dataclass
class ContentKit:
    db: Database
    content: composition.Content
    media_dir: Path

    @property
    def services(self) -> Services:
        return self.content.services

    @property
    def posts(self) -> ContentUseCases:
        return self.services.posts

    @property
    def reviews(self) -> ReviewUseCases:
        return self.services.reviews

    async def draft(self, tenant: str = "t1", author: str = "alice", **content: Any) -> str:
        """A draft written by `author`, a comms manager of every channel."""
        fields: dict[str, Any] = {"title": "Launch", "body": "We launched the new plant"}
        fields.update(content)
        post = await self.posts.create_post(
            comms(tenant, author), NewPost(tenant, content=PostContent(**fields))
        )
        return post.post_id

    async def events(self, message: type[M]) -> list[M]:
        return await outbox_events(self.db, message)

    def context(self, event: Message, tenant_id: str, ce_id: str | None = None) -> EventContext:
        return event_context(self.db, event, tenant_id, ce_id)


ContentKitFactory = Callable[[], Awaitable[ContentKit]]


@pytest.fixture
def content_kit(any_database: DatabaseFactory, tmp_path: Path) -> ContentKitFactory:
    async def make() -> ContentKit:
        db = await any_database()
        await migrate(db, SCHEMA)
        media_dir = tmp_path / f"media-{new_id()}"
        content = composition.build(
            db, Outbox("chorus/content@test"), LocalDiskStore(media_dir), media_max_bytes=64 * 1024
        )
        return ContentKit(db, content, media_dir)

    return make

"""Real Apertium (APy), real Redis, and a real content service over gRPC."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from chorus_db import Database, migrate
from chorus_grpc import GrpcServer
from chorus_messaging import Outbox
from chorus_testing.fixtures import DatabaseFactory
from chorus_testing.identity import IDENTITY
from chorus_testing.infra import required_env
from content_service import composition
from content_service.adapters.media_store import LocalDiskStore
from content_service.adapters.migrations import SCHEMA as CONTENT_SCHEMA
from content_service.app.use_cases import ContentUseCases
from content_service.entrypoints import grpc_api as content_grpc_api
from translation_service.adapters.apertium import ApertiumTranslator
from translation_service.adapters.migrations import SCHEMA
from translation_service.adapters.redis_cache import RedisTranslationCache


@pytest.fixture
def apertium_url() -> str:
    return required_env("CHORUS_APERTIUM_URL")


@pytest.fixture
async def apertium(apertium_url: str) -> AsyncIterator[ApertiumTranslator]:
    async with httpx.AsyncClient(timeout=httpx.Timeout(30.0, connect=2.0)) as client:
        yield ApertiumTranslator(apertium_url, client)


@pytest.fixture
async def redis_cache(redis_url: str) -> AsyncIterator[RedisTranslationCache]:
    cache = RedisTranslationCache.from_url(redis_url)
    yield cache
    await cache.close()


@pytest.fixture
async def translation_db(any_database: DatabaseFactory) -> Database:
    db = await any_database()
    await migrate(db, SCHEMA)
    return db


@pytest.fixture
async def content_service(tmp_path: Path) -> AsyncIterator[tuple[ContentUseCases, str]]:
    """The real content service (its own SQLite database) on a free port."""
    db = Database(f"sqlite:///{tmp_path}/content.sqlite")
    await migrate(db, CONTENT_SCHEMA)
    content = composition.build(
        db, Outbox("chorus/content@local"), LocalDiskStore(tmp_path / "media")
    )
    server = GrpcServer(0, [content_grpc_api.binding(content.services)], verifier=IDENTITY.verifier)
    await server.start()
    yield content.services.posts, f"127.0.0.1:{server.port}"
    await server.stop(0)
    await db.dispose()

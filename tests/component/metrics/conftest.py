"""Fixtures for the metrics component tests: a migrated database (SQLite and
the real PostgreSQL), the use cases, an HTTP client on the real Starlette app,
and builders for events, contexts and links."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

import httpx
import pytest
from chorus.publishing.v1 import publishing_events_pb2 as publishing
from chorus_core.ids import new_id
from chorus_core.prototime import optional_timestamp
from chorus_db import Database, migrate
from chorus_messaging import Outbox, OutboxMessage
from chorus_testing.events import event_context, outbox_rows
from chorus_testing.fixtures import DatabaseFactory
from metrics_service.adapters.migrations import SCHEMA
from metrics_service.adapters.stores import OutboxClickEvents, SqlStores
from metrics_service.app.use_cases import MetricsUseCases, NewTrackedLink
from metrics_service.entrypoints.http_app import create_app
from sqlalchemy import func, select

PUBLIC_URL = "http://go.chorus.test"


class MetricsKit:
    """Builders shared by the metrics component tests (a fixture, because
    test modules cannot import each other under --import-mode=importlib)."""

    context = staticmethod(event_context)

    @staticmethod
    def share_published(
        tenant_id: str,
        share_id: str,
        post_id: str,
        country: str = "FR",
        employee_id: str = "emp-1",
        published_at: datetime | None = None,
    ) -> publishing.SharePublished:
        return publishing.SharePublished(
            tenant_id=tenant_id,
            share_id=share_id,
            post_id=post_id,
            employee_id=employee_id,
            network="bluesky",
            country=country,
            language="fr",
            published_at=optional_timestamp(published_at),
        )

    @staticmethod
    def new_link(tenant_id: str, share_id: str = "share-1", **overrides: str) -> NewTrackedLink:
        values: dict[str, Any] = {
            "tenant_id": tenant_id,
            "share_id": share_id,
            "post_id": "post-1",
            "employee_id": "emp-1",
            "country": "FR",
            "network": "bluesky",
            "target_url": "https://news.example.com/story?ref=newsroom",
            "campaign": "",
            "request_id": new_id(),
        }
        values.update(overrides)
        return NewTrackedLink(**values)

    @staticmethod
    async def outbox(db: Database, topic: str | None = None) -> list[OutboxMessage]:
        return await outbox_rows(db, topic=topic)

    @staticmethod
    async def count(db: Database, model: type) -> int:
        async with db.session() as session:
            return int(
                (await session.execute(select(func.count()).select_from(model))).scalar_one()
            )


@pytest.fixture
def kit() -> type[MetricsKit]:
    return MetricsKit


@pytest.fixture
def tenant() -> str:
    return f"t-{uuid.uuid4().hex[:10]}"


@pytest.fixture
async def metrics_db(any_database: DatabaseFactory) -> Database:
    db = await any_database()
    await migrate(db, SCHEMA)
    return db


@pytest.fixture
def use_cases(metrics_db: Database) -> MetricsUseCases:
    events = OutboxClickEvents(Outbox("chorus/metrics@test"))
    return MetricsUseCases(metrics_db, SqlStores(), events, PUBLIC_URL)


@pytest.fixture
async def http(use_cases: MetricsUseCases) -> AsyncIterator[httpx.AsyncClient]:
    """The real Starlette app in-process (httpx.ASGITransport): fast, and the
    same app object main.py serves with uvicorn."""
    transport = httpx.ASGITransport(app=create_app(use_cases))
    async with httpx.AsyncClient(transport=transport, base_url=PUBLIC_URL) as client:
        yield client

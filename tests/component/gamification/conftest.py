"""Fixtures for the gamification component tests: a migrated database
(SQLite and the real PostgreSQL), the real Redis (a unique tenant per test,
so tests never share a leaderboard), the use cases and event builders."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
from chorus.metrics.v1 import metrics_events_pb2 as metrics_events
from chorus.publishing.v1 import publishing_events_pb2 as publishing
from chorus_db import Database, migrate
from chorus_db.sessions import after_commit
from chorus_messaging import Outbox
from chorus_messaging.consumer import Handler
from chorus_testing.events import event_context, outbox_rows
from chorus_testing.fixtures import DatabaseFactory
from chorus_testing.subscriptions import handler_for as subscribed_handler
from gamification_service.adapters.events import OutboxPointsEvents
from gamification_service.adapters.leaderboard import RedisLeaderboard, board_key
from gamification_service.adapters.migrations import SCHEMA
from gamification_service.adapters.repository import LedgerRepository
from gamification_service.app.use_cases import GamificationUseCases
from gamification_service.entrypoints.kafka_handlers import subscriptions
from google.protobuf.message import Message
from sqlalchemy import func, select

# Nothing listens on port 1: every Redis call fails at once, like an outage.
DOWN_REDIS_URL = "redis://127.0.0.1:1/0"


class GamificationKit:
    """Builders shared by the gamification component tests (a fixture, because
    test modules cannot import each other under --import-mode=importlib)."""

    context = staticmethod(event_context)
    outbox = staticmethod(outbox_rows)

    @staticmethod
    def share_published(
        tenant_id: str, employee_id: str, share_id: str
    ) -> publishing.SharePublished:
        return publishing.SharePublished(
            tenant_id=tenant_id,
            share_id=share_id,
            post_id="post-1",
            employee_id=employee_id,
            network="bluesky",
            country="FR",
            language="fr",
        )

    @staticmethod
    def link_clicked(tenant_id: str, sharer_id: str, click_id: str) -> metrics_events.LinkClicked:
        return metrics_events.LinkClicked(
            tenant_id=tenant_id,
            code="Ab3dE6gH",
            share_id="share-1",
            post_id="post-1",
            employee_id=sharer_id,
            country="FR",
            click_id=click_id,
        )

    @staticmethod
    async def count(db: Database, model: type) -> int:
        async with db.session() as session:
            return int(
                (await session.execute(select(func.count()).select_from(model))).scalar_one()
            )


@pytest.fixture
def kit() -> type[GamificationKit]:
    return GamificationKit


@pytest.fixture
async def leaderboard(redis_url: str) -> AsyncIterator[RedisLeaderboard]:
    board = RedisLeaderboard.from_url(redis_url)
    yield board
    await board.close()


@pytest.fixture
async def tenant(leaderboard: RedisLeaderboard) -> AsyncIterator[str]:
    tenant_id = f"t-{uuid.uuid4().hex[:10]}"
    yield tenant_id
    await leaderboard.redis.delete(board_key(tenant_id), board_key(tenant_id + "-other"))


@pytest.fixture
async def gam_db(any_database: DatabaseFactory) -> Database:
    db = await any_database()
    await migrate(db, SCHEMA)
    return db


def build_use_cases(db: Database, leaderboard: RedisLeaderboard) -> GamificationUseCases:
    """Wired as main.py wires them."""
    events = OutboxPointsEvents(Outbox("chorus/gamification@test"))
    return GamificationUseCases(
        db, LedgerRepository, events, leaderboard, after_commit=after_commit
    )


@pytest.fixture
def use_cases(gam_db: Database, leaderboard: RedisLeaderboard) -> GamificationUseCases:
    return build_use_cases(gam_db, leaderboard)


@pytest.fixture
async def use_cases_redis_down(gam_db: Database) -> AsyncIterator[GamificationUseCases]:
    """Same database, but Redis unreachable (an outage, or a crash between
    the commit and the board update)."""
    board = RedisLeaderboard.from_url(DOWN_REDIS_URL)
    yield build_use_cases(gam_db, board)
    await board.close()


def handler_for(use_cases: GamificationUseCases, event_type: type[Message]) -> Handler:
    return subscribed_handler(subscriptions(use_cases), event_type)


@pytest.fixture
def on_share(use_cases: GamificationUseCases) -> Handler:
    return handler_for(use_cases, publishing.SharePublished)


@pytest.fixture
def on_click(use_cases: GamificationUseCases) -> Handler:
    return handler_for(use_cases, metrics_events.LinkClicked)


@pytest.fixture
def handler_factory():
    return handler_for

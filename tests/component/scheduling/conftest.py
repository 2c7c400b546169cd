"""Fixtures for the scheduling component tests: a migrated database (SQLite
and the real PostgreSQL), the outbox, and builders for events and contexts."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

import pytest
from chorus.content.v1 import content_events_pb2 as content
from chorus.scheduling.v1 import scheduling_events_pb2 as scheduling
from chorus.targeting.v1 import targeting_events_pb2 as targeting
from chorus.translation.v1 import translation_events_pb2 as translation
from chorus.translation.v1.translation_events_pb2 import TranslationCompleted
from chorus_core.clock import utcnow
from chorus_db import Database, migrate
from chorus_identity.principal import Principal, Role, user
from chorus_messaging import Outbox
from chorus_testing.events import event_context, outbox_rows
from chorus_testing.fixtures import DatabaseFactory
from scheduling_service.adapters.migrations import SCHEMA
from scheduling_service.domain.slots import HORIZON_DAYS
from scheduling_service.domain.translations import text_digest
from scheduling_service.entrypoints.content_handlers import cleared_handler

SchedulingDatabase = Callable[[], Awaitable[Database]]


class SchedulingKit:
    """Builders shared by the scheduling component tests (a fixture, because
    test modules cannot import each other under --import-mode=importlib)."""

    context = staticmethod(event_context)
    outbox_rows = staticmethod(outbox_rows)

    @staticmethod
    async def announced(db: Database) -> list[str]:
        """The share ids the SharesScheduled written so far announce, in order."""
        rows = await outbox_rows(db, scheduling.SharesScheduled.DESCRIPTOR.full_name)
        return [
            s.share_id
            for row in rows
            for s in scheduling.SharesScheduled.FromString(row.payload).shares
        ]

    @staticmethod
    def after_every_slot() -> datetime:
        """After every slot the planner can give: auto-shares are in their
        next good slot (a weekend or holiday in Madrid moves them on, the
        spread gives a small post one share a minute); a timer ticking at
        this time fires whatever was planned."""
        return utcnow() + timedelta(days=HORIZON_DAYS + 1)

    @staticmethod
    def employee(employee_id: str, tenant_id: str = "t1") -> Principal:
        """The signed-in employee linked to directory entry `employee_id`:
        the only caller who may schedule or cancel that entry's shares."""
        return user(f"sub-{employee_id}", tenant_id, Role.EMPLOYEE, employee_id=employee_id)

    @staticmethod
    def comms(tenant_id: str = "t1") -> Principal:
        """A comms manager: reads every share of the tenant."""
        return user("comms-1", tenant_id, Role.COMMS_MANAGER)

    @staticmethod
    def audience(
        tenant_id: str, post_id: str, members: list[tuple[str, str, bool]], version: int = 1
    ) -> targeting.AudienceBatchResolved:
        """members: (employee_id, language, auto_share)."""
        return targeting.AudienceBatchResolved(
            tenant_id=tenant_id,
            post_id=post_id,
            post_version=version,
            batch_index=0,
            batch_count=1,
            members=[
                targeting.AudienceMember(
                    employee_id=e,
                    language=lang,
                    timezone="Europe/Madrid",
                    country="ES",
                    auto_share=auto,
                )
                for e, lang, auto in members
            ],
        )

    @staticmethod
    def translation(
        tenant_id: str,
        post_id: str,
        language: str,
        version: int = 1,
        network_texts: dict[str, str] | None = None,
    ) -> translation.TranslationCompleted:
        return translation.TranslationCompleted(
            tenant_id=tenant_id,
            post_id=post_id,
            post_version=version,
            language=language,
            source_language="en",
            title="Title",
            body=f"Body in {language}",
            network_texts=network_texts or {},
            link="https://example.com/news",
            provider="apertium",
        )

    # The message by its own name: in this class, `translation` is the method above.
    @classmethod
    async def clear(cls, db: Database, text: TranslationCompleted) -> None:
        """Content's verdict that `text` passed the charter: without it the
        timer never fires shares in that language."""
        verdict = content.TranslationCleared(
            tenant_id=text.tenant_id,
            post_id=text.post_id,
            post_version=text.post_version,
            language=text.language,
            text_digest=text_digest(
                text.body,
                text.link,
                dict(text.network_texts),
                {n: tuple(v.texts) for n, v in text.network_variants.items()},
            ),
        )
        await cleared_handler()(verdict, cls.context(db, verdict, text.tenant_id))


@pytest.fixture
def kit() -> SchedulingKit:
    return SchedulingKit()


@pytest.fixture
def scheduling_database(any_database: DatabaseFactory) -> SchedulingDatabase:
    """A fresh database with the messaging and scheduling tables, each call."""

    async def make() -> Database:
        db = await any_database()
        await migrate(db, SCHEMA)
        return db

    return make


@pytest.fixture
def outbox() -> Outbox:
    return Outbox("chorus/scheduling@test")

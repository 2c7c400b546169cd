"""What the consumer tests on the real broker share (not a test module):
an effects table the test handlers write one row per applied event to, the
events they send (PostApproved, with CloudEvents headers of a given ce_id)
and the waits for their effects."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from chorus.content.v1 import content_events_pb2 as events
from chorus.content.v1 import content_service_pb2 as content_pb
from chorus_db import Database, migrate
from chorus_messaging import MESSAGING_SCHEMA
from sqlalchemy import select
from sqlmodel import Field, SQLModel


class AppliedPost(SQLModel, table=True):
    """What a test handler does: one row per applied event."""

    __tablename__ = "test_consumer_effects"
    id: int | None = Field(default=None, primary_key=True)
    post_id: str


async def with_effects_table(db: Database) -> None:
    """The messaging tables by their migrations, plus the effects table (a
    test fixture, not part of any service's schema)."""
    await migrate(db, MESSAGING_SCHEMA)
    async with db.engine.begin() as conn:
        table = SQLModel.metadata.tables[AppliedPost.__tablename__]
        await conn.run_sync(SQLModel.metadata.create_all, tables=[table])


async def effects(db: Database) -> list[str]:
    async with db.session() as session:
        return [row.post_id for row in (await session.execute(select(AppliedPost))).scalars()]


def approved(post_id: str) -> bytes:
    return events.PostApproved(
        tenant_id="t1", post=content_pb.Post(post_id=post_id, tenant_id="t1")
    ).SerializeToString()


def ce_id(n: int) -> str:
    return f"0192f0c8-0000-7000-8000-{n:012d}"


def headers(n: int, actor: str = "") -> list[tuple[str, bytes]]:
    """PostApproved's CloudEvents headers, the n-th ce_id; `actor`: ce_actor."""
    base = [
        ("ce_id", ce_id(n).encode()),
        ("ce_type", b"chorus.content.v1.PostApproved"),
        ("ce_source", b"chorus/test@local"),
        ("ce_time", b"2026-12-03T08:00:00+00:00"),
        ("ce_tenantid", b"t1"),
    ]
    return base + ([("ce_actor", actor.encode())] if actor else [])


async def eventually(predicate: Callable[[], Awaitable[bool]], timeout: float = 30.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not await predicate():
        assert loop.time() < deadline, "condition not met in time"
        await asyncio.sleep(0.05)


async def until_applied(db: Database, n: int) -> None:
    """Until n effects are in the database."""

    async def applied() -> bool:
        return len(await effects(db)) >= n

    await eventually(applied)

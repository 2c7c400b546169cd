"""metrics_0003 on SQLite and the real PostgreSQL: counted shares made
before it get their sharer from the share's tracked link (none when metrics
has no link for it, or the link was already anonymised) and their publish
time from when they were counted."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from chorus_core.clock import as_utc
from chorus_db import migrate
from chorus_testing.fixtures import DatabaseFactory
from metrics_service.adapters.migrations import SCHEMA

pytestmark = pytest.mark.infra

COUNTED = datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)


def _link(share_id: str, employee_id: str, tenant_id: str = "t1") -> dict[str, object]:
    return {
        "code": f"{tenant_id}{share_id}"[:16], "tenant_id": tenant_id, "share_id": share_id,
        "post_id": "p1", "employee_id": employee_id, "country": "FR", "network": "bluesky",
        "target_url": "https://a.example/n", "campaign": "", "created_at": COUNTED,
    }  # fmt: skip


async def test_existing_counted_shares_get_their_sharer_from_the_link(
    any_database: DatabaseFactory,
) -> None:
    db = await any_database()
    await migrate(db, SCHEMA, target="metrics_0002")
    links = [
        _link("s1", "emp-1"),
        _link("s2", "erased"),  # an erasure already anonymised it
        _link("s1", "emp-9", tenant_id="t2"),  # the same share id in another tenant
    ]
    shares = [("t1", "s1"), ("t1", "s2"), ("t1", "s3"), ("t2", "s1")]  # s3: no link
    async with db.engine.begin() as conn:
        columns = ", ".join(links[0])
        values = ", ".join(f":{c}" for c in links[0])
        await conn.execute(
            sa.text(f"INSERT INTO metrics_tracked_links ({columns}) VALUES ({values})"), links
        )
        await conn.execute(
            sa.text(
                "INSERT INTO metrics_counted_shares"
                " (tenant_id, share_id, post_id, country, counted_at)"
                " VALUES (:t, :s, 'p1', 'FR', :at)"
            ),
            [{"t": t, "s": s, "at": COUNTED} for t, s in shares],
        )
    await migrate(db, SCHEMA)
    async with db.engine.connect() as conn:
        rows = await conn.execute(
            sa.text(
                "SELECT tenant_id, share_id, employee_id, published_at"
                " FROM metrics_counted_shares ORDER BY tenant_id, share_id"
            )
        )
        found = [(t, s, e, _at(p)) for t, s, e, p in rows]
    assert found == [
        ("t1", "s1", "emp-1", COUNTED),
        ("t1", "s2", None, COUNTED),
        ("t1", "s3", None, COUNTED),
        ("t2", "s1", "emp-9", COUNTED),
    ]


def _at(value: datetime | str) -> datetime:
    """A raw SQLite row gives the timestamp back as text."""
    return as_utc(value if isinstance(value, datetime) else datetime.fromisoformat(value))

"""The share volume per day (GetShareVolume, content's editorial calendar) on
a real database (SQLite and PostgreSQL): counts per UTC day, status and
region from one GROUP BY, the period's edges, the region filter, another
tenant's shares never counted, and bad input naming its field."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import pytest
from chorus_core.errors import InvalidArgument, PermissionDenied
from chorus_db import Database
from scheduling_service.adapters.stores import SqlStores
from scheduling_service.app.insights import ShareInsights
from scheduling_service.domain.shares import Planning, Share, ShareStatus, share_id_for
from scheduling_service.domain.volume import DayVolume

if TYPE_CHECKING:
    from tests.component.scheduling.conftest import SchedulingDatabase, SchedulingKit

SINCE = datetime(2026, 6, 1, tzinfo=UTC)
UNTIL = datetime(2026, 6, 8, tzinfo=UTC)


async def put(
    db: Database,
    tenant: str,
    post: str,
    employee: str,
    status: ShareStatus,
    due_at: datetime | None,
    region: str = "eu-west",
    network: str = "bluesky",
) -> None:
    share = Share(
        share_id=share_id_for(tenant, post, employee, network),
        tenant_id=tenant,
        post_id=post,
        post_version=1,
        employee_id=employee,
        network=network,
        language="fr",
        country="FR",
        timezone="Europe/Paris",
        status=status,
        auto_share=False,
        due_at=due_at,
        created_at=SINCE - timedelta(days=1),
        updated_at=SINCE - timedelta(days=1),
        planning=Planning(region=region),
    )
    async with db.transaction() as transaction:
        await SqlStores().shares(transaction).add(share, None)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 6, day, hour, minute, tzinfo=UTC)


@pytest.fixture
async def db(scheduling_database: SchedulingDatabase) -> Database:
    db = await scheduling_database()
    s, d = ShareStatus.SCHEDULED, ShareStatus.DUE
    # Tenant t1: p1 on 2 June in eu-west (two scheduled, one due), one on 3 June.
    await put(db, "t1", "p1", "e1", s, at(2, 0, 0))  # the first instant of the UTC day
    await put(db, "t1", "p1", "e2", s, at(2, 23, 59))  # its last minute: the same day
    await put(db, "t1", "p1", "e3", d, at(2, 9))
    await put(db, "t1", "p1", "e4", s, at(3, 10))
    # Another network of the same employee is another share, counted too.
    await put(db, "t1", "p1", "e4", d, at(3, 11), network="linkedin")
    # p1 in another region, and p2, on 2 June.
    await put(db, "t1", "p1", "e5", s, at(2, 12), region="us-east")
    await put(db, "t1", "p2", "e1", d, at(2, 14))
    # Not counted: suggested (no time), cancelled, before since, at until,
    # a post not asked for.
    await put(db, "t1", "p1", "e6", ShareStatus.SUGGESTED, None)
    await put(db, "t1", "p1", "e7", ShareStatus.CANCELLED, at(2, 10))
    await put(db, "t1", "p1", "e8", s, SINCE - timedelta(seconds=1))
    await put(db, "t1", "p1", "e9", s, UNTIL)
    await put(db, "t1", "p3", "e1", s, at(2, 10))
    # Tenant t2, the same post and employee ids, the same day: never t1's.
    for employee in ("e1", "e2", "e3"):
        await put(db, "t2", "p1", employee, d, at(2, 10))
    return db


def insights(db: Database) -> ShareInsights:
    return ShareInsights(db, SqlStores(), region="eu-west")


async def test_volume_per_day_status_and_region(db: Database, kit: SchedulingKit) -> None:
    days = await insights(db).share_volume(kit.comms(), "t1", ["p1", "p2"], SINCE, UNTIL)
    assert days == [
        DayVolume("p1", "eu-west", "2026-06-02", scheduled=2, due=1),
        DayVolume("p2", "eu-west", "2026-06-02", scheduled=0, due=1),
        DayVolume("p1", "us-east", "2026-06-02", scheduled=1, due=0),
        DayVolume("p1", "eu-west", "2026-06-03", scheduled=1, due=1),
    ]


async def test_region_filter_and_the_other_tenant(db: Database, kit: SchedulingKit) -> None:
    uc = insights(db)
    us = await uc.share_volume(kit.comms(), "t1", ["p1", "p2"], SINCE, UNTIL, region="us-east")
    assert us == [DayVolume("p1", "us-east", "2026-06-02", scheduled=1, due=0)]
    assert await uc.share_volume(kit.comms(), "t1", ["p1"], SINCE, UNTIL, region="apac") == []
    # Tenant t2 sees its own three due shares only, whatever t1 has.
    theirs = await uc.share_volume(kit.comms("t2"), "t2", ["p1", "p2"], SINCE, UNTIL)
    assert theirs == [DayVolume("p1", "eu-west", "2026-06-02", scheduled=0, due=3)]


async def test_a_period_cuts_by_due_at(db: Database, kit: SchedulingKit) -> None:
    uc = insights(db)
    # [2 June 09:00, 2 June 14:00): e3 (09:00) and e5 (12:00); p2 at 14:00 is out.
    days = await uc.share_volume(kit.comms(), "t1", ["p1", "p2"], at(2, 9), at(2, 14))
    assert days == [
        DayVolume("p1", "eu-west", "2026-06-02", scheduled=0, due=1),
        DayVolume("p1", "us-east", "2026-06-02", scheduled=1, due=0),
    ]


async def test_an_employee_is_refused(db: Database, kit: SchedulingKit) -> None:
    with pytest.raises(PermissionDenied):
        await insights(db).share_volume(kit.employee("e1"), "t1", ["p1"], SINCE, UNTIL)


BAD = [
    ({"post_ids": []}, "post_ids"),
    ({"post_ids": ["p1", " "]}, "post_ids"),
    ({"post_ids": [f"p{i}" for i in range(501)]}, "post_ids"),
    ({"post_ids": ["x" * 37]}, "post_ids"),
    ({"since": None}, "since"),
    ({"until": None}, "until"),
    ({"until": SINCE}, "until"),
    ({"until": SINCE - timedelta(days=1)}, "until"),
    ({"until": SINCE + timedelta(days=366, seconds=1)}, "until"),
    ({"region": "r" * 65}, "region"),
]


@pytest.mark.parametrize(("change", "field"), BAD)
async def test_bad_input_names_the_field(
    db: Database, kit: SchedulingKit, change: dict[str, object], field: str
) -> None:
    args: dict[str, object] = {
        "post_ids": ["p1"],
        "since": SINCE,
        "until": UNTIL,
        "region": "",
        **change,
    }
    with pytest.raises(InvalidArgument) as error:
        await insights(db).share_volume(kit.comms(), "t1", **args)  # type: ignore[arg-type]
    assert error.value.field == field


async def test_a_full_year_is_allowed(db: Database, kit: SchedulingKit) -> None:
    year = await insights(db).share_volume(
        kit.comms(), "t1", ["p2"], SINCE, SINCE + timedelta(days=366)
    )
    assert year == [DayVolume("p2", "eu-west", "2026-06-02", scheduled=0, due=1)]

"""Auto-shares and "next good slot" planned on a real database (SQLite and
PostgreSQL): clock changes, public holidays, sharing hours and the daily cap
across two posts, spacing across audience batches, the post's window, and
a new post version. The day is pinned (the clock the use cases take): a
slot depends on it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest
from chorus.scheduling.v1 import scheduling_events_pb2 as sched_events
from chorus.scheduling.v1 import scheduling_service_pb2 as pb
from chorus.targeting.v1 import targeting_events_pb2 as targeting
from chorus_core.errors import InvalidArgument
from chorus_core.prototime import optional_timestamp
from chorus_db import Database
from chorus_messaging import Outbox
from scheduling_service.adapters.events import OutboxShareEvents
from scheduling_service.adapters.messages import MODE_FROM_PB
from scheduling_service.adapters.stores import SqlStores
from scheduling_service.app.intake import ShareIntake
from scheduling_service.app.planning import SlotPlanner
from scheduling_service.app.use_cases import ScheduleRequest, SchedulingUseCases
from scheduling_service.domain.shares import Share, ShareMode, ShareStatus, share_id_for
from scheduling_service.domain.slots import Spread
from scheduling_service.entrypoints.kafka_handlers import audience_handler

if TYPE_CHECKING:
    from tests.component.scheduling.conftest import SchedulingDatabase, SchedulingKit

PARIS, NEW_YORK = ZoneInfo("Europe/Paris"), ZoneInfo("America/New_York")
SCHEDULED = sched_events.SharesScheduled.DESCRIPTOR.full_name
# One share a minute at most would space every test's few shares a minute
# apart; the spread has tests of its own below.
LOOSE = Spread(min_gap=timedelta(0), max_minute_share=1.0)


def utc(zone: ZoneInfo, year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=zone).astimezone(UTC)


def member(
    employee_id: str,
    *,
    timezone: str = "Europe/Paris",
    country: str = "FR",
    hours: str = "",
    cap: int = 0,
    region: str = "eu-west",
    auto_share: bool = True,
    subdivision: str = "",
) -> targeting.AudienceMember:
    return targeting.AudienceMember(
        employee_id=employee_id,
        language="fr",
        timezone=timezone,
        country=country,
        auto_share=auto_share,
        sharing_hours=hours,
        max_shares_per_day=cap,
        home_region=region,
        subdivision=subdivision,
    )


def batch(
    post_id: str,
    members: list[targeting.AudienceMember],
    *,
    version: int = 1,
    valid_from: datetime | None = None,
    expires_at: datetime | None = None,
    index: int = 0,
    count: int = 1,
) -> targeting.AudienceBatchResolved:
    return targeting.AudienceBatchResolved(
        tenant_id="t1",
        post_id=post_id,
        post_version=version,
        batch_index=index,
        batch_count=count,
        members=members,
        valid_from=optional_timestamp(valid_from),
        expires_at=optional_timestamp(expires_at),
        campaign_id="c1",
    )


class Scheduling:
    """Scheduling's intake and use cases on one database, at a pinned time."""

    def __init__(self, db: Database, outbox: Outbox, kit: SchedulingKit, spread: Spread) -> None:
        self.db, self.outbox, self.kit = db, outbox, kit
        self.now = datetime(2026, 6, 2, 8, 0, tzinfo=UTC)  # a Tuesday
        planner = SlotPlanner(spread)
        events = OutboxShareEvents(outbox)
        self.intake = ShareIntake(SqlStores(), events, planner, clock=lambda: self.now)
        self.use_cases = SchedulingUseCases(
            db, SqlStores(), events, planner, clock=lambda: self.now
        )

    async def deliver(self, event: targeting.AudienceBatchResolved) -> None:
        await audience_handler(self.intake)(event, self.kit.context(self.db, event, "t1"))

    async def share(self, post_id: str, employee_id: str) -> Share:
        return await self.use_cases.get_share(
            self.kit.comms(), "t1", share_id_for("t1", post_id, employee_id, "bluesky")
        )

    async def due(self, post_id: str, employee_id: str) -> datetime | None:
        return (await self.share(post_id, employee_id)).due_at

    async def schedule(
        self, post_id: str, employee_id: str, mode: ShareMode, at: datetime | None = None
    ) -> Share:
        return await self.use_cases.schedule_share(
            self.kit.employee(employee_id), ScheduleRequest("t1", post_id, employee_id, mode, at)
        )


Make = Callable[..., Awaitable[Scheduling]]


@pytest.fixture
def make(scheduling_database: SchedulingDatabase, outbox: Outbox, kit: SchedulingKit) -> Make:
    async def build(spread: Spread = LOOSE) -> Scheduling:
        return Scheduling(await scheduling_database(), outbox, kit, spread)

    return build


# --- clock changes -------------------------------------------------------------

# Sunday is a working day in Israel (its weekend is Friday and Saturday): a
# person of that country on Paris or New York time can share on the Sunday
# of the change itself.
DST = [
    # Paris, 29 March 2026: 02:30 does not exist; the clocks went to 03:30 CEST.
    (
        "Europe/Paris",
        datetime(2026, 3, 28, 12, 0, tzinfo=UTC),
        "02:30-06:00",
        datetime(2026, 3, 29, 1, 30, tzinfo=UTC),
    ),
    # New York, 8 March 2026: 02:15 does not exist; 03:15 EDT.
    (
        "America/New_York",
        datetime(2026, 3, 7, 12, 0, tzinfo=UTC),
        "02:15-06:00",
        datetime(2026, 3, 8, 7, 15, tzinfo=UTC),
    ),
    # Paris, 25 October 2026: 02:30 happens twice; the first (CEST) only.
    (
        "Europe/Paris",
        datetime(2026, 10, 24, 12, 0, tzinfo=UTC),
        "02:30-02:45",
        datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
    ),
    # New York, 1 November 2026: 01:30 happens twice; the first (EDT) only.
    (
        "America/New_York",
        datetime(2026, 10, 31, 12, 0, tzinfo=UTC),
        "01:30-01:45",
        datetime(2026, 11, 1, 5, 30, tzinfo=UTC),
    ),
]


@pytest.mark.parametrize(("zone", "now", "hours", "expected"), DST)
async def test_auto_shares_on_a_clock_change(
    make: Make, zone: str, now: datetime, hours: str, expected: datetime
) -> None:
    s = await make()
    s.now = now
    await s.deliver(batch("p1", [member("e1", timezone=zone, country="IL", hours=hours)]))
    share = await s.share("p1", "e1")
    assert share.status is ShareStatus.SCHEDULED and share.planned
    assert share.due_at == expected


async def test_repeated_hour_gives_each_share_its_own_instant(make: Make) -> None:
    """Paris, 25 October 2026, sharing hours 02:00-03:00 local: two real
    hours that day. Shares 40 minutes apart land at 02:00 CEST, 02:40 CEST,
    then 02:20 CET (the second 02:00-03:00); never one instant twice."""
    s = await make(Spread(min_gap=timedelta(minutes=40), max_minute_share=1.0))
    s.now = datetime(2026, 10, 24, 12, 0, tzinfo=UTC)
    people = [member(f"e{i}", country="IL", hours="02:00-03:00") for i in range(4)]
    await s.deliver(batch("p1", people))
    slots = sorted([d for i in range(4) if (d := await s.due("p1", f"e{i}"))])
    assert slots == [
        datetime(2026, 10, 25, 0, 0, tzinfo=UTC),
        datetime(2026, 10, 25, 0, 40, tzinfo=UTC),
        datetime(2026, 10, 25, 1, 20, tzinfo=UTC),
        datetime(2026, 10, 26, 1, 0, tzinfo=UTC),  # 02:00 CET the next day: that hour is full
    ]


# --- public holidays ----------------------------------------------------------


async def test_public_holidays_of_the_employees_country(make: Make) -> None:
    s = await make()
    s.now = utc(PARIS, 2026, 7, 14, 8, 0)  # Bastille Day, a Tuesday
    await s.deliver(
        batch("p1", [member("fr"), member("es", timezone="Europe/Madrid", country="ES")])
    )
    assert await s.due("p1", "fr") == utc(PARIS, 2026, 7, 15, 0, 0)  # any time, the next day
    assert await s.due("p1", "es") == s.now  # not a holiday in Spain

    # 4 July 2026 is a Saturday: the United States observe it on Friday 3 July.
    s.now = utc(NEW_YORK, 2026, 7, 3, 10, 0)
    await s.deliver(batch("p2", [member("us", timezone="America/New_York", country="US")]))
    assert await s.due("p2", "us") == utc(NEW_YORK, 2026, 7, 6, 0, 0)  # Monday


async def test_public_holidays_of_the_employees_subdivision(make: Make) -> None:
    """Corpus Christi (Thursday 4 June 2026) is a holiday in Bavaria, not in
    Berlin nor Germany-wide; Patriots' Day (20 April) in Massachusetts only.
    The subdivision comes with the audience member, as targeting sends it."""
    s = await make()
    berlin = ZoneInfo("Europe/Berlin")
    s.now = utc(berlin, 2026, 6, 4, 8, 0)
    await s.deliver(
        batch(
            "p1",
            [
                member("by", timezone="Europe/Berlin", country="DE", subdivision="BY"),
                member("be", timezone="Europe/Berlin", country="DE", subdivision="BE"),
                member("de", timezone="Europe/Berlin", country="DE"),
            ],
        )
    )
    assert await s.due("p1", "by") == utc(berlin, 2026, 6, 5, 0, 0)
    assert await s.due("p1", "be") == s.now
    assert await s.due("p1", "de") == s.now
    assert (await s.share("p1", "by")).planning.subdivision == "BY"  # stored for replanning

    s.now = utc(NEW_YORK, 2026, 4, 20, 10, 0)  # a Monday
    await s.deliver(
        batch(
            "p2",
            [
                member("ma", timezone="America/New_York", country="US", subdivision="MA"),
                member("ny", timezone="America/New_York", country="US", subdivision="NY"),
                # A code the package does not know: the country's own days.
                member("xx", timezone="America/New_York", country="US", subdivision="ZZ"),
            ],
        )
    )
    assert await s.due("p2", "ma") == utc(NEW_YORK, 2026, 4, 21, 0, 0)
    assert await s.due("p2", "ny") == s.now
    assert await s.due("p2", "xx") == s.now


# --- sharing hours and the daily cap, across posts ---------------------------


async def test_hours_and_a_cap_of_one_across_two_posts(make: Make) -> None:
    s = await make()
    s.now = utc(PARIS, 2026, 6, 2, 7, 0)  # Tuesday, before their hours
    ana = member("ana", hours="09:00-18:00", cap=1)
    await s.deliver(batch("p1", [ana]))
    assert await s.due("p1", "ana") == utc(PARIS, 2026, 6, 2, 9, 0)
    # A second campaign's post the same day: the cap is reached; the next working day.
    await s.deliver(batch("p2", [ana]))
    assert await s.due("p2", "ana") == utc(PARIS, 2026, 6, 3, 9, 0)
    # A Friday post lands on Monday once Friday is taken.
    s.now = utc(PARIS, 2026, 6, 5, 10, 0)
    await s.deliver(batch("p3", [ana]))
    await s.deliver(batch("p4", [ana]))
    assert await s.due("p3", "ana") == s.now
    assert await s.due("p4", "ana") == utc(PARIS, 2026, 6, 8, 9, 0)


async def test_no_good_slot_leaves_a_suggestion(make: Make) -> None:
    s = await make()
    closes = s.now + timedelta(hours=1)
    people = [member("late", hours="20:00-21:00"), member("odd", hours="9 to 5")]
    await s.deliver(batch("p1", people, expires_at=closes))
    for person in ("late", "odd"):
        share = await s.share("p1", person)
        assert (share.status, share.due_at, share.auto_share) == (ShareStatus.SUGGESTED, None, True)
    assert await s.kit.outbox_rows(s.db, SCHEDULED) == []


# --- spread across batches ---------------------------------------------------


async def test_colleagues_are_spaced_across_audience_batches(make: Make) -> None:
    s = await make(Spread(min_gap=timedelta(minutes=10), max_minute_share=1.0))
    await s.deliver(batch("p1", [member("e1"), member("e2")], index=0, count=2))
    await s.deliver(
        batch("p1", [member("e3"), member("e4"), member("us", region="us-east")], index=1, count=2)
    )
    slots = sorted([d for i in range(1, 5) if (d := await s.due("p1", f"e{i}"))])
    assert slots == [s.now + timedelta(minutes=10 * i) for i in range(4)]
    assert await s.due("p1", "us") == s.now  # another region: not spaced from them
    # Another post is not spaced from this one.
    await s.deliver(batch("p2", [member("e5")]))
    assert await s.due("p2", "e5") == s.now


async def test_no_minute_holds_more_than_its_share_of_the_post_across_batches(
    make: Make,
) -> None:
    s = await make(Spread(min_gap=timedelta(0), max_minute_share=0.25))
    ids = [f"e{i:02}" for i in range(16)]
    for index in range(4):  # four batches of four, each in groups of its own
        people = [member(e, region=e) for e in ids[index * 4 : index * 4 + 4]]
        await s.deliver(batch("p1", people, index=index, count=4))
    per_minute = Counter([await s.due("p1", e) for e in ids])
    assert max(per_minute.values()) <= 4  # 25% of the post's 16 shares
    assert sum(per_minute.values()) == 16


# --- the post's window --------------------------------------------------------


async def test_valid_from_in_the_future_holds_now_and_auto_shares(make: Make) -> None:
    s = await make()
    opens, closes = s.now + timedelta(days=2, hours=2), s.now + timedelta(days=9)
    people = [member("auto"), member("picks", auto_share=False)]
    await s.deliver(batch("p1", people, valid_from=opens, expires_at=closes))
    assert await s.due("p1", "auto") == opens
    now = await s.schedule("p1", "picks", ShareMode.NOW)
    assert (now.status, now.due_at) == (ShareStatus.SCHEDULED, opens)

    for outside in (opens - timedelta(minutes=1), closes, closes + timedelta(hours=1)):
        with pytest.raises(InvalidArgument) as refused:
            await s.schedule("p1", "picks", ShareMode.AT, outside)
        assert refused.value.field == "at"
    inside = opens + timedelta(days=1)
    assert (await s.schedule("p1", "picks", ShareMode.AT, inside)).due_at == inside


# --- the employee's own next good slot --------------------------------------


async def test_next_good_slot_follows_hours_and_the_cap_and_counts_toward_it(
    make: Make,
) -> None:
    s = await make()
    s.now = utc(PARIS, 2026, 6, 2, 12, 0)  # Tuesday noon
    ben = member("ben", hours="14:00-16:00", cap=2, auto_share=False)
    for post in ("p1", "p2", "p3"):
        await s.deliver(batch(post, [ben]))
    first = await s.schedule("p1", "ben", ShareMode.NEXT_GOOD_SLOT)
    assert (first.status, first.due_at, first.planned) == (
        ShareStatus.SCHEDULED,
        utc(PARIS, 2026, 6, 2, 14, 0),
        True,
    )
    assert (await s.schedule("p2", "ben", ShareMode.NEXT_GOOD_SLOT)).due_at == first.due_at
    # Two on Tuesday: the cap; the third goes to Wednesday.
    third = await s.schedule("p3", "ben", ShareMode.NEXT_GOOD_SLOT)
    assert third.due_at == utc(PARIS, 2026, 6, 3, 14, 0)
    # Asking again does not count the share against itself.
    assert (await s.schedule("p3", "ben", ShareMode.NEXT_GOOD_SLOT)).due_at == third.due_at
    # Moved to a time they pick, then cancelled: both still work.
    moved = await s.schedule("p3", "ben", ShareMode.AT, s.now + timedelta(hours=1))
    assert (moved.due_at, moved.planned) == (s.now + timedelta(hours=1), False)
    cancelled = await s.use_cases.cancel_share(s.kit.employee("ben"), "t1", moved.share_id)
    assert cancelled.status is ShareStatus.CANCELLED
    assert MODE_FROM_PB[pb.SHARE_MODE_NEXT_GOOD_SLOT] is ShareMode.NEXT_GOOD_SLOT


# --- a new post version --------------------------------------------------------


async def test_a_new_version_keeps_a_good_slot_and_replans_one_no_longer_good(
    make: Make,
) -> None:
    s = await make()
    ana = [member("ana", hours="09:00-18:00")]
    await s.deliver(batch("p1", ana))
    planned = await s.due("p1", "ana")
    assert planned == utc(PARIS, 2026, 6, 2, 10, 0)
    announced = len(await s.kit.announced(s.db))

    s.now += timedelta(minutes=5)
    await s.deliver(batch("p1", ana, version=2))  # same window, same hours: still good
    share = await s.share("p1", "ana")
    assert (share.post_version, share.due_at) == (2, planned)
    assert len(await s.kit.announced(s.db)) == announced  # nothing new to say

    opens = utc(PARIS, 2026, 6, 4, 11, 0)
    await s.deliver(batch("p1", ana, version=3, valid_from=opens))  # the post now opens later
    share = await s.share("p1", "ana")
    assert (share.post_version, share.due_at, share.status) == (3, opens, ShareStatus.SCHEDULED)
    assert len(await s.kit.announced(s.db)) == announced + 1

    # A time the employee picked is theirs: a new version leaves it alone.
    picked = opens + timedelta(hours=3)
    await s.schedule("p1", "ana", ShareMode.AT, picked)
    await s.deliver(batch("p1", [member("ana", hours="06:00-07:00")], version=4, valid_from=opens))
    assert await s.due("p1", "ana") == picked

"""The best local hours learned from clicks, on a real database (SQLite and
PostgreSQL): metrics' LinkClicked through scheduling's real handler counted
once per click_id in the local hour its share went out, per region and
network; clicks scheduling cannot place skipped; another tenant's never
counted; GetBestHours' estimate, basis and bad input; and the planner moving
a new post's auto-shares to the learned best hour once there is enough data."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest
from chorus.metrics.v1 import metrics_events_pb2 as metrics
from chorus.targeting.v1 import targeting_events_pb2 as targeting
from chorus_core.errors import InvalidArgument, PermissionDenied
from chorus_core.ids import new_id
from chorus_db import Database
from chorus_identity.principal import Role, user
from chorus_messaging import Outbox
from scheduling_service.adapters.events import OutboxShareEvents
from scheduling_service.adapters.stores import SqlStores
from scheduling_service.app.engagement import Engagement
from scheduling_service.app.intake import ShareIntake
from scheduling_service.app.planning import SlotPlanner
from scheduling_service.app.use_cases import ScheduleRequest, SchedulingUseCases
from scheduling_service.domain.best_hours import MIN_CLICKS, PRIOR
from scheduling_service.domain.shares import (
    Planning,
    Share,
    ShareMode,
    ShareStatus,
    share_id_for,
)
from scheduling_service.domain.slots import Spread
from scheduling_service.entrypoints.kafka_handlers import audience_handler, click_handler

if TYPE_CHECKING:
    from tests.component.scheduling.conftest import SchedulingDatabase, SchedulingKit

PARIS = ZoneInfo("Europe/Paris")
LOOSE = Spread(min_gap=timedelta(0), max_minute_share=1.0)
TUESDAY = datetime(2026, 6, 2, 6, 0, tzinfo=UTC)  # 08:00 in Paris (CEST)


async def put(
    db: Database,
    tenant: str,
    post: str,
    employee: str,
    due_at: datetime | None,
    *,
    timezone: str = "Europe/Paris",
    region: str = "eu-west",
    network: str = "bluesky",
) -> str:
    """A share as scheduling stores it (due when it has a time)."""
    share = Share(
        share_id=share_id_for(tenant, post, employee, network),
        tenant_id=tenant,
        post_id=post,
        post_version=1,
        employee_id=employee,
        network=network,
        language="fr",
        country="FR",
        timezone=timezone,
        status=ShareStatus.DUE if due_at else ShareStatus.SUGGESTED,
        auto_share=True,
        due_at=due_at,
        created_at=TUESDAY,
        updated_at=TUESDAY,
        planning=Planning(region=region),
    )
    async with db.transaction() as transaction:
        await SqlStores().shares(transaction).add(share, None)
    return share.share_id


class Clicks:
    def __init__(self, db: Database, kit: SchedulingKit) -> None:
        self.db, self.kit = db, kit
        self.engagement = Engagement(db, SqlStores())
        self.handler = click_handler(self.engagement)

    async def click(self, tenant: str, share_id: str, click_id: str = "") -> None:
        """A LinkClicked as metrics emits it, each delivery its own ce_id."""
        event = metrics.LinkClicked(
            tenant_id=tenant,
            code="abc123",
            share_id=share_id,
            post_id="p1",
            employee_id="e1",
            country="FR",
            click_id=click_id or new_id(),
        )
        await self.handler(event, self.kit.context(self.db, event, tenant))

    async def hours(self, tenant: str, region: str, network: str = "bluesky") -> dict[int, int]:
        async with self.db.session() as session:
            return await SqlStores().engagement(session).clicks_by_hour(tenant, region, network)


@pytest.fixture
async def clicks(scheduling_database: SchedulingDatabase, kit: SchedulingKit) -> Clicks:
    return Clicks(await scheduling_database(), kit)


async def test_a_click_counts_once_in_the_local_hour_its_share_went_out(clicks: Clicks) -> None:
    db = clicks.db
    # 08:00 UTC is 10:00 in Paris and 04:00 in New York (summer time).
    paris = await put(db, "t1", "p1", "e1", datetime(2026, 6, 2, 8, 0, tzinfo=UTC))
    new_york = await put(
        db,
        "t1",
        "p1",
        "e2",
        datetime(2026, 6, 2, 8, 0, tzinfo=UTC),
        timezone="America/New_York",
        region="us-east",
    )
    linkedin = await put(
        db, "t1", "p1", "e1", datetime(2026, 6, 2, 15, 30, tzinfo=UTC), network="linkedin"
    )
    await clicks.click("t1", paris, "click-1")
    await clicks.click("t1", paris, "click-2")
    await clicks.click("t1", paris, "click-1")  # re-emitted under another ce_id
    await clicks.click("t1", new_york)
    await clicks.click("t1", linkedin)
    assert await clicks.hours("t1", "eu-west") == {10: 2}
    assert await clicks.hours("t1", "us-east") == {4: 1}
    assert await clicks.hours("t1", "eu-west", "linkedin") == {17: 1}


async def test_clicks_scheduling_cannot_place_are_skipped(clicks: Clicks) -> None:
    db = clicks.db
    suggested = await put(db, "t1", "p1", "e1", None)  # never timed
    mine = await put(db, "t1", "p2", "e1", datetime(2026, 6, 2, 8, 0, tzinfo=UTC))
    await clicks.click("t1", suggested)
    await clicks.click("t1", "no-such-share")
    # Tenant t2 naming t1's share: not t2's share, nothing counted anywhere.
    await clicks.click("t2", mine)
    assert await clicks.hours("t1", "eu-west") == {}
    assert await clicks.hours("t2", "eu-west") == {}
    # The same click id in two tenants is two clicks (the key is per tenant).
    theirs = await put(db, "t2", "p2", "e1", datetime(2026, 6, 2, 8, 0, tzinfo=UTC))
    await clicks.click("t1", mine, "same-id")
    await clicks.click("t2", theirs, "same-id")
    assert await clicks.hours("t1", "eu-west") == {10: 1} == await clicks.hours("t2", "eu-west")


async def test_best_hours_show_the_prior_then_the_data(clicks: Clicks, kit: SchedulingKit) -> None:
    uc = clicks.engagement
    prior = await uc.best_hours(kit.employee("e1"), "t1", "eu-west", "bluesky")
    assert prior.shares == pytest.approx(PRIOR) and prior.clicks == 0 and prior.prior_only
    assert prior.best() == [9, 10, 11]
    assert prior.basis == "prior: weekday mornings local time, 0 clicks"

    evening = await put(clicks.db, "t1", "p1", "e1", datetime(2026, 6, 2, 18, 0, tzinfo=UTC))
    for _ in range(3):
        await clicks.click("t1", evening)
    found = await uc.best_hours(kit.comms(), "t1", " eu-west ", "BlueSky")
    assert (found.region, found.network, found.clicks) == ("eu-west", "bluesky", 3)
    assert not found.prior_only and not found.enough_data
    assert found.shares[20] > prior.shares[20] and sum(found.shares) == pytest.approx(1)
    # Another tenant learns nothing from t1's clicks.
    assert (await uc.best_hours(kit.comms("t2"), "t2", "eu-west", "bluesky")).clicks == 0


BAD = [
    ("", "bluesky", "region"),
    ("  ", "bluesky", "region"),
    ("r" * 65, "bluesky", "region"),
    ("eu-west", "", "network"),
    ("eu-west", "myspace", "network"),
]


@pytest.mark.parametrize(("region", "network", "field"), BAD)
async def test_bad_input_names_the_field(
    clicks: Clicks, kit: SchedulingKit, region: str, network: str, field: str
) -> None:
    with pytest.raises(InvalidArgument) as refused:
        await clicks.engagement.best_hours(kit.comms(), "t1", region, network)
    assert refused.value.field == field


async def test_a_reviewer_is_refused(clicks: Clicks) -> None:
    reviewer = user("rev-1", "t1", Role.REVIEWER)
    with pytest.raises(PermissionDenied):
        await clicks.engagement.best_hours(reviewer, "t1", "eu-west", "bluesky")


def member(employee_id: str, auto_share: bool = True) -> targeting.AudienceMember:
    return targeting.AudienceMember(
        employee_id=employee_id,
        language="fr",
        timezone="Europe/Paris",
        country="FR",
        auto_share=auto_share,
        sharing_hours="08:00-20:00",
        home_region="eu-west",
    )


async def test_enough_clicks_move_a_new_posts_auto_shares_to_the_best_hour(
    clicks: Clicks, outbox: Outbox, kit: SchedulingKit
) -> None:
    db = clicks.db
    planner = SlotPlanner(LOOSE, hours=clicks.engagement)
    events = OutboxShareEvents(outbox)
    intake = ShareIntake(SqlStores(), events, planner, clock=lambda: TUESDAY)
    use_cases = SchedulingUseCases(db, SqlStores(), events, planner, clock=lambda: TUESDAY)

    async def resolved(post_id: str, employee_id: str, auto_share: bool = True) -> Share:
        batch = targeting.AudienceBatchResolved(
            tenant_id="t1",
            post_id=post_id,
            post_version=1,
            batch_index=0,
            batch_count=1,
            members=[member(employee_id, auto_share)],
        )
        await audience_handler(intake)(batch, kit.context(db, batch, "t1"))
        share_id = share_id_for("t1", post_id, employee_id, "bluesky")
        return await use_cases.get_share(kit.comms(), "t1", share_id)

    # No data: the prior's weekday morning, 09:00 Paris (it is 08:00 now).
    first = (await resolved("p1", "e1")).due_at
    assert first is not None and first.astimezone(PARIS) == datetime(2026, 6, 2, 9, 0, tzinfo=PARIS)
    # This region's audience clicks on what goes out at 15:00 local.
    afternoon = await put(db, "t1", "p0", "e9", datetime(2026, 5, 26, 13, 0, tzinfo=UTC))
    for _ in range(MIN_CLICKS):
        await clicks.click("t1", afternoon)
    at_three = datetime(2026, 6, 2, 15, 0, tzinfo=PARIS)
    due = (await resolved("p3", "e3")).due_at
    assert due is not None and due.astimezone(PARIS) == at_three
    # An employee's own "next good slot" follows the same estimate.
    suggestion = await resolved("p4", "e4", auto_share=False)
    assert suggestion.status is ShareStatus.SUGGESTED
    request = ScheduleRequest("t1", "p4", "e4", ShareMode.NEXT_GOOD_SLOT, None)
    mine = await use_cases.schedule_share(kit.employee("e4"), request)
    assert mine.due_at is not None and mine.due_at.astimezone(PARIS) == at_three
    # Another network of the region has learned nothing: no preference there.
    assert (await clicks.engagement.estimate("t1", "eu-west", "linkedin")).clicks == 0

"""The best local hours per region and network, learned from engagement:
each click metrics measures (LinkClicked) counted once in the local hour its
share went out, and the estimate domain/best_hours.py makes of those counts
(GetBestHours, and the planner's preferred hours)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from chorus_core.clock import utcnow
from chorus_core.errors import InvalidArgument, NotFound
from chorus_core.validation import require
from chorus_core.validation import tenant_id as valid_tenant
from chorus_db.ports import Transaction, UnitOfWork
from chorus_identity.policy import tenant_for
from chorus_identity.principal import Principal
from opentelemetry import trace

from scheduling_service.app import policy
from scheduling_service.app.ports import Stores
from scheduling_service.domain.best_hours import HourEstimate, estimate
from scheduling_service.domain.shares import network_name
from scheduling_service.domain.slots import zone_of

log = logging.getLogger(__name__)

MAX_REGION_LENGTH = 64  # the shares' region column


@dataclass(frozen=True)
class Click:
    """What scheduling needs of a LinkClicked: the share and the click's own id."""

    tenant_id: str
    share_id: str
    click_id: str


class Engagement:
    def __init__(
        self, db: UnitOfWork, stores: Stores, clock: Callable[[], datetime] = utcnow
    ) -> None:
        self.db = db
        self.stores = stores
        self.clock = clock

    async def count_click(self, transaction: Transaction, click: Click) -> bool:
        """In the event's transaction: one click more in the local hour the
        share went out (its due_at in its employee's timezone), for its
        region and network. False when nothing is counted: a click counted
        already, or one on a share this service cannot place (unknown here,
        never timed, or with a timezone it cannot read)."""
        if not click.click_id:
            return _skipped(click, "no click_id: it could not be counted once")
        try:
            share = await self.stores.shares(transaction).get(click.tenant_id, click.share_id)
        except NotFound:
            return _skipped(click, "a share this service does not know")
        if share.due_at is None:
            return _skipped(click, "a share without a due time")
        try:
            hour = share.due_at.astimezone(zone_of(share.timezone)).hour
        except InvalidArgument:
            return _skipped(click, "a share whose timezone cannot be read")
        return await self.stores.engagement(transaction).count_click(
            click.tenant_id,
            click.click_id,
            share.planning.region,
            share.network,
            hour,
            self.clock(),
        )

    async def estimate(self, tenant_id: str, region: str, network: str) -> HourEstimate:
        """The estimate for one region and network of a tenant (no checks:
        the planner's, on values its own shares carry)."""
        async with self.db.session() as session:
            clicks = await self.stores.engagement(session).clicks_by_hour(
                tenant_id, region, network
            )
        return estimate(region, network, clicks)

    async def best_hours(
        self, actor: Principal, tenant_id: str, region: str, network: str
    ) -> HourEstimate:
        """GetBestHours: the estimate and its data count."""
        tenant_id = valid_tenant(tenant_for(actor, tenant_id))
        policy.require_aggregate_reader(actor)
        region = require("region", region).strip()
        if len(region) > MAX_REGION_LENGTH:
            raise InvalidArgument("region", f"is longer than {MAX_REGION_LENGTH} characters")
        network = network_name("network", require("network", network))
        trace.get_current_span().set_attribute("chorus.tenant_id", tenant_id)
        return await self.estimate(tenant_id, region, network)


def _skipped(click: Click, why: str) -> bool:
    # Opaque ids only: the click's sharer and visitor are not named.
    log.info(
        "click not counted toward the best hours: %s",
        why,
        extra={"chorus": {"tenant_id": click.tenant_id, "share_id": click.share_id}},
    )
    return False

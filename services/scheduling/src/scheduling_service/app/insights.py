"""Aggregate reads over the tenant's shares for the comms team: the share
volume per day (content's editorial calendar). Read-only: one session, no
events."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from chorus_core.settings import DEFAULT_REGION
from chorus_core.validation import tenant_id as valid_tenant
from chorus_db.ports import UnitOfWork
from chorus_identity.policy import tenant_for
from chorus_identity.principal import Principal
from opentelemetry import trace

from scheduling_service.app import policy
from scheduling_service.app.ports import Stores
from scheduling_service.domain.volume import DayVolume, volume_query


class ShareInsights:
    def __init__(self, db: UnitOfWork, stores: Stores, region: str = DEFAULT_REGION) -> None:
        self.db = db
        self.stores = stores
        # The deployment's region (CHORUS_REGION): its shares are those of
        # this region's employees, which the calendar says next to the numbers.
        self.region = region

    async def share_volume(
        self,
        actor: Principal,
        tenant_id: str,
        post_ids: Sequence[str],
        since: datetime | None,
        until: datetime | None,
        region: str = "",
    ) -> list[DayVolume]:
        tenant_id = valid_tenant(tenant_for(actor, tenant_id))
        policy.require_tenant_reader(actor)
        query = volume_query(post_ids, since, until, region)
        trace.get_current_span().set_attribute("chorus.tenant_id", tenant_id)
        async with self.db.session() as session:
            return await self.stores.volumes(session).day_volumes(tenant_id, query)

"""Employee actions on shares (gRPC): each one transaction, events through the outbox."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from chorus_core.clock import utcnow
from chorus_core.errors import FailedPrecondition, InvalidArgument
from chorus_core.validation import require
from chorus_core.validation import tenant_id as valid_tenant
from chorus_db import Database
from chorus_messaging import Outbox
from chorus_messaging.topics import SHARES_SCHEDULED
from chorus_telemetry.propagation import capture
from opentelemetry import trace
from sqlalchemy.ext.asyncio import AsyncSession

from scheduling_service.adapters.messages import share_scheduled
from scheduling_service.adapters.repository import RequestRepository, ShareRepository
from scheduling_service.domain.shares import (
    Share,
    ShareMode,
    ShareStatus,
    due_time,
    network_name,
    share_id_for,
)

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000


@dataclass(frozen=True)
class ScheduleRequest:
    tenant_id: str
    post_id: str
    employee_id: str
    mode: ShareMode | None
    at: datetime | None
    network: str = ""
    request_id: str = ""


def _tag(share_id: str, tenant_id: str, post_id: str = "") -> None:
    span = trace.get_current_span()
    span.set_attribute("chorus.tenant_id", tenant_id)
    span.set_attribute("chorus.share_id", share_id)
    if post_id:
        span.set_attribute("chorus.post_id", post_id)


class SchedulingUseCases:
    def __init__(self, db: Database, outbox: Outbox) -> None:
        self.db = db
        self.outbox = outbox

    async def schedule_share(self, request: ScheduleRequest) -> Share:
        valid_tenant(request.tenant_id)
        require("post_id", request.post_id)
        require("employee_id", request.employee_id)
        network = network_name("network", request.network)
        now = utcnow()
        due_at = due_time(request.mode, request.at, now)
        share_id = share_id_for(request.tenant_id, request.post_id, request.employee_id, network)
        _tag(share_id, request.tenant_id, request.post_id)
        async with self.db.transaction() as session:
            shares = ShareRepository(session)
            replay = await self._replay(
                session, request.tenant_id, request.request_id, "schedule", share_id
            )
            if replay is not None:
                return replay
            before = await shares.get(request.tenant_id, share_id, for_update=True)
            after = before.schedule(due_at, now)
            if after is before:
                return before  # already due: a retry, or too late; either way it is on its way
            if not await shares.update(before, after, capture()):
                return await self._lost_race(
                    shares, before, lambda current: current.schedule(due_at, now)
                )
            self.outbox.add(
                session,
                topic=SHARES_SCHEDULED,
                key=share_id,
                tenant_id=request.tenant_id,
                event=share_scheduled(after),
            )
            await self._remember(
                session, request.tenant_id, request.request_id, "schedule", share_id, now
            )
        return after

    async def cancel_share(self, tenant_id: str, share_id: str, request_id: str = "") -> Share:
        valid_tenant(tenant_id)
        require("share_id", share_id)
        _tag(share_id, tenant_id)
        now = utcnow()
        async with self.db.transaction() as session:
            shares = ShareRepository(session)
            replay = await self._replay(session, tenant_id, request_id, "cancel", share_id)
            if replay is not None:
                return replay
            before = await shares.get(tenant_id, share_id, for_update=True)
            after = before.cancel(now)
            if after is before:
                return before
            if not await shares.update(before, after, None):
                return await self._lost_race(shares, before, lambda current: current.cancel(now))
            await self._remember(session, tenant_id, request_id, "cancel", share_id, now)
        return after

    async def get_share(self, tenant_id: str, share_id: str) -> Share:
        valid_tenant(tenant_id)
        require("share_id", share_id)
        async with self.db.session() as session:
            return await ShareRepository(session).get(tenant_id, share_id)

    async def list_shares(
        self,
        tenant_id: str,
        *,
        post_id: str = "",
        employee_id: str = "",
        status: ShareStatus | None = None,
        page_size: int = 0,
        page_token: str = "",
    ) -> tuple[list[Share], str]:
        valid_tenant(tenant_id)
        if page_size < 0 or page_size > MAX_PAGE_SIZE:
            raise InvalidArgument("page_size", f"must be between 0 and {MAX_PAGE_SIZE}")
        limit = page_size or DEFAULT_PAGE_SIZE
        async with self.db.session() as session:
            page = await ShareRepository(session).page(
                tenant_id,
                post_id=post_id,
                employee_id=employee_id,
                status=status,
                limit=limit,
                after_id=page_token,
            )
        return page, (page[-1].share_id if len(page) == limit else "")

    async def _replay(
        self, session: AsyncSession, tenant_id: str, request_id: str, operation: str, share_id: str
    ) -> Share | None:
        """A request_id seen before: the change was applied; answer with the share as it is now."""
        if not request_id:
            return None
        seen = await RequestRepository(session).find(tenant_id, request_id)
        if seen is None:
            return None
        if seen.operation != operation or seen.share_id != share_id:
            raise InvalidArgument("request_id", "was already used for a different request")
        return await ShareRepository(session).get(tenant_id, share_id)

    async def _remember(
        self,
        session: AsyncSession,
        tenant_id: str,
        request_id: str,
        operation: str,
        share_id: str,
        now: datetime,
    ) -> None:
        if request_id:
            await RequestRepository(session).add(tenant_id, request_id, operation, share_id, now)

    async def _lost_race(
        self, shares: ShareRepository, before: Share, action: Callable[[Share], Share]
    ) -> Share:
        """Someone (the timer, another request) changed the share between our
        read and our write. Apply the rule to what it is now: a no-op answer
        (already due, already cancelled) is returned; anything else is refused
        rather than silently overwriting the other change."""
        current = await shares.get(before.tenant_id, before.share_id)
        after = action(current)  # raises FailedPrecondition for a forbidden state
        if after is current:
            return current
        raise FailedPrecondition(
            f"share changed to {current.status.value} while this request ran; retry"
        )

"""Employee actions on shares (gRPC): each one transaction, events through the outbox."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from chorus_core.clock import utcnow
from chorus_core.errors import FailedPrecondition, InvalidArgument, Unavailable
from chorus_core.validation import require
from chorus_core.validation import tenant_id as valid_tenant
from chorus_db.ports import Transaction, UnitOfWork
from chorus_identity.policy import tenant_for
from chorus_identity.principal import Principal
from chorus_telemetry.propagation import capture
from opentelemetry import trace

from scheduling_service.app import policy
from scheduling_service.app.planning import SlotPlanner
from scheduling_service.app.ports import CharterCheck, ShareEvents, ShareStore, Stores
from scheduling_service.domain.personal import chosen_variant, edited_text, refusal
from scheduling_service.domain.shares import (
    Share,
    ShareMode,
    ShareStatus,
    due_time,
    network_name,
    requested_time,
    share_id_for,
)

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000


@dataclass(frozen=True)
class ScheduleRequest:
    """tenant_id and employee_id as the request names them (empty = the
    caller's own); the policy checks them against the caller."""

    tenant_id: str
    post_id: str
    employee_id: str
    mode: ShareMode | None
    at: datetime | None
    network: str = ""
    request_id: str = ""
    # Personalisation (domain/personal.py); None = as the share has it.
    variant: int | None = None
    text: str | None = None

    @property
    def personal(self) -> bool:
        return self.variant is not None or self.text is not None


def _tag(share_id: str, tenant_id: str, post_id: str = "") -> None:
    span = trace.get_current_span()
    span.set_attribute("chorus.tenant_id", tenant_id)
    span.set_attribute("chorus.share_id", share_id)
    if post_id:
        span.set_attribute("chorus.post_id", post_id)


class SchedulingUseCases:
    def __init__(
        self,
        db: UnitOfWork,
        stores: Stores,
        events: ShareEvents,
        planner: SlotPlanner | None = None,
        clock: Callable[[], datetime] = utcnow,
        charter: CharterCheck | None = None,
    ) -> None:
        self.db = db
        self.stores = stores
        self.events = events
        self.planner = planner or SlotPlanner()
        self.clock = clock  # the next good slot depends on the day it is: tests name it
        self.charter = charter  # content's, for an employee's own text (main.py wires it)

    async def schedule_share(self, actor: Principal, request: ScheduleRequest) -> Share:
        tenant = valid_tenant(tenant_for(actor, request.tenant_id))
        employee_id = policy.own_employee(actor, request.employee_id)
        require("post_id", request.post_id)
        network = network_name("network", request.network)
        now = self.clock()
        requested = requested_time(request.mode, request.at, now)  # None: the next good slot
        share_id = share_id_for(tenant, request.post_id, employee_id, network)
        _tag(share_id, tenant, request.post_id)
        text = edited_text(request.text) if request.text is not None else None
        checked: Share | None = None
        if request.personal:
            # Before the transaction: content's check is a network call, and
            # must not hold the share's row (nor the database) while it runs.
            async with self.db.session() as session:
                replay = await self._replay(
                    session, tenant, request.request_id, "schedule", share_id
                )
                if replay is not None:
                    return replay  # applied before: not checked (nor refused) again
                checked = await self.stores.shares(session).get(tenant, share_id)
                translation = await self.stores.translations(session).get(
                    tenant, checked.post_id, checked.post_version, checked.language
                )
            if request.variant is not None:
                chosen_variant(request.variant, translation, checked)
            if text:
                await self._check_text(tenant, checked, text)
        async with self.db.transaction() as transaction:
            shares = self.stores.shares(transaction)
            replay = await self._replay(
                transaction, tenant, request.request_id, "schedule", share_id
            )
            if replay is not None:
                return replay
            before = await shares.get(tenant, share_id, for_update=True)
            if checked is not None and (checked.post_version, checked.language) != (
                before.post_version,
                before.language,
            ):
                raise FailedPrecondition(
                    "the share moved to a new version of the post while its text was checked; retry"
                )
            personal = before.personalised(request.variant, text, now)
            if requested is None:
                planned = before.is_open  # a due or cancelled share answers as schedule() does
                due_at = await self.planner.next_slot(shares, before, now) if planned else now
            else:
                assert request.mode is not None  # requested_time refuses no mode
                planned, due_at = False, due_time(request.mode, requested, before.planning.window)
            after = personal.schedule(due_at, now, planned=planned)
            if after is before:
                return before  # already due: a retry, or too late; either way it is on its way
            if not await shares.update(before, after, capture()):
                return await self._lost_race(
                    shares,
                    before,
                    lambda current: current.personalised(request.variant, text, now).schedule(
                        due_at, now, planned=planned
                    ),
                )
            self.events.scheduled(transaction, [after])
            await self._remember(transaction, tenant, request.request_id, "schedule", share_id, now)
        return after

    async def _check_text(self, tenant_id: str, share: Share, text: str) -> None:
        """The employee's own text against the charter in the share's
        language (content's check, with their token); a refusal names the
        rule and nothing is saved."""
        if self.charter is None:
            raise Unavailable("text: no charter check is configured to accept an edited text")
        findings = await self.charter.check_text(tenant_id, share.network, share.language, text)
        refused = refusal(findings, share.network)
        if refused is not None:
            raise refused

    async def cancel_share(
        self, actor: Principal, tenant_id: str, share_id: str, request_id: str = ""
    ) -> Share:
        tenant_id = valid_tenant(tenant_for(actor, tenant_id))
        policy.own_employee(actor)
        require("share_id", share_id)
        _tag(share_id, tenant_id)
        now = self.clock()
        async with self.db.transaction() as transaction:
            shares = self.stores.shares(transaction)
            before = await shares.get(tenant_id, share_id, for_update=True)
            # Ownership before the replay, so a request id cannot reveal
            # someone else's share either.
            policy.require_own(actor, before)
            replay = await self._replay(transaction, tenant_id, request_id, "cancel", share_id)
            if replay is not None:
                return replay
            after = before.cancel(now)
            if after is before:
                return before
            if not await shares.update(before, after, None):
                return await self._lost_race(shares, before, lambda current: current.cancel(now))
            await self._remember(transaction, tenant_id, request_id, "cancel", share_id, now)
        return after

    async def get_share(self, actor: Principal, tenant_id: str, share_id: str) -> Share:
        tenant_id = valid_tenant(tenant_for(actor, tenant_id))
        require("share_id", share_id)
        async with self.db.session() as transaction:
            share = await self.stores.shares(transaction).get(tenant_id, share_id)
        policy.require_readable(actor, share)
        return share

    async def list_shares(
        self,
        actor: Principal,
        tenant_id: str,
        *,
        post_id: str = "",
        employee_id: str = "",
        status: ShareStatus | None = None,
        page_size: int = 0,
        page_token: str = "",
    ) -> tuple[list[Share], str]:
        tenant_id = valid_tenant(tenant_for(actor, tenant_id))
        employee_id = policy.list_filter(actor, employee_id)
        if page_size < 0 or page_size > MAX_PAGE_SIZE:
            raise InvalidArgument("page_size", f"must be between 0 and {MAX_PAGE_SIZE}")
        limit = page_size or DEFAULT_PAGE_SIZE
        async with self.db.session() as transaction:
            page = await self.stores.shares(transaction).page(
                tenant_id,
                post_id=post_id,
                employee_id=employee_id,
                status=status,
                limit=limit,
                after_id=page_token,
            )
        return page, (page[-1].share_id if len(page) == limit else "")

    async def _replay(
        self,
        transaction: Transaction,
        tenant_id: str,
        request_id: str,
        operation: str,
        share_id: str,
    ) -> Share | None:
        """A request_id seen before: the change was applied; answer with the share as it is now."""
        if not request_id:
            return None
        seen = await self.stores.requests(transaction).find(tenant_id, request_id)
        if seen is None:
            return None
        if seen.operation != operation or seen.share_id != share_id:
            raise InvalidArgument("request_id", "was already used for a different request")
        return await self.stores.shares(transaction).get(tenant_id, share_id)

    async def _remember(
        self,
        transaction: Transaction,
        tenant_id: str,
        request_id: str,
        operation: str,
        share_id: str,
        now: datetime,
    ) -> None:
        if request_id:
            requests = self.stores.requests(transaction)
            await requests.add(tenant_id, request_id, operation, share_id, now)

    async def _lost_race(
        self, shares: ShareStore, before: Share, action: Callable[[Share], Share]
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

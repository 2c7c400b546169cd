"""What scheduling learns from other services' events: the audience of a post
(one share per member) and the texts translation delivers.

These run inside the event handler's transaction (ctx.transaction()), so the
effects and the inbox row commit together and a redelivery changes nothing."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from chorus_core.clock import utcnow
from chorus_core.errors import PermanentError
from chorus_db.ports import Transaction
from chorus_telemetry.propagation import TraceCarrier, capture, sampled_for
from opentelemetry import trace

from scheduling_service.app.planning import SlotPlanner
from scheduling_service.app.ports import ShareEvents, ShareStore, Stores
from scheduling_service.domain.shares import DEFAULT_NETWORK, Planning, Share, ShareStatus
from scheduling_service.domain.translations import Translation

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Member:
    employee_id: str
    language: str
    country: str
    timezone: str
    auto_share: bool
    sharing_hours: str = ""  # "HH:MM-HH:MM" local; empty = any time
    max_shares_per_day: int = 0  # 0 = no limit
    home_region: str = ""
    subdivision: str = ""  # ISO 3166-2 after the dash; empty = not known


@dataclass(frozen=True)
class AudienceBatch:
    tenant_id: str
    post_id: str
    post_version: int
    members: tuple[Member, ...]
    valid_from: datetime | None = None  # None: from now
    expires_at: datetime | None = None  # None: never
    campaign_id: str = ""


class ShareIntake:
    def __init__(
        self,
        stores: Stores,
        events: ShareEvents,
        planner: SlotPlanner | None = None,
        clock: Callable[[], datetime] = utcnow,
        traced: float = 1.0,
    ) -> None:
        """`traced`: the fraction of a batch's shares whose journey (due,
        published, points, metrics) is recorded in the campaign's trace
        (chorus_telemetry.propagation.sampled_for); every one by default."""
        if not 0.0 <= traced <= 1.0:
            raise ValueError("traced must be a fraction, 0 to 1")
        self.traced = traced
        self.stores = stores
        self.events = events
        self.planner = planner or SlotPlanner()
        # Slots depend on the day it is (weekends, holidays, clock changes):
        # tests name the day.
        self.clock = clock

    async def apply_audience(self, transaction: Transaction, batch: AudienceBatch) -> int:
        """One share per member (the audience event names no network yet, so
        the default one), auto-share members in their next good slot;
        returns how many shares were created or changed."""
        if not batch.tenant_id or not batch.post_id:
            raise PermanentError("audience batch without tenant_id or post_id")
        span = trace.get_current_span()
        span.set_attribute("chorus.tenant_id", batch.tenant_id)
        span.set_attribute("chorus.post_id", batch.post_id)
        if batch.campaign_id:
            span.set_attribute("chorus.campaign_id", batch.campaign_id)
        if (
            batch.valid_from is not None
            and batch.expires_at is not None
            and batch.expires_at <= batch.valid_from
        ):
            raise PermanentError("audience batch whose expires_at is not after valid_from")
        now = self.clock()
        wanted: dict[str, Share] = {}
        skipped = 0
        for m in batch.members:
            if not m.employee_id or not m.language:
                skipped += 1  # cannot be shared to nobody or in no language; the rest still go
                continue
            share = Share.for_member(
                tenant_id=batch.tenant_id,
                post_id=batch.post_id,
                post_version=batch.post_version,
                employee_id=m.employee_id,
                network=DEFAULT_NETWORK,
                language=m.language,
                country=m.country,
                timezone=m.timezone,
                auto_share=m.auto_share,
                now=now,
                planning=Planning(
                    valid_from=batch.valid_from,
                    expires_at=batch.expires_at,
                    sharing_hours=m.sharing_hours,
                    daily_cap=m.max_shares_per_day,
                    region=m.home_region,
                    subdivision=m.subdivision,
                ),
            )
            wanted[share.share_id] = share
        if skipped:
            log.warning(
                "audience members without employee id or language skipped",
                extra={
                    "chorus": {
                        "tenant_id": batch.tenant_id,
                        "post_id": batch.post_id,
                        "skipped": skipped,
                    }
                },
            )
        shares = self.stores.shares(transaction)
        existing = await shares.existing(batch.tenant_id, list(wanted)) if wanted else {}
        changes, unplanned = await self._planned(shares, wanted, existing, now)
        if unplanned:
            # Counts only: who they are is personal data.
            log.info(
                "auto-share members without a good slot left as suggestions",
                extra={
                    "chorus": {
                        "tenant_id": batch.tenant_id,
                        "post_id": batch.post_id,
                        "unplanned": unplanned,
                    }
                },
            )
        context = capture()
        changed = 0
        new: list[tuple[Share, TraceCarrier | None]] = []
        announced: list[Share] = []
        for before, after in changes:
            scheduled = after.status is ShareStatus.SCHEDULED and (
                before is None
                or before.status is not ShareStatus.SCHEDULED
                or before.due_at != after.due_at
            )
            carrier = sampled_for(context, after.share_id, self.traced) if scheduled else None
            if before is None:
                new.append((after, carrier))
            elif not await shares.update(before, after, carrier):
                continue  # the timer fired it meanwhile: it is due, nothing to change
            changed += 1
            if scheduled:
                announced.append(after)
        await shares.add_all(new)
        if announced:
            self.events.scheduled(transaction, announced)
        return changed

    async def _planned(
        self,
        shares: ShareStore,
        wanted: dict[str, Share],
        existing: dict[str, Share],
        now: datetime,
    ) -> tuple[list[tuple[Share | None, Share]], int]:
        """(before, after) for every share to write, and how many auto-shares
        found no good slot. New auto-shares, and open ones of a new version
        whose planned slot is no longer good, go through the planner
        together, so the post's spread holds over them."""
        changes: list[tuple[Share | None, Share]] = []
        for share_id, share in wanted.items():
            before = existing.get(share_id)
            after = share if before is None else before.for_new_version(share, now)
            if before is None or after is not before:
                changes.append((before, after))
        following = [after for _, after in changes if after.follows_planner]
        kept = await self.planner.still_good(
            shares, [s for s in following if s.status is ShareStatus.SCHEDULED], now
        )
        to_plan = [s for s in following if s.share_id not in kept]
        slots = await self.planner.plan_post(shares, to_plan, now)
        planned = [
            (before, after.planned_at(slots[after.share_id], now))
            if after.share_id in slots
            else (before, after)
            for before, after in changes
        ]
        return planned, sum(1 for slot in slots.values() if slot is None)

    async def apply_translation(self, transaction: Transaction, translation: Translation) -> None:
        if not (translation.tenant_id and translation.post_id and translation.language):
            raise PermanentError("translation without tenant_id, post_id or language")
        span = trace.get_current_span()
        span.set_attribute("chorus.tenant_id", translation.tenant_id)
        span.set_attribute("chorus.post_id", translation.post_id)
        await self.stores.translations(transaction).save(translation, self.clock())

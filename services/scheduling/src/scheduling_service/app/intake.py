"""What scheduling learns from other services' events: the audience of a post
(one share per member) and the texts translation delivers.

These run inside the event handler's transaction (ctx.transaction()), so the
effects and the inbox row commit together and a redelivery changes nothing."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from chorus_core.clock import utcnow
from chorus_core.errors import PermanentError
from chorus_db.ports import Transaction
from chorus_telemetry.propagation import capture
from opentelemetry import trace

from scheduling_service.app.ports import ShareEvents, Stores
from scheduling_service.domain.shares import DEFAULT_NETWORK, Share, ShareStatus
from scheduling_service.domain.translations import Translation

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Member:
    employee_id: str
    language: str
    country: str
    timezone: str
    auto_share: bool


@dataclass(frozen=True)
class AudienceBatch:
    tenant_id: str
    post_id: str
    post_version: int
    members: tuple[Member, ...]


class ShareIntake:
    def __init__(self, stores: Stores, events: ShareEvents) -> None:
        self.stores = stores
        self.events = events

    async def apply_audience(self, transaction: Transaction, batch: AudienceBatch) -> int:
        """One share per member (the audience event names no network yet, so
        the default one); returns how many shares were created or changed."""
        if not batch.tenant_id or not batch.post_id:
            raise PermanentError("audience batch without tenant_id or post_id")
        span = trace.get_current_span()
        span.set_attribute("chorus.tenant_id", batch.tenant_id)
        span.set_attribute("chorus.post_id", batch.post_id)
        now = utcnow()
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
        context = capture()
        changed = 0
        for share_id, share in wanted.items():
            before = existing.get(share_id)
            if before is None:
                scheduled = share.status is ShareStatus.SCHEDULED
                await shares.add(share, context if scheduled else None)
                after = share
            else:
                after = before.for_new_version(share, now)
                if after is before:
                    continue
                scheduled = (
                    after.status is ShareStatus.SCHEDULED
                    and before.status is not ShareStatus.SCHEDULED
                )
                if not await shares.update(before, after, context if scheduled else None):
                    continue  # the timer fired it meanwhile: it is due, nothing to change
            changed += 1
            if scheduled:
                self.events.scheduled(transaction, after)
        return changed

    async def apply_translation(self, transaction: Transaction, translation: Translation) -> None:
        if not (translation.tenant_id and translation.post_id and translation.language):
            raise PermanentError("translation without tenant_id, post_id or language")
        span = trace.get_current_span()
        span.set_attribute("chorus.tenant_id", translation.tenant_id)
        span.set_attribute("chorus.post_id", translation.post_id)
        await self.stores.translations(transaction).save(translation, utcnow())

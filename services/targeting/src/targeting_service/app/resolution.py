"""Resolving the audience of an approved post into events.

Runs inside the caller's transaction (the Kafka handler's, which also holds
the inbox row), so the resolution record, every batch and the summary commit
together or not at all.
"""

from __future__ import annotations

import logging
from collections import Counter
from contextlib import aclosing
from dataclasses import dataclass

from chorus_core.clock import utcnow
from chorus_core.errors import InvalidArgument
from chorus_core.validation import language_code, require
from chorus_db.ports import Transaction
from opentelemetry import trace

from targeting_service.app.ports import AudienceEvents, Stores
from targeting_service.domain.audience import (
    MAX_BATCH,
    AudienceCounts,
    AudienceRule,
    Delivery,
    batch_count,
)
from targeting_service.domain.channels import channel_scope
from targeting_service.domain.segments import parse_segment

log = logging.getLogger(__name__)


class AudienceChanged(Exception):
    """The directory changed between counting and listing (a concurrent
    import on PostgreSQL): retried, so the summary always matches the batches."""


@dataclass(frozen=True)
class ApprovedPost:
    tenant_id: str
    post_id: str
    version: int
    source_language: str
    countries: tuple[str, ...]
    departments: tuple[str, ...]
    segment_id: str = ""
    channel_ids: tuple[str, ...] = ()
    delivery: Delivery = Delivery()
    # A campaign's post: the regions serving it (empty = every region), and
    # held while its campaign has not started (no audience yet).
    regions: tuple[str, ...] = ()
    held: bool = False


class AudienceResolution:
    """Resolves an approved post's audience in the caller's transaction."""

    def __init__(self, stores: Stores, events: AudienceEvents, region: str) -> None:
        self.stores = stores
        self.events = events
        self.region = region

    async def resolve(self, transaction: Transaction, post: ApprovedPost) -> AudienceCounts | None:
        """Writes the batches and the summary; None if this version (in this
        campaign round) was already resolved, so nothing is written twice, or
        if there is no audience here (held, another region's campaign).

        A campaign round resolves the whole audience of its phase again, the
        pilot's members included when it widens: scheduling derives a share's
        id from (post, employee, network), so they get no second share."""
        require("post.post_id", post.post_id)
        if post.version < 1:
            raise InvalidArgument("post.version", f"{post.version} is not a version number")
        language_code("post.source_language", post.source_language)
        base = AudienceRule.of(self.region, post.countries, post.departments)
        span = trace.get_current_span()
        span.set_attribute("chorus.tenant_id", post.tenant_id)
        span.set_attribute("chorus.post_id", post.post_id)

        where = {"tenant_id": post.tenant_id, "post_id": post.post_id, "version": post.version}
        if post.held:
            log.info("audience held: the post's campaign has not started", extra={"chorus": where})
            return None
        if post.regions and self.region not in post.regions:
            log.info("audience not here: the campaign is another region's", extra={"chorus": where})
            return None
        round = post.delivery.round
        resolutions = self.stores.resolutions(transaction)
        if await resolutions.exists(post.tenant_id, post.post_id, post.version, round):
            log.info(
                "audience already resolved for this version",
                extra={"chorus": {**where, "round": round}},
            )
            return None
        rule, segment_version = await self._post_rule(transaction, base, post)
        employees = self.stores.employees(transaction)
        counts = await employees.audience_counts(post.tenant_id, rule)
        batches = batch_count(counts.total)
        await resolutions.add(
            post.tenant_id,
            post.post_id,
            post.version,
            counts.total,
            batches,
            utcnow(),
            segment_id=post.segment_id,
            segment_version=segment_version,
            channel_ids=post.channel_ids,
            round=round,
        )

        seen: Counter[tuple[str, str]] = Counter()
        # One streamed read for every batch (see EmployeeStore.audience_pages).
        async with aclosing(employees.audience_pages(post.tenant_id, rule, MAX_BATCH)) as pages:
            index = -1
            async for members in pages:
                index += 1
                if index >= batches:
                    raise AudienceChanged(post.post_id)  # more members than counted
                seen.update((m.country, m.language) for m in members)
                self.events.batch(
                    transaction,
                    post.tenant_id,
                    post.post_id,
                    post.version,
                    index,
                    batches,
                    members,
                    post.delivery,
                )
        if AudienceCounts.from_groups((c, lang, n) for (c, lang), n in seen.items()) != counts:
            raise AudienceChanged(post.post_id)
        self.events.summary(
            transaction,
            post.tenant_id,
            post.post_id,
            post.version,
            post.source_language,
            counts,
            post.segment_id,
            segment_version,
        )
        log.info(
            "audience resolved",
            extra={
                "chorus": {
                    "tenant_id": post.tenant_id,
                    "post_id": post.post_id,
                    "version": post.version,
                    "total": counts.total,
                    "batches": batches,
                    "segment_id": post.segment_id,
                    "segment_version": segment_version,
                }
            },
        )
        return counts

    async def _post_rule(
        self, transaction: Transaction, base: AudienceRule, post: ApprovedPost
    ) -> tuple[AudienceRule, int]:
        """The post's countries/departments narrowed by its saved segment (the
        version current now, at approval: later edits of the segment do not
        change an audience already resolved) and its channels. Returns the
        rule and the segment version used (0 = no segment). An unknown
        segment or channel is NotFound: a permanent error, so the event goes
        to the DLQ rather than reaching a wider audience than the author chose."""
        tree, version = None, 0
        if post.segment_id:
            saved = await self.stores.segments(transaction).get(post.tenant_id, post.segment_id)
            tree, version = parse_segment(saved.rule), saved.version
        scope = None
        if post.channel_ids:
            channels = await self.stores.channels(transaction).many(
                post.tenant_id, list(dict.fromkeys(post.channel_ids))
            )
            scope = channel_scope(channels, base.region)
        rule = AudienceRule(base.region, base.countries, base.departments, tree, scope)
        return rule, version

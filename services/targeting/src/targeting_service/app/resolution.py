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
from chorus_messaging import Outbox
from chorus_messaging.topics import AUDIENCE
from opentelemetry import trace
from sqlalchemy.ext.asyncio import AsyncSession

from targeting_service.adapters.channel_repository import ChannelRepository, SegmentRepository
from targeting_service.adapters.messages import batch_event, summary_event
from targeting_service.adapters.repository import EmployeeRepository, ResolutionRepository
from targeting_service.domain.audience import (
    MAX_BATCH,
    AudienceCounts,
    AudienceRule,
    batch_count,
    batch_id,
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


async def resolve_audience(
    session: AsyncSession, outbox: Outbox, region: str, post: ApprovedPost
) -> AudienceCounts | None:
    """Writes the batches and the summary; None if this version was already
    resolved (nothing is written twice)."""
    require("post.post_id", post.post_id)
    if post.version < 1:
        raise InvalidArgument("post.version", f"{post.version} is not a version number")
    language_code("post.source_language", post.source_language)
    base = AudienceRule.of(region, post.countries, post.departments)
    span = trace.get_current_span()
    span.set_attribute("chorus.tenant_id", post.tenant_id)
    span.set_attribute("chorus.post_id", post.post_id)

    resolutions = ResolutionRepository(session)
    if await resolutions.exists(post.tenant_id, post.post_id, post.version):
        log.info(
            "audience already resolved for this version",
            extra={
                "chorus": {
                    "tenant_id": post.tenant_id,
                    "post_id": post.post_id,
                    "version": post.version,
                }
            },
        )
        return None
    rule, segment_version = await _post_rule(session, base, post)
    employees = EmployeeRepository(session)
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
    )

    seen: Counter[tuple[str, str]] = Counter()
    # One streamed statement for every batch (see EmployeeRepository.audience_pages).
    async with aclosing(employees.audience_pages(post.tenant_id, rule, MAX_BATCH)) as pages:
        index = -1
        async for members in pages:
            index += 1
            if index >= batches:
                raise AudienceChanged(post.post_id)  # more members than counted
            seen.update((m.country, m.language) for m in members)
            outbox.add(
                session,
                topic=AUDIENCE,
                key=batch_id(post.tenant_id, post.post_id, post.version, index),
                subject=post.post_id,
                tenant_id=post.tenant_id,
                event=batch_event(
                    post.tenant_id, post.post_id, post.version, index, batches, members
                ),
            )
    if AudienceCounts.from_groups((c, lang, n) for (c, lang), n in seen.items()) != counts:
        raise AudienceChanged(post.post_id)
    outbox.add(
        session,
        topic=AUDIENCE,
        key=post.post_id,
        tenant_id=post.tenant_id,
        event=summary_event(
            post.tenant_id,
            post.post_id,
            post.version,
            post.source_language,
            counts,
            post.segment_id,
            segment_version,
        ),
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
    session: AsyncSession, base: AudienceRule, post: ApprovedPost
) -> tuple[AudienceRule, int]:
    """The post's countries/departments narrowed by its saved segment (the
    version current now, at approval: later edits of the segment do not
    change an audience already resolved) and its channels. Returns the rule
    and the segment version used (0 = no segment). An unknown segment or
    channel is NotFound: a permanent error, so the event goes to the DLQ
    rather than reaching a wider audience than the author chose."""
    tree, version = None, 0
    if post.segment_id:
        saved = await SegmentRepository(session).get(post.tenant_id, post.segment_id)
        tree, version = parse_segment(saved.rule), saved.version
    scope = None
    if post.channel_ids:
        channels = await ChannelRepository(session).many(
            post.tenant_id, list(dict.fromkeys(post.channel_ids))
        )
        scope = channel_scope(channels, base.region)
    return AudienceRule(base.region, base.countries, base.departments, tree, scope), version

"""Resolving the audience of an approved post into events.

Runs inside the caller's transaction (the Kafka handler's, which also holds
the inbox row), so the resolution record, every batch and the summary commit
together or not at all.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass

from chorus_core.clock import utcnow
from chorus_core.errors import InvalidArgument
from chorus_core.validation import language_code, require
from chorus_messaging import Outbox
from chorus_messaging.topics import AUDIENCE
from opentelemetry import trace
from sqlalchemy.ext.asyncio import AsyncSession

from targeting_service.adapters.messages import batch_event, summary_event
from targeting_service.adapters.repository import EmployeeRepository, ResolutionRepository
from targeting_service.domain.audience import (
    MAX_BATCH,
    AudienceCounts,
    AudienceRule,
    batch_count,
    batch_id,
)

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


async def resolve_audience(
    session: AsyncSession, outbox: Outbox, region: str, post: ApprovedPost
) -> AudienceCounts | None:
    """Writes the batches and the summary; None if this version was already
    resolved (nothing is written twice)."""
    require("post.post_id", post.post_id)
    if post.version < 1:
        raise InvalidArgument("post.version", f"{post.version} is not a version number")
    language_code("post.source_language", post.source_language)
    rule = AudienceRule.of(region, post.countries, post.departments)
    span = trace.get_current_span()
    span.set_attribute("chorus.tenant_id", post.tenant_id)
    span.set_attribute("chorus.post_id", post.post_id)

    resolutions = ResolutionRepository(session)
    if await resolutions.exists(post.tenant_id, post.post_id, post.version):
        log.info(
            "audience already resolved for this version",
            extra={"chorus": {"tenant_id": post.tenant_id, "post_id": post.post_id, "version": post.version}},
        )
        return None
    employees = EmployeeRepository(session)
    counts = await employees.audience_counts(post.tenant_id, rule)
    batches = batch_count(counts.total)
    await resolutions.add(post.tenant_id, post.post_id, post.version, counts.total, batches, utcnow())

    seen: Counter[tuple[str, str]] = Counter()
    after: str | None = None
    for index in range(batches):
        members = await employees.audience_page(post.tenant_id, rule, after, MAX_BATCH)
        if not members:
            break
        after = members[-1].employee_id
        seen.update((m.country, m.language) for m in members)
        outbox.add(
            session,
            topic=AUDIENCE,
            key=batch_id(post.tenant_id, post.post_id, post.version, index),
            subject=post.post_id,
            tenant_id=post.tenant_id,
            event=batch_event(post.tenant_id, post.post_id, post.version, index, batches, members),
        )
    if AudienceCounts.from_groups((c, lang, n) for (c, lang), n in seen.items()) != counts:
        raise AudienceChanged(post.post_id)
    outbox.add(
        session,
        topic=AUDIENCE,
        key=post.post_id,
        tenant_id=post.tenant_id,
        event=summary_event(post.tenant_id, post.post_id, post.version, post.source_language, counts),
    )
    log.info(
        "audience resolved",
        extra={"chorus": {"tenant_id": post.tenant_id, "post_id": post.post_id,
                          "version": post.version, "total": counts.total, "batches": batches}},
    )
    return counts

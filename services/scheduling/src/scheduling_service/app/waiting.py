"""Shares that wait on their text: a language held for a human translation
(TranslationUnavailable), and the query that shows every open share of a post
that cannot go out yet, per language and reason (ListWaitingShares)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from chorus_core.clock import utcnow
from chorus_core.errors import InvalidArgument, PermanentError
from chorus_core.validation import require
from chorus_core.validation import tenant_id as valid_tenant
from chorus_identity.policy import tenant_for
from chorus_identity.principal import Principal
from opentelemetry import trace

from scheduling_service.app import policy
from scheduling_service.app.ports import HoldStore, WaitingReader
from scheduling_service.domain.waiting import WaitingGroup, group_waiting

log = logging.getLogger(__name__)

DEFAULT_MAX_IDS = 100
MAX_IDS = 1000


@dataclass(frozen=True)
class UnavailableLanguage:
    tenant_id: str
    post_id: str
    version: int
    language: str
    reason: str


async def hold_for_human(store: HoldStore, held: UnavailableLanguage) -> int:
    """Records the hold; returns how many open shares now wait on it (shares
    the audience adds later wait on it too: the hold is per language)."""
    if not (held.tenant_id and held.post_id and held.language):
        raise PermanentError("translation unavailable without tenant_id, post_id or language")
    span = trace.get_current_span()
    span.set_attribute("chorus.tenant_id", held.tenant_id)
    span.set_attribute("chorus.post_id", held.post_id)
    span.set_attribute("chorus.language", held.language)
    await store.hold(
        held.tenant_id, held.post_id, held.version, held.language, held.reason, utcnow()
    )
    waiting = await store.open_count(held.tenant_id, held.post_id, held.version, held.language)
    log.warning(
        "shares wait for a human translation",
        extra={
            "chorus": {
                "tenant_id": held.tenant_id,
                "post_id": held.post_id,
                "version": held.version,
                "language": held.language,
                "shares": waiting,
            }
        },
    )
    return waiting


class WaitingShares:
    def __init__(self, reader: WaitingReader) -> None:
        self.reader = reader

    async def list(
        self, actor: Principal, tenant_id: str, post_id: str, max_ids: int = 0
    ) -> list[WaitingGroup]:
        tenant_id = valid_tenant(tenant_for(actor, tenant_id))
        policy.require_operator(actor)
        require("post_id", post_id)
        if not 0 <= max_ids <= MAX_IDS:
            raise InvalidArgument("max_ids", f"must be between 0 and {MAX_IDS}")
        shares, states = await self.reader.snapshot(tenant_id, post_id)
        return group_waiting(shares, states, max_ids or DEFAULT_MAX_IDS)

"""Languages the engine cannot produce: what the tenant's policy decided,
announced in the log and on the current (handler's) span."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from opentelemetry import trace

from translation_service.domain.policy import (
    DEFAULT_POLICY,
    Decision,
    LanguageDecision,
    LanguagePolicy,
)

log = logging.getLogger(__name__)

DECISION_EVENT = "chorus.translation.decision"


@dataclass(frozen=True)
class Unproduced:
    """A needed language with no engine route, and what it gets."""

    language: str
    reason: str  # the engine's, e.g. "no translation route from 'en' to 'de'"
    fallback_language: str = ""  # "" = held for a human translation


class BuiltInPolicy:
    """A PolicyReader for use cases built without a store (tools, tests):
    every tenant gets the built-in default, fall back to the source."""

    async def policy(self, tenant_id: str) -> LanguagePolicy | None:
        return DEFAULT_POLICY


class PostVersion(Protocol):
    @property
    def tenant_id(self) -> str: ...
    @property
    def post_id(self) -> str: ...
    @property
    def version(self) -> int: ...


def decide(post: PostVersion, what: Unproduced, now: datetime) -> LanguageDecision:
    """The decision for `what`, announced (see announce)."""
    decision = LanguageDecision(
        tenant_id=post.tenant_id,
        post_id=post.post_id,
        version=post.version,
        language=what.language,
        decision=Decision.FALLBACK if what.fallback_language else Decision.HELD,
        decided_at=now,
        fallback_language=what.fallback_language,
        reason=what.reason,
    )
    announce(decision)
    return decision


def announce(decision: LanguageDecision) -> None:
    """One log line and one span event per decision. Languages and ids only:
    no text, nothing about people."""
    fields = {
        "chorus.translation.decision": decision.decision.value,
        "chorus.language": decision.language,
        "chorus.fallback_language": decision.fallback_language,
    }
    trace.get_current_span().add_event(DECISION_EVENT, fields)
    log.warning(
        "language not produced by the engine",
        extra={
            "chorus": {
                "tenant_id": decision.tenant_id,
                "post_id": decision.post_id,
                "version": decision.version,
                "language": decision.language,
                "decision": decision.decision.value,
                "fallback_language": decision.fallback_language,
                "reason": decision.reason,
            }
        },
    )

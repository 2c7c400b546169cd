"""The gRPC use cases around languages the engine cannot produce: a tenant's
policy (set, read) and what each language of a post got."""

from __future__ import annotations

import logging

from chorus_core.clock import utcnow
from chorus_core.validation import require
from chorus_core.validation import tenant_id as valid_tenant
from chorus_identity.policy import tenant_for
from chorus_identity.principal import Principal
from opentelemetry import trace

from translation_service.app import policy as authz
from translation_service.app.ports import DecisionReader, PolicyStore
from translation_service.app.text_translator import TextTranslator
from translation_service.domain.policy import (
    DEFAULT_POLICY,
    LanguageDecision,
    LanguagePolicy,
    validate,
)

log = logging.getLogger(__name__)


class LanguagePolicies:
    def __init__(
        self, store: PolicyStore, decisions: DecisionReader, texts: TextTranslator
    ) -> None:
        self.store = store
        self.decisions = decisions
        self.texts = texts

    async def set_policy(
        self, actor: Principal, tenant_id: str, request_id: str, policy: LanguagePolicy
    ) -> LanguagePolicy:
        tenant_id = valid_tenant(tenant_for(actor, tenant_id))
        authz.require_policy_setter(actor)
        require("request_id", request_id)
        trace.get_current_span().set_attribute("chorus.tenant_id", tenant_id)
        # Asked of the engine now (not a fixed list): a fallback must be a
        # language it can really write, or the fallback itself would fail.
        validate(policy, await self.texts.languages())
        in_force = await self.store.replace(tenant_id, request_id, policy, utcnow())
        log.info(
            "language policy set",
            extra={
                "chorus": {
                    "tenant_id": tenant_id,
                    "default_action": in_force.default.action.value,
                    "languages": sorted(in_force.languages),
                }
            },
        )
        return in_force

    async def get_policy(self, actor: Principal, tenant_id: str) -> tuple[LanguagePolicy, bool]:
        """(the policy in force, whether the tenant configured one)."""
        tenant_id = valid_tenant(tenant_for(actor, tenant_id))
        authz.require_reader(actor)
        policy = await self.store.policy(tenant_id)
        return (policy, True) if policy is not None else (DEFAULT_POLICY, False)

    async def decisions_for_post(
        self, actor: Principal, tenant_id: str, post_id: str
    ) -> list[LanguageDecision]:
        tenant_id = valid_tenant(tenant_for(actor, tenant_id))
        authz.require_reader(actor)
        require("post_id", post_id)
        return await self.decisions.for_post(tenant_id, post_id)

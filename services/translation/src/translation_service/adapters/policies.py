"""Tenants' language policies in the service's database (the PolicyStore port).
Replacing one writes its entry of the tenant's audit log in the same
transaction (each language's rule before -> after; rules hold no personal
data: language codes and actions)."""

from __future__ import annotations

from datetime import datetime

from chorus_db import Database, exclusive
from chorus_messaging.audit import AuditTrail, OutboxAuditTrail, State
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from translation_service.adapters.tables import LanguagePolicyRow, RequestRow
from translation_service.domain.policy import Action, LanguagePolicy, Rule

DEFAULT_KEY = "*"  # the row holding the default rule
SET_POLICY = "set_language_policy"


async def read_policy(session: AsyncSession, tenant_id: str) -> LanguagePolicy | None:
    query = select(LanguagePolicyRow).where(col(LanguagePolicyRow.tenant_id) == tenant_id)
    rows = list((await session.execute(query)).scalars())
    if not rows:
        return None
    rules = {r.language: Rule(Action(r.action), r.fallback_language) for r in rows}
    default = rules.pop(DEFAULT_KEY, Rule())
    return LanguagePolicy(default, rules)


def policy_state(policy: LanguagePolicy) -> State:
    """{language ("*" = the default): "hold" | "fallback" | "fallback:<language>"}."""
    rules = {DEFAULT_KEY: policy.default, **policy.languages}
    return {
        language: rule.action.value
        + (f":{rule.fallback_language}" if rule.fallback_language else "")
        for language, rule in rules.items()
    }


class SqlPolicyStore:
    def __init__(self, db: Database, audit: AuditTrail | None = None) -> None:
        self.db = db
        self.audit = audit or OutboxAuditTrail.of_service("translation")

    async def policy(self, tenant_id: str) -> LanguagePolicy | None:
        async with self.db.session() as session:
            return await read_policy(session, tenant_id)

    async def replace(
        self, tenant_id: str, request_id: str, policy: LanguagePolicy, now: datetime
    ) -> LanguagePolicy:
        async with self.db.transaction() as session:
            # Delete-then-insert: two concurrent replacements would insert
            # the same (tenant, language) rows.
            await exclusive(session, f"translation.language_policy/{tenant_id}")
            if await session.get(RequestRow, (tenant_id, request_id)) is not None:
                # Applied before (a retry): answer with what is in force now,
                # which may be a later policy; never re-apply an old one.
                return await read_policy(session, tenant_id) or LanguagePolicy()
            before = await read_policy(session, tenant_id)
            await session.execute(
                delete(LanguagePolicyRow).where(col(LanguagePolicyRow.tenant_id) == tenant_id)
            )
            rules = {DEFAULT_KEY: policy.default, **policy.languages}
            for language, rule in rules.items():
                session.add(
                    LanguagePolicyRow(
                        tenant_id=tenant_id,
                        language=language,
                        action=rule.action.value,
                        fallback_language=rule.fallback_language,
                        updated_at=now,
                    )
                )
            session.add(
                RequestRow(
                    tenant_id=tenant_id, request_id=request_id, operation=SET_POLICY, created_at=now
                )
            )
            self.audit.record(
                session,
                tenant_id=tenant_id,
                action="language_policy.set",
                target_type="language_policy",
                target_id=tenant_id,
                before=policy_state(before) if before is not None else None,
                after=policy_state(policy),
                request_id=request_id,
            )
        return policy

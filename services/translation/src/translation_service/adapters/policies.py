"""Tenants' language policies in the service's database (the PolicyStore port)."""

from __future__ import annotations

from datetime import datetime

from chorus_db import Database
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


class SqlPolicyStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def policy(self, tenant_id: str) -> LanguagePolicy | None:
        async with self.db.session() as session:
            return await read_policy(session, tenant_id)

    async def replace(
        self, tenant_id: str, request_id: str, policy: LanguagePolicy, now: datetime
    ) -> LanguagePolicy:
        async with self.db.transaction() as session:
            if await session.get(RequestRow, (tenant_id, request_id)) is not None:
                # Applied before (a retry): answer with what is in force now,
                # which may be a later policy; never re-apply an old one.
                return await read_policy(session, tenant_id) or LanguagePolicy()
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
        return policy

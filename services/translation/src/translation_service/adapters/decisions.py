"""What each language of a post got, in the service's database (tenant-scoped).

Only the exceptions are rows of their own (LanguageDecisionRow: fallback,
held); a language translated normally is known by its TranslationRow alone."""

from __future__ import annotations

from chorus_core.clock import as_utc
from chorus_db import Database
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from translation_service.adapters.tables import LanguageDecisionRow, TranslationRow
from translation_service.domain.policy import Decision, LanguageDecision

Key = tuple[int, str]  # (version, language)


class DecisionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, decision: LanguageDecision) -> None:
        self.session.add(
            LanguageDecisionRow(
                tenant_id=decision.tenant_id,
                post_id=decision.post_id,
                version=decision.version,
                language=decision.language,
                decision=decision.decision.value,
                fallback_language=decision.fallback_language,
                reason=decision.reason[:300],
                decided_at=decision.decided_at,
            )
        )

    async def held_languages(self, tenant_id: str, post_id: str, version: int) -> set[str]:
        query = select(col(LanguageDecisionRow.language)).where(
            col(LanguageDecisionRow.tenant_id) == tenant_id,
            col(LanguageDecisionRow.post_id) == post_id,
            col(LanguageDecisionRow.version) == version,
            col(LanguageDecisionRow.decision) == Decision.HELD.value,
        )
        return set((await self.session.execute(query)).scalars())

    async def exceptions(self, tenant_id: str, post_id: str) -> dict[Key, LanguageDecisionRow]:
        query = select(LanguageDecisionRow).where(
            col(LanguageDecisionRow.tenant_id) == tenant_id,
            col(LanguageDecisionRow.post_id) == post_id,
        )
        rows = (await self.session.execute(query)).scalars()
        return {(r.version, r.language): r for r in rows}

    async def for_post(self, tenant_id: str, post_id: str) -> list[LanguageDecision]:
        exceptions = await self.exceptions(tenant_id, post_id)
        query = select(TranslationRow).where(
            col(TranslationRow.tenant_id) == tenant_id, col(TranslationRow.post_id) == post_id
        )
        texts = {(r.version, r.language): r for r in (await self.session.execute(query)).scalars()}
        keys = sorted(set(texts) | set(exceptions))
        return [_decision(tenant_id, post_id, k, texts.get(k), exceptions.get(k)) for k in keys]


def _decision(
    tenant_id: str,
    post_id: str,
    key: Key,
    text: TranslationRow | None,
    exception: LanguageDecisionRow | None,
) -> LanguageDecision:
    version, language = key
    # A text for a held language came later (a human translation): translated.
    if exception is None or (text is not None and exception.decision == Decision.HELD.value):
        assert text is not None  # the key is one of a text's or an exception's
        return LanguageDecision(
            tenant_id,
            post_id,
            version,
            language,
            Decision.TRANSLATED,
            as_utc(text.created_at),
            provider=text.provider,
        )
    return LanguageDecision(
        tenant_id,
        post_id,
        version,
        language,
        Decision(exception.decision),
        as_utc(exception.decided_at),
        fallback_language=exception.fallback_language,
        provider=text.provider if text is not None else "",
        reason=exception.reason,
    )


class SqlDecisionReader:
    """The DecisionReader port."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def for_post(self, tenant_id: str, post_id: str) -> list[LanguageDecision]:
        async with self.db.session() as session:
            return await DecisionRepository(session).for_post(tenant_id, post_id)

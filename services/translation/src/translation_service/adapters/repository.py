"""Translations in the service's own database (tenant-scoped)."""

from __future__ import annotations

from datetime import datetime

from chorus_db import Database
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from translation_service.adapters.decisions import DecisionRepository
from translation_service.adapters.tables import TranslationRow
from translation_service.domain.policy import Decision
from translation_service.domain.translations import Translation


def _to_domain(row: TranslationRow, fallback_language: str = "") -> Translation:
    return Translation(
        tenant_id=row.tenant_id,
        post_id=row.post_id,
        version=row.version,
        language=row.language,
        source_language=row.source_language,
        title=row.title,
        body=row.body,
        link=row.link,
        network_texts=dict(row.network_texts),
        provider=row.provider,
        fallback_language=fallback_language,
        network_variants={n: tuple(v) for n, v in (row.network_variants or {}).items()},
    )


class TranslationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def languages_done(self, tenant_id: str, post_id: str, version: int) -> set[str]:
        query = select(col(TranslationRow.language)).where(
            col(TranslationRow.tenant_id) == tenant_id,
            col(TranslationRow.post_id) == post_id,
            col(TranslationRow.version) == version,
        )
        return set((await self.session.execute(query)).scalars())

    def add(self, translation: Translation, now: datetime) -> None:
        self.session.add(
            TranslationRow(
                tenant_id=translation.tenant_id,
                post_id=translation.post_id,
                version=translation.version,
                language=translation.language,
                source_language=translation.source_language,
                title=translation.title,
                body=translation.body,
                link=translation.link,
                network_texts=dict(translation.network_texts),
                network_variants={n: list(v) for n, v in translation.network_variants.items()},
                provider=translation.provider,
                created_at=now,
            )
        )

    async def for_post(self, tenant_id: str, post_id: str) -> list[Translation]:
        query = (
            select(TranslationRow)
            .where(
                col(TranslationRow.tenant_id) == tenant_id, col(TranslationRow.post_id) == post_id
            )
            .order_by(col(TranslationRow.version), col(TranslationRow.language))
        )
        rows = list((await self.session.execute(query)).scalars())
        exceptions = await DecisionRepository(self.session).exceptions(tenant_id, post_id)
        fallbacks = {
            key: row.fallback_language
            for key, row in exceptions.items()
            if row.decision == Decision.FALLBACK.value
        }
        return [_to_domain(r, fallbacks.get((r.version, r.language), "")) for r in rows]


class SqlTranslationReader:
    """The TranslationReader port: each read in a session of its own."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def for_post(self, tenant_id: str, post_id: str) -> list[Translation]:
        async with self.db.session() as session:
            return await TranslationRepository(session).for_post(tenant_id, post_id)

"""Languages held for a human translation, and what a post's open shares
wait on, in the service's database (tenant-scoped)."""

from __future__ import annotations

from datetime import datetime
from typing import TypeVar

from chorus_db import Database
from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from scheduling_service.adapters.repository import CLEARED
from scheduling_service.adapters.tables import (
    ShareRow,
    TranslationRow,
    TranslationVerdictRow,
    UnavailableTranslationRow,
)
from scheduling_service.domain.shares import ShareStatus
from scheduling_service.domain.waiting import TextState

OPEN = (ShareStatus.SUGGESTED.value, ShareStatus.SCHEDULED.value)

Key = tuple[int, str]  # (post version, language)
T = TypeVar("T")


class WaitingRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def hold(
        self,
        tenant_id: str,
        post_id: str,
        version: int,
        language: str,
        reason: str,
        now: datetime,
    ) -> None:
        key = (tenant_id, post_id, version, language)
        row = await self.session.get(UnavailableTranslationRow, key)
        if row is None:
            row = UnavailableTranslationRow(
                tenant_id=tenant_id,
                post_id=post_id,
                version=version,
                language=language,
                decided_at=now,
            )
        row.reason, row.decided_at = reason[:300], now
        self.session.add(row)

    async def open_count(self, tenant_id: str, post_id: str, version: int, language: str) -> int:
        query = select(func.count()).where(
            col(ShareRow.tenant_id) == tenant_id,
            col(ShareRow.post_id) == post_id,
            col(ShareRow.post_version) == version,
            col(ShareRow.language) == language,
            col(ShareRow.status).in_(OPEN),
        )
        return int((await self.session.execute(query)).scalar_one())

    async def open_shares(self, tenant_id: str, post_id: str) -> list[tuple[str, int, str]]:
        query = (
            select(col(ShareRow.share_id), col(ShareRow.post_version), col(ShareRow.language))
            .where(
                col(ShareRow.tenant_id) == tenant_id,
                col(ShareRow.post_id) == post_id,
                col(ShareRow.status).in_(OPEN),
            )
            .order_by(col(ShareRow.share_id))
        )
        return [(s, v, lang) for s, v, lang in (await self.session.execute(query)).all()]

    async def text_states(self, tenant_id: str, post_id: str) -> dict[Key, TextState]:
        texts = {
            (r.version, r.language): r
            for r in await self._rows(
                select(TranslationRow).where(
                    col(TranslationRow.tenant_id) == tenant_id,
                    col(TranslationRow.post_id) == post_id,
                )
            )
        }
        held = {
            (r.version, r.language)
            for r in await self._rows(
                select(UnavailableTranslationRow).where(
                    col(UnavailableTranslationRow.tenant_id) == tenant_id,
                    col(UnavailableTranslationRow.post_id) == post_id,
                )
            )
        }
        verdicts = {
            (r.version, r.language): r
            for r in await self._rows(
                select(TranslationVerdictRow).where(
                    col(TranslationVerdictRow.tenant_id) == tenant_id,
                    col(TranslationVerdictRow.post_id) == post_id,
                )
            )
        }
        states: dict[Key, TextState] = {}
        for key in set(texts) | set(held) | set(verdicts):
            text, verdict = texts.get(key), verdicts.get(key)
            states[key] = TextState(
                text_digest=text.text_digest if text is not None else None,
                held_for_human=key in held,
                cleared=(verdict.verdict == CLEARED) if verdict is not None else None,
                verdict_digest=verdict.text_digest if verdict is not None else "",
            )
        return states

    async def _rows(self, query: Select[tuple[T]]) -> list[T]:
        return list((await self.session.execute(query)).scalars())


class SqlWaitingReader:
    """The WaitingReader port: one post's open shares and text states, read
    in one session so both come from the same moment."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def snapshot(
        self, tenant_id: str, post_id: str
    ) -> tuple[list[tuple[str, int, str]], dict[Key, TextState]]:
        async with self.db.session() as session:
            repository = WaitingRepository(session)
            shares = await repository.open_shares(tenant_id, post_id)
            return shares, await repository.text_states(tenant_id, post_id)

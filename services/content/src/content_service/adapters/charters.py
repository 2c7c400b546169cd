"""Charters (versioned), approval chains, held translations, UGC proposals
and request ids, in the content database (tenant-scoped)."""

from __future__ import annotations

from datetime import datetime

from chorus_core.clock import as_utc
from chorus_core.errors import NotFound
from chorus_db import exclusive
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from content_service.adapters.codec import (
    charter_from_doc,
    charter_to_doc,
    violation_from_doc,
    violation_to_doc,
)
from content_service.adapters.tables import (
    ApprovalChainRow,
    CharterRow,
    CharterVersionRow,
    HeldTranslationRow,
    ProposalRow,
    RequestRow,
)
from content_service.app.records import HeldTranslation, Proposal
from content_service.domain.charter import Charter, Violation


class CharterRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def current_version(self, tenant_id: str) -> int:
        query = select(func.max(col(CharterVersionRow.version))).where(
            col(CharterVersionRow.tenant_id) == tenant_id
        )
        latest = (await self.session.execute(query)).scalar_one_or_none()
        if latest:
            return int(latest)
        legacy = await self.session.get(CharterRow, tenant_id)
        return legacy.version if legacy else 0

    async def get(self, tenant_id: str, version: int = 0) -> Charter:
        version = version or await self.current_version(tenant_id)
        if version == 0:
            return Charter()
        row = await self.session.get(CharterVersionRow, (tenant_id, version))
        if row is not None:
            return charter_from_doc(row.rules, row.version)
        legacy = await self.session.get(CharterRow, tenant_id)
        if legacy is not None and legacy.version == version:
            return Charter(tuple(legacy.blocked_phrases), dict(legacy.max_length), legacy.version)
        raise NotFound("charter version", str(version))

    async def save(self, tenant_id: str, charter: Charter, now: datetime) -> Charter:
        # Two saves at once would both take the same next version number.
        await exclusive(self.session, f"content.charter/{tenant_id}")
        version = await self.current_version(tenant_id) + 1
        self.session.add(
            CharterVersionRow(
                tenant_id=tenant_id, version=version, rules=charter_to_doc(charter), created_at=now
            )
        )
        return charter_from_doc(charter_to_doc(charter), version)


class ChainRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def steps(self, tenant_id: str, kind: str) -> tuple[str, ...]:
        row = await self.session.get(ApprovalChainRow, (tenant_id, kind))
        return tuple(row.steps) if row else ()

    async def save(self, tenant_id: str, kind: str, steps: tuple[str, ...]) -> None:
        # Two first saves at once would both create the row.
        await exclusive(self.session, f"content.approval_chain/{tenant_id}/{kind}")
        row = await self.session.get(ApprovalChainRow, (tenant_id, kind))
        if row is None:
            row = ApprovalChainRow(tenant_id=tenant_id, kind=kind, steps=[])
        row.steps = list(steps)
        self.session.add(row)

    async def all(self, tenant_id: str) -> dict[str, tuple[str, ...]]:
        query = select(ApprovalChainRow).where(col(ApprovalChainRow.tenant_id) == tenant_id)
        return {r.kind: tuple(r.steps) for r in (await self.session.execute(query)).scalars()}


class RequestRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def seen(self, tenant_id: str, request_id: str) -> bool:
        if not request_id:
            return False
        return await self.session.get(RequestRow, (tenant_id, request_id)) is not None

    async def record(
        self, tenant_id: str, request_id: str, operation: str, subject_id: str, now: datetime
    ) -> None:
        if request_id:
            self.session.add(
                RequestRow(
                    tenant_id=tenant_id,
                    request_id=request_id,
                    operation=operation,
                    subject_id=subject_id,
                    created_at=now,
                )
            )


class HeldTranslationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def hold(
        self,
        tenant_id: str,
        post_id: str,
        version: int,
        language: str,
        violations: list[Violation],
        now: datetime,
    ) -> bool:
        """Record the hold; False when it was already held (a re-delivered translation)."""
        key = (tenant_id, post_id, version, language)
        row = await self.session.get(HeldTranslationRow, key)
        fresh = row is None
        if row is None:
            row = HeldTranslationRow(
                tenant_id=tenant_id,
                post_id=post_id,
                post_version=version,
                language=language,
                violations=[],
                held_at=now,
            )
        row.violations = [violation_to_doc(v) for v in violations]
        self.session.add(row)
        return fresh

    async def release(self, tenant_id: str, post_id: str, version: int, language: str) -> None:
        row = await self.session.get(HeldTranslationRow, (tenant_id, post_id, version, language))
        if row is not None:
            await self.session.delete(row)

    async def all(self, tenant_id: str, post_id: str = "") -> list[HeldTranslation]:
        query = select(HeldTranslationRow).where(col(HeldTranslationRow.tenant_id) == tenant_id)
        if post_id:
            query = query.where(col(HeldTranslationRow.post_id) == post_id)
        query = query.order_by(col(HeldTranslationRow.held_at), col(HeldTranslationRow.language))
        return [_held(r) for r in (await self.session.execute(query)).scalars()]


class ProposalRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(
        self,
        tenant_id: str,
        post_id: str,
        language: str,
        violations: list[Violation],
        now: datetime,
    ) -> None:
        self.session.add(
            ProposalRow(
                tenant_id=tenant_id,
                post_id=post_id,
                detected_language=language,
                violations=[violation_to_doc(v) for v in violations],
                proposed_at=now,
            )
        )

    async def get(self, tenant_id: str, post_id: str) -> Proposal:
        return _proposal(await self._row(tenant_id, post_id))

    async def _row(self, tenant_id: str, post_id: str) -> ProposalRow:
        row = await self.session.get(ProposalRow, (tenant_id, post_id))
        if row is None:
            raise NotFound("proposal", post_id)
        return row

    async def pending(self, tenant_id: str, limit: int, after_id: str) -> list[Proposal]:
        query = select(ProposalRow).where(
            col(ProposalRow.tenant_id) == tenant_id, col(ProposalRow.decision) == ""
        )
        if after_id:
            query = query.where(col(ProposalRow.post_id) > after_id)
        query = query.order_by(col(ProposalRow.post_id)).limit(limit)
        return [_proposal(r) for r in (await self.session.execute(query)).scalars()]

    async def decide(self, tenant_id: str, post_id: str, decision: str, reason: str) -> None:
        row = await self._row(tenant_id, post_id)
        row.decision = decision
        row.reason = reason
        self.session.add(row)


def _held(row: HeldTranslationRow) -> HeldTranslation:
    return HeldTranslation(
        tenant_id=row.tenant_id,
        post_id=row.post_id,
        post_version=row.post_version,
        language=row.language,
        violations=tuple(violation_from_doc(v) for v in row.violations),
        held_at=as_utc(row.held_at),
    )


def _proposal(row: ProposalRow) -> Proposal:
    return Proposal(
        tenant_id=row.tenant_id,
        post_id=row.post_id,
        detected_language=row.detected_language,
        violations=tuple(violation_from_doc(v) for v in row.violations),
        decision=row.decision,
        reason=row.reason or "",
    )

"""Shares, translations and applied requests in the service's own database
(the app's ShareStore, TranslationStore and RequestStore ports)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any, TypedDict

from chorus_core.clock import as_utc
from chorus_core.errors import NotFound
from chorus_db import affected_rows, in_array, table_of
from chorus_telemetry.propagation import TraceCarrier
from sqlalchemy import Exists, Result, and_, exists, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from scheduling_service.adapters.tables import (
    RequestRow,
    ShareRow,
    TranslationRow,
    TranslationVerdictRow,
)
from scheduling_service.app.ports import AppliedRequest, DeliveryNews, DueShare, HeldSlot
from scheduling_service.domain.personal import variant_of
from scheduling_service.domain.shares import Planning, Share, ShareStatus, spread_group
from scheduling_service.domain.slots import Taken
from scheduling_service.domain.translations import Translation, text_digest


def _share(row: ShareRow) -> Share:
    return Share(
        share_id=row.share_id,
        tenant_id=row.tenant_id,
        post_id=row.post_id,
        post_version=row.post_version,
        employee_id=row.employee_id,
        network=row.network,
        language=row.language,
        country=row.country,
        timezone=row.timezone,
        status=ShareStatus(row.status),
        auto_share=row.auto_share,
        due_at=as_utc(row.due_at) if row.due_at is not None else None,
        created_at=as_utc(row.created_at),
        updated_at=as_utc(row.updated_at),
        planning=Planning(
            valid_from=as_utc(row.valid_from) if row.valid_from is not None else None,
            expires_at=as_utc(row.expires_at) if row.expires_at is not None else None,
            sharing_hours=row.sharing_hours,
            daily_cap=row.daily_cap,
            region=row.region,
            subdivision=row.subdivision,
        ),
        planned=row.planned,
        deferred_until=as_utc(row.deferred_until) if row.deferred_until is not None else None,
        deferred_reason=row.deferred_reason,
        held_since=as_utc(row.held_since) if row.held_since is not None else None,
        held_reason=row.held_reason,
        variant=row.variant,
        edited_text=row.edited_text or "",
    )


class _PlanningColumns(TypedDict):
    valid_from: datetime | None
    expires_at: datetime | None
    sharing_hours: str
    daily_cap: int
    region: str
    subdivision: str
    planned: bool
    variant: int | None
    edited_text: str | None


def _planning(share: Share) -> _PlanningColumns:
    """The Planning columns (and planned, and the employee's
    personalisation), as add and update write them."""
    p = share.planning
    return {
        "valid_from": p.valid_from,
        "expires_at": p.expires_at,
        # Cut to the column: a value that long does not parse, cut or not.
        "sharing_hours": p.sharing_hours[:32],
        "daily_cap": p.daily_cap,
        "region": p.region[:64],
        "subdivision": p.subdivision[:3],
        "planned": share.planned,
        "variant": share.variant,
        "edited_text": share.edited_text or None,
    }


# Shares that hold a time: what counts toward a cap and fills a minute.
_HOLDING = [ShareStatus.SCHEDULED.value, ShareStatus.DUE.value]


def _translation(row: TranslationRow) -> Translation:
    return Translation(
        tenant_id=row.tenant_id,
        post_id=row.post_id,
        version=row.version,
        language=row.language,
        body=row.body,
        link=row.link,
        network_texts=dict(row.network_texts),
        fallback_language=row.fallback_language,
        network_variants={n: tuple(v) for n, v in (row.network_variants or {}).items()},
        title=row.title,
        media_ids=tuple(row.media_ids or ()),
    )


_HELD_COLUMNS = (
    col(ShareRow.share_id),
    col(ShareRow.employee_id),
    col(ShareRow.region),
    col(ShareRow.network),
    col(ShareRow.due_at),
)


def _held(rows: Result[Any]) -> list[HeldSlot]:
    return [
        HeldSlot(share_id, employee_id, spread_group(region, network), as_utc(due_at))
        for share_id, employee_id, region, network, due_at in rows
    ]


class ShareRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, tenant_id: str, share_id: str, *, for_update: bool = False) -> Share:
        query = select(ShareRow).where(
            col(ShareRow.tenant_id) == tenant_id, col(ShareRow.share_id) == share_id
        )
        if for_update:
            query = query.with_for_update()  # PostgreSQL row lock; SQLite ignores it
        row = (await self.session.execute(query)).scalar_one_or_none()
        if row is None:
            raise NotFound("share", share_id)
        return _share(row)

    async def existing(self, tenant_id: str, share_ids: list[str]) -> dict[str, Share]:
        query = select(ShareRow).where(
            col(ShareRow.tenant_id) == tenant_id, col(ShareRow.share_id).in_(share_ids)
        )
        return {row.share_id: _share(row) for row in (await self.session.execute(query)).scalars()}

    async def add(self, share: Share, trace: TraceCarrier | None) -> None:
        await self.add_all([(share, trace)])

    async def add_all(self, shares: Sequence[tuple[Share, TraceCarrier | None]]) -> None:
        # One INSERT for an audience batch's new shares, rows built as plain
        # values (an ORM object each costs several times the row).
        if not shares:
            return
        rows = [
            {
                "share_id": share.share_id,
                "tenant_id": share.tenant_id,
                "post_id": share.post_id,
                "post_version": share.post_version,
                "employee_id": share.employee_id,
                "network": share.network,
                "language": share.language,
                "country": share.country,
                "timezone": share.timezone,
                "status": share.status.value,
                "auto_share": share.auto_share,
                "due_at": share.due_at,
                "traceparent": trace.traceparent if trace else None,
                "tracestate": trace.tracestate if trace else None,
                "created_at": share.created_at,
                "updated_at": share.updated_at,
                **_planning(share),
            }
            for share, trace in shares
        ]
        await self.session.execute(insert(table_of(ShareRow)), rows)

    async def note_delivery(self, news: DeliveryNews) -> bool:
        """Publishing's news on a due share (deferred, held, or neither: out).
        False: no such share here (another region's, or erased)."""
        deferred, held = news.deferred_until is not None, news.held_since is not None
        result = await self.session.execute(
            update(ShareRow)
            .where(
                col(ShareRow.tenant_id) == news.tenant_id,
                col(ShareRow.share_id) == news.share_id,
            )
            .values(
                deferred_until=news.deferred_until,
                deferred_reason=news.reason[:300] if deferred else "",
                held_since=news.held_since,
                held_reason=news.reason[:300] if held else "",
            )
            .execution_options(synchronize_session=False)
        )
        return bool(affected_rows(result))

    async def clear_notes(self, tenant_id: str, share_ids: Sequence[str]) -> None:
        # Only rows with a note to clear are written: a campaign's shares
        # mostly went out without one.
        await self.session.execute(
            update(ShareRow)
            .where(
                col(ShareRow.tenant_id) == tenant_id,
                col(ShareRow.share_id).in_(share_ids),
                or_(
                    col(ShareRow.deferred_until).is_not(None), col(ShareRow.held_since).is_not(None)
                ),
            )
            .values(deferred_until=None, deferred_reason="", held_since=None, held_reason="")
            .execution_options(synchronize_session=False)
        )

    async def update(self, before: Share, after: Share, trace: TraceCarrier | None) -> bool:
        """Write `after` only if the stored share is still in `before`'s state.
        The timer may have fired it meanwhile (on SQLite nothing locks the row
        between our read and this write): then nothing is written, False."""
        values: dict[str, object] = {
            "status": after.status.value,
            "due_at": after.due_at,
            "post_version": after.post_version,
            "language": after.language,
            "country": after.country,
            "timezone": after.timezone,
            "auto_share": after.auto_share,
            "updated_at": after.updated_at,
            **_planning(after),
        }
        if trace is not None:
            values.update(traceparent=trace.traceparent, tracestate=trace.tracestate)
        statement = (
            update(ShareRow)
            .where(
                col(ShareRow.tenant_id) == before.tenant_id,
                col(ShareRow.share_id) == before.share_id,
                col(ShareRow.status) == before.status.value,
            )
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        result = await self.session.execute(statement)
        return bool(affected_rows(result))

    async def employee_slots(
        self, tenant_id: str, employee_ids: list[str], since: datetime, until: datetime
    ) -> list[HeldSlot]:
        dialect = self.session.get_bind().dialect.name
        query = select(*_HELD_COLUMNS).where(
            col(ShareRow.tenant_id) == tenant_id,
            in_array(col(ShareRow.employee_id), employee_ids, dialect),
            col(ShareRow.status).in_(_HOLDING),
            col(ShareRow.due_at) >= since,
            col(ShareRow.due_at) < until,
        )
        return _held(await self.session.execute(query))

    async def post_slots(
        self, tenant_id: str, post_id: str, excluding: Collection[str]
    ) -> list[Taken]:
        # Summed in the database: a group's minute is one row, however many
        # shares the campaign has planned in it.
        due_at = col(ShareRow.due_at)
        minute = (
            func.strftime("%Y-%m-%d %H:%M", due_at)
            if self.session.get_bind().dialect.name == "sqlite"
            else func.date_trunc("minute", due_at)
        )
        region, network = col(ShareRow.region), col(ShareRow.network)
        query = (
            select(region, network, func.count(), func.max(due_at))
            .where(
                col(ShareRow.tenant_id) == tenant_id,
                col(ShareRow.post_id) == post_id,
                col(ShareRow.status).in_(_HOLDING),
                due_at.is_not(None),
            )
            .group_by(region, network, minute)
        )
        if excluding:
            query = query.where(col(ShareRow.share_id).not_in(list(excluding)))
        return [
            Taken(spread_group(r, n), as_utc(latest), count)
            for r, n, count, latest in await self.session.execute(query)
        ]

    async def page(
        self,
        tenant_id: str,
        *,
        post_id: str,
        employee_id: str,
        status: ShareStatus | None,
        limit: int,
        after_id: str,
    ) -> list[Share]:
        query = select(ShareRow).where(col(ShareRow.tenant_id) == tenant_id)
        if post_id:
            query = query.where(col(ShareRow.post_id) == post_id)
        if employee_id:
            query = query.where(col(ShareRow.employee_id) == employee_id)
        if status is not None:
            query = query.where(col(ShareRow.status) == status.value)
        if after_id:
            query = query.where(col(ShareRow.share_id) > after_id)
        query = query.order_by(col(ShareRow.share_id)).limit(limit)
        return [_share(r) for r in (await self.session.execute(query)).scalars()]

    async def claim_due(self, now: datetime, limit: int) -> tuple[int, list[DueShare]]:
        """Scheduled shares whose time has come and whose text is ready and
        cleared by content's charter check (see _cleared_text), marked
        due in the caller's transaction. Returns (rows scanned, rows claimed).

        This is the one query that spans tenants: the timer serves them all,
        and the join still matches every translation on the share's tenant.
        On PostgreSQL, FOR UPDATE SKIP LOCKED lets replicas share the work
        without waiting on (or firing) each other's rows. The conditional
        UPDATE ... WHERE status = 'scheduled' is the last word on both
        databases: a share claimed by someone else is simply not returned.
        """
        query = (
            select(ShareRow, TranslationRow)
            .join(
                TranslationRow,
                and_(
                    col(TranslationRow.tenant_id) == col(ShareRow.tenant_id),
                    col(TranslationRow.post_id) == col(ShareRow.post_id),
                    col(TranslationRow.version) == col(ShareRow.post_version),
                    col(TranslationRow.language) == col(ShareRow.language),
                ),
            )
            .where(col(ShareRow.status) == ShareStatus.SCHEDULED.value, col(ShareRow.due_at) <= now)
            .where(_cleared_text())
            .order_by(col(ShareRow.due_at), col(ShareRow.share_id))
            .limit(limit)
        )
        if self.session.get_bind().dialect.name != "sqlite":  # SQLite has no row locks
            query = query.with_for_update(skip_locked=True, of=ShareRow)
        found = (await self.session.execute(query)).all()
        if not found:
            return 0, []
        claim = (
            update(ShareRow)
            .where(
                col(ShareRow.share_id).in_([s.share_id for s, _ in found]),
                col(ShareRow.status) == ShareStatus.SCHEDULED.value,
            )
            .values(status=ShareStatus.DUE.value, updated_at=now)
            .returning(col(ShareRow.share_id))
            .execution_options(synchronize_session=False)
        )
        claimed = set((await self.session.execute(claim)).scalars())
        due = [
            _posting(share_row, translation_row)
            for share_row, translation_row in found
            if share_row.share_id in claimed
        ]
        await self._note_variants(due, now)
        return len(found), due

    async def _note_variants(self, due: list[DueShare], now: datetime) -> None:
        """Each share keeps the variant it posts (the spread one too): one
        UPDATE per variant index, not one per share."""
        by_variant: dict[int, list[str]] = {}
        for item in due:
            if item.share.variant is not None:
                by_variant.setdefault(item.share.variant, []).append(item.share.share_id)
        for variant, share_ids in by_variant.items():
            await self.session.execute(
                update(ShareRow)
                .where(col(ShareRow.share_id).in_(share_ids))
                .values(variant=variant, updated_at=now)
                .execution_options(synchronize_session=False)
            )


def _posting(share_row: ShareRow, translation_row: TranslationRow) -> DueShare:
    """A claimed share with the variant it posts (domain.personal)."""
    share, translation = _share(share_row), _translation(translation_row)
    return DueShare(
        share=replace(share, variant=variant_of(share, translation)),
        translation=translation,
        trace=TraceCarrier(share_row.traceparent, share_row.tracestate),
    )


CLEARED = "cleared"
HELD = "held"


def _cleared_text() -> Exists:
    """Content's newest verdict on the share's (post version, language)
    cleared exactly the text stored for it. No verdict yet (content has not
    checked it), a held verdict, or a verdict on another text (a correction
    whose verdict is still on its way) all keep the share waiting."""
    return exists().where(
        col(TranslationVerdictRow.tenant_id) == col(TranslationRow.tenant_id),
        col(TranslationVerdictRow.post_id) == col(TranslationRow.post_id),
        col(TranslationVerdictRow.version) == col(TranslationRow.version),
        col(TranslationVerdictRow.language) == col(TranslationRow.language),
        col(TranslationVerdictRow.verdict) == CLEARED,
        col(TranslationVerdictRow.text_digest) == col(TranslationRow.text_digest),
    )


class VerdictRepository:
    """Content's verdicts on translations (TranslationCleared/TranslationHeld),
    and the cancellation of a post's pending shares when it expires (PostExpired)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def record(
        self,
        tenant_id: str,
        post_id: str,
        version: int,
        language: str,
        verdict: str,
        digest: str,
        now: datetime,
    ) -> None:
        """The newest verdict wins: content emits them in the order it checked
        the texts, on the post's partition, so the last one is about the
        newest text content saw."""
        row = await self.session.get(TranslationVerdictRow, (tenant_id, post_id, version, language))
        if row is None:
            row = TranslationVerdictRow(
                tenant_id=tenant_id,
                post_id=post_id,
                version=version,
                language=language,
                verdict=verdict,
                text_digest=digest,
                decided_at=now,
            )
        row.verdict, row.text_digest, row.decided_at = verdict, digest, now
        self.session.add(row)

    async def verdict(
        self, tenant_id: str, post_id: str, version: int, language: str
    ) -> str | None:
        row = await self.session.get(TranslationVerdictRow, (tenant_id, post_id, version, language))
        return row.verdict if row is not None else None

    async def cancel_pending(self, tenant_id: str, post_id: str, now: datetime) -> int:
        pending = [ShareStatus.SUGGESTED.value, ShareStatus.SCHEDULED.value]
        result = await self.session.execute(
            update(ShareRow)
            .where(
                col(ShareRow.tenant_id) == tenant_id,
                col(ShareRow.post_id) == post_id,
                col(ShareRow.status).in_(pending),
            )
            .values(status=ShareStatus.CANCELLED.value, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        return affected_rows(result)


class TranslationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def save(self, translation: Translation, now: datetime) -> None:
        """Insert, or replace the text (a human override re-delivers a language)."""
        key = (
            translation.tenant_id,
            translation.post_id,
            translation.version,
            translation.language,
        )
        row = await self.session.get(TranslationRow, key)
        if row is None:
            row = TranslationRow(
                tenant_id=translation.tenant_id,
                post_id=translation.post_id,
                version=translation.version,
                language=translation.language,
                body="",
                link="",
                network_texts={},
                updated_at=now,
            )
        row.body = translation.body
        row.link = translation.link
        row.network_texts = dict(translation.network_texts)
        row.network_variants = {n: list(v) for n, v in translation.network_variants.items()}
        row.fallback_language = translation.fallback_language
        row.title = translation.title
        row.media_ids = list(translation.media_ids)
        row.text_digest = text_digest(
            translation.body,
            translation.link,
            translation.network_texts,
            translation.network_variants,
        )
        row.updated_at = now
        self.session.add(row)

    async def get(
        self, tenant_id: str, post_id: str, version: int, language: str
    ) -> Translation | None:
        row = await self.session.get(TranslationRow, (tenant_id, post_id, version, language))
        return _translation(row) if row is not None else None


class RequestRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def find(self, tenant_id: str, request_id: str) -> AppliedRequest | None:
        row = await self.session.get(RequestRow, (tenant_id, request_id))
        return AppliedRequest(row.operation, row.share_id) if row is not None else None

    async def add(
        self, tenant_id: str, request_id: str, operation: str, share_id: str, now: datetime
    ) -> None:
        self.session.add(
            RequestRow(
                tenant_id=tenant_id,
                request_id=request_id,
                operation=operation,
                share_id=share_id,
                created_at=now,
            )
        )

"""The media drive's catalogue (one row per asset; the bytes are in the
MediaStore), in the content database (tenant-scoped)."""

from __future__ import annotations

from chorus_core.clock import as_utc
from sqlalchemy import String, cast, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from content_service.adapters.feed_tables import MediaRow
from content_service.app.records import MediaAsset


class MediaRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, tenant_id: str, media_id: str) -> MediaAsset | None:
        row = await self.session.get(MediaRow, (tenant_id, media_id))
        return _asset(row) if row is not None else None

    async def put(self, asset: MediaAsset) -> None:
        row = await self.session.get(MediaRow, (asset.tenant_id, asset.media_id))
        if row is None:
            row = MediaRow(
                tenant_id=asset.tenant_id,
                media_id=asset.media_id,
                content_type=asset.content_type,
                size=asset.size,
                width=asset.width,
                height=asset.height,
                tags=list(asset.tags),
                filename=asset.filename,
                description=asset.description,
                uploader_id=asset.uploader_id,
                created_at=asset.created_at,
            )
        else:
            row.tags = list(asset.tags)  # what an asset's later calls change
        self.session.add(row)

    async def page(
        self, tenant_id: str, tag: str, text: str, limit: int, after_id: str
    ) -> list[MediaAsset]:
        statement = select(MediaRow).where(col(MediaRow.tenant_id) == tenant_id)
        if tag:
            # JSON list membership, portable: the serialised list contains "tag".
            statement = statement.where(
                cast(col(MediaRow.tags), String).contains(f'"{tag}"', autoescape=True)
            )
        if text:
            pattern = f"%{_escape(text)}%"
            statement = statement.where(
                or_(
                    col(MediaRow.filename).ilike(pattern, escape="\\"),
                    col(MediaRow.description).ilike(pattern, escape="\\"),
                )
            )
        if after_id:
            statement = statement.where(col(MediaRow.media_id) > after_id)
        statement = statement.order_by(col(MediaRow.media_id)).limit(limit)
        return [_asset(r) for r in (await self.session.execute(statement)).scalars()]


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _asset(row: MediaRow) -> MediaAsset:
    return MediaAsset(
        tenant_id=row.tenant_id,
        media_id=row.media_id,
        content_type=row.content_type,
        size=row.size,
        width=row.width,
        height=row.height,
        tags=tuple(row.tags),
        filename=row.filename,
        description=row.description or "",
        uploader_id=row.uploader_id,
        created_at=as_utc(row.created_at),
    )

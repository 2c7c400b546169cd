"""The media drive: streamed upload with a size limit, type from content,
content-addressed (sha256: the same file is stored once), image dimensions,
tags, list and search by tag or text, download (streamed back)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass

from chorus_core.clock import utcnow
from chorus_core.errors import InvalidArgument, NotFound
from chorus_core.validation import tenant_id as valid_tenant
from chorus_db import Database
from sqlalchemy import String, cast, or_, select
from sqlmodel import col

from content_service.adapters.feed_tables import MediaRow
from content_service.adapters.media_store import MediaStore
from content_service.app.queries import page_limit
from content_service.domain.media import HEAD_BYTES, detect_type, image_size

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
MAX_TAGS = 30
DOWNLOAD_CHUNK = 64 * 1024  # well under gRPC's 4 MiB message limit


@dataclass(frozen=True)
class MediaHeader:
    tenant_id: str
    filename: str
    tags: tuple[str, ...]
    description: str
    uploader_id: str


def clean_tags(tags: tuple[str, ...] | list[str]) -> list[str]:
    cleaned = sorted({t.strip().lower() for t in tags if t.strip()})
    if len(cleaned) > MAX_TAGS or any(len(t) > 50 or '"' in t for t in cleaned):
        raise InvalidArgument(
            "tags", f"at most {MAX_TAGS} tags of at most 50 characters, no quotes"
        )
    return cleaned


class MediaUseCases:
    def __init__(self, db: Database, store: MediaStore, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.db = db
        self.store = store
        self.max_bytes = max_bytes

    async def upload(self, header: MediaHeader, chunks: AsyncIterator[bytes]) -> MediaRow:
        valid_tenant(header.tenant_id)
        tags = clean_tags(header.tags)
        upload = self.store.begin(header.tenant_id)
        head = bytearray()
        try:
            async for chunk in chunks:
                if upload.size + len(chunk) > self.max_bytes:
                    raise InvalidArgument("content", f"larger than the {self.max_bytes}-byte limit")
                if len(head) < HEAD_BYTES:
                    head += chunk[: HEAD_BYTES - len(head)]
                upload.write(chunk)
            if upload.size == 0:
                raise InvalidArgument("content", "empty upload")
            content_type = detect_type(bytes(head))
            if content_type is None:
                raise InvalidArgument(
                    "content", "unknown type; accepted: PNG, JPEG, GIF, WebP, MP4, PDF"
                )
        except BaseException:
            self.store.abort(upload)  # refused or interrupted: no partial file remains
            raise
        media_id = upload.sha256
        width, height = image_size(content_type, bytes(head))
        self.store.commit(upload, header.tenant_id, media_id)
        async with self.db.transaction() as session:
            row = await session.get(MediaRow, (header.tenant_id, media_id))
            if row is None:
                row = MediaRow(
                    tenant_id=header.tenant_id,
                    media_id=media_id,
                    content_type=content_type,
                    size=upload.size,
                    width=width,
                    height=height,
                    tags=tags,
                    filename=header.filename[:255],
                    description=header.description,
                    uploader_id=header.uploader_id,
                    created_at=utcnow(),
                )
            else:
                row.tags = sorted(
                    set(row.tags) | set(tags)
                )  # the same file again: one asset, tags merged
            session.add(row)
        return row

    async def get(self, tenant_id: str, media_id: str) -> MediaRow:
        valid_tenant(tenant_id)
        async with self.db.session() as session:
            row = await session.get(MediaRow, (tenant_id, media_id))
        if row is None:
            raise NotFound("media", media_id)
        return row

    async def download(
        self, tenant_id: str, media_id: str
    ) -> tuple[MediaRow, AsyncIterator[bytes]]:
        """The asset and its bytes in chunks. The row is looked up first (on
        the tenant), so another tenant's id is NOT_FOUND like an unknown one;
        the file is opened before returning, so a missing file is NOT_FOUND
        too rather than a stream that breaks after its first message."""
        row = await self.get(tenant_id, media_id)
        try:
            handle = await asyncio.to_thread(self.store.open, tenant_id, media_id)
        except FileNotFoundError:
            raise NotFound("media", media_id) from None

        async def chunks() -> AsyncIterator[bytes]:
            try:
                while chunk := await asyncio.to_thread(handle.read, DOWNLOAD_CHUNK):
                    yield chunk
            finally:
                handle.close()

        return row, chunks()

    async def tag(self, tenant_id: str, media_id: str, tags: list[str]) -> MediaRow:
        valid_tenant(tenant_id)
        cleaned = clean_tags(tags)
        async with self.db.transaction() as session:
            row = await session.get(MediaRow, (tenant_id, media_id))
            if row is None:
                raise NotFound("media", media_id)
            row.tags = cleaned
            session.add(row)
        return row

    async def list(
        self, tenant_id: str, tag: str, query: str, page_size: int, page_token: str
    ) -> tuple[list[MediaRow], str]:
        valid_tenant(tenant_id)
        limit = page_limit(page_size)
        statement = select(MediaRow).where(col(MediaRow.tenant_id) == tenant_id)
        if tag.strip():
            statement = statement.where(
                cast(col(MediaRow.tags), String).contains(
                    f'"{tag.strip().lower()}"', autoescape=True
                )
            )
        if query.strip():
            needle = query.strip().lower()
            statement = statement.where(
                or_(
                    col(MediaRow.filename).ilike(f"%{_escape(needle)}%", escape="\\"),
                    col(MediaRow.description).ilike(f"%{_escape(needle)}%", escape="\\"),
                )
            )
        if page_token:
            statement = statement.where(col(MediaRow.media_id) > page_token)
        statement = statement.order_by(col(MediaRow.media_id)).limit(limit)
        async with self.db.session() as session:
            rows = list((await session.execute(statement)).scalars())
        return rows, (rows[-1].media_id if len(rows) == limit else "")


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")

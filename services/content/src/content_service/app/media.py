"""The media drive: streamed upload with a size limit, type from content,
content-addressed (sha256: the same file is stored once), image dimensions,
tags, list and search by tag or text, download (streamed back). A comms
manager uploads and tags; staff read (app/policy.py)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace

from chorus_core.clock import utcnow
from chorus_core.errors import InvalidArgument, NotFound
from chorus_core.validation import tenant_id as valid_tenant
from chorus_db.ports import UnitOfWork
from chorus_identity.policy import actor_id
from chorus_identity.principal import Principal
from chorus_messaging.audit import AuditTrail

from content_service.app import policy
from content_service.app.ports import MediaStore, Stores
from content_service.app.queries import page_limit
from content_service.app.records import MediaAsset
from content_service.domain.media import HEAD_BYTES, detect_type, image_size

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
MAX_TAGS = 30
DOWNLOAD_CHUNK = 64 * 1024  # well under gRPC's 4 MiB message limit


@dataclass(frozen=True)
class MediaHeader:
    tenant_id: str  # empty = the caller's
    filename: str
    tags: tuple[str, ...]
    description: str


def clean_tags(tags: tuple[str, ...] | list[str]) -> list[str]:
    cleaned = sorted({t.strip().lower() for t in tags if t.strip()})
    if len(cleaned) > MAX_TAGS or any(len(t) > 50 or '"' in t for t in cleaned):
        raise InvalidArgument(
            "tags", f"at most {MAX_TAGS} tags of at most 50 characters, no quotes"
        )
    return cleaned


class MediaUseCases:
    def __init__(
        self,
        uow: UnitOfWork,
        stores: Stores,
        store: MediaStore,
        audit: AuditTrail,
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> None:
        self.uow = uow
        self.stores = stores
        self.store = store
        self.audit = audit
        self.max_bytes = max_bytes

    async def upload(
        self, actor: Principal, header: MediaHeader, chunks: AsyncIterator[bytes]
    ) -> MediaAsset:
        tenant_id = policy.comms(actor, header.tenant_id)
        valid_tenant(tenant_id)
        tags = clean_tags(header.tags)
        upload = self.store.begin(tenant_id)
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
        self.store.commit(upload, tenant_id, media_id)
        async with self.uow.transaction() as transaction:
            catalog = self.stores.media(transaction)
            asset = await catalog.get(tenant_id, media_id)
            if asset is None:
                asset = MediaAsset(
                    tenant_id=tenant_id,
                    media_id=media_id,
                    content_type=content_type,
                    size=upload.size,
                    width=width,
                    height=height,
                    tags=tuple(tags),
                    filename=header.filename[:255],
                    description=header.description,
                    uploader_id=actor_id(actor),
                    created_at=utcnow(),
                )
            else:  # the same file again: one asset, tags merged
                asset = replace(asset, tags=tuple(sorted(set(asset.tags) | set(tags))))
            await catalog.put(asset)
        return asset

    async def get(self, actor: Principal, tenant_id: str, media_id: str) -> MediaAsset:
        return await self._get(policy.staff(actor, tenant_id), media_id)

    async def _get(self, tenant_id: str, media_id: str) -> MediaAsset:
        valid_tenant(tenant_id)
        async with self.uow.session() as session:
            asset = await self.stores.media(session).get(tenant_id, media_id)
        if asset is None:
            raise NotFound("media", media_id)
        return asset

    async def download(
        self, actor: Principal, tenant_id: str, media_id: str
    ) -> tuple[MediaAsset, AsyncIterator[bytes]]:
        """The asset and its bytes in chunks. The row is looked up first (on
        the tenant), so another tenant's id is NOT_FOUND like an unknown one;
        the file is opened before returning, so a missing file is NOT_FOUND
        too rather than a stream that breaks after its first message."""
        tenant_id = policy.media_downloader(actor, tenant_id)
        asset = await self._get(tenant_id, media_id)
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

        return asset, chunks()

    async def tag(
        self,
        actor: Principal,
        tenant_id: str,
        media_id: str,
        tags: list[str],
        request_id: str = "",
    ) -> MediaAsset:
        tenant_id = policy.comms(actor, tenant_id)
        valid_tenant(tenant_id)
        cleaned = clean_tags(tags)
        async with self.uow.transaction() as transaction:
            catalog = self.stores.media(transaction)
            asset = await catalog.get(tenant_id, media_id)
            if asset is None:
                raise NotFound("media", media_id)
            before = len(asset.tags)
            asset = replace(asset, tags=tuple(cleaned))
            await catalog.put(asset)
            # Tags are words people typed (a name, a place): the log keeps their count.
            self.audit.record(
                transaction,
                tenant_id=tenant_id,
                action="media.tag",
                target_type="media",
                target_id=media_id,
                before={"tags": before},
                after={"tags": len(cleaned)},
                request_id=request_id,
            )
        return asset

    async def list(
        self,
        actor: Principal,
        tenant_id: str,
        tag: str,
        query: str,
        page_size: int,
        page_token: str,
    ) -> tuple[list[MediaAsset], str]:
        tenant_id = policy.staff(actor, tenant_id)
        valid_tenant(tenant_id)
        limit = page_limit(page_size)
        async with self.uow.session() as session:
            assets = await self.stores.media(session).page(
                tenant_id, tag.strip().lower(), query.strip().lower(), limit, page_token
            )
        return assets, (assets[-1].media_id if len(assets) == limit else "")

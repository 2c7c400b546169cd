"""Content's media drive over gRPC (DownloadMedia, a server stream, with a
deadline): a post's images with their alt text, read with publishing's own
identity (content lets the publishing service download its tenants' media).

Every share of a campaign posts the same images, so a replica keeps what it
downloaded for a minute (per tenant and media id; at most CACHE_ENTRIES
images of at most CACHED_BYTES each), and the shares in flight that ask for
one image at once wait for one download. A media id names its bytes (their
SHA-256); the minute bounds how long an edited alt text takes to show."""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict

import grpc
from chorus.content.v1 import content_service_pb2 as content_pb
from chorus.content.v1 import content_service_pb2_grpc as content_grpc
from chorus_grpc import insecure_channel
from chorus_identity.sources import TokenSource

from publishing_service.adapters.tracked_links import TRANSIENT
from publishing_service.app.ports import MediaItem, MediaRejected

# More than any network takes for an image (Bluesky 1 MB, X 5 MB, LinkedIn
# and Mastodon ~16 MB): a larger file (a video, a print PDF) is not fetched.
MAX_FETCH_BYTES = 16 * 1024 * 1024
CACHE_SECONDS = 60.0
CACHE_ENTRIES = 32
CACHED_BYTES = 2 * 1024 * 1024  # larger ones are fetched each time: memory stays bounded


class MediaDriveUnavailable(Exception):
    """Content did not answer (in time): retryable."""


class GrpcMediaDrive:
    def __init__(
        self,
        target: str,
        credentials: TokenSource,
        deadline_seconds: float = 30.0,
        max_bytes: int = MAX_FETCH_BYTES,
    ) -> None:
        self.channel = insecure_channel(
            target, deadline_seconds=deadline_seconds, credentials=credentials
        )
        self.stub = content_grpc.ContentServiceStub(self.channel)
        self.max_bytes = max_bytes
        self._cache: OrderedDict[tuple[str, str], tuple[float, asyncio.Task[MediaItem]]] = (
            OrderedDict()
        )

    async def fetch(self, tenant_id: str, media_id: str) -> MediaItem:
        key = (tenant_id, media_id)
        now = time.monotonic()
        cached = self._cache.get(key)
        if cached is None or cached[0] < now:
            download = asyncio.ensure_future(self.download(tenant_id, media_id))
            self._cache[key] = (now + CACHE_SECONDS, download)
            while len(self._cache) > CACHE_ENTRIES:
                self._cache.popitem(last=False)
        else:
            download = cached[1]
            self._cache.move_to_end(key)
        try:
            # Shielded: a share that gives up does not cancel the others' download.
            item = await asyncio.shield(download)
        except asyncio.CancelledError:
            raise
        except Exception:
            self._drop(key, download)  # a failure is not kept: the next share asks again
            raise
        if len(item.data) > CACHED_BYTES:
            self._drop(key, download)
        return item

    def _drop(self, key: tuple[str, str], download: asyncio.Task[MediaItem]) -> None:
        if key in self._cache and self._cache[key][1] is download:
            del self._cache[key]

    async def download(self, tenant_id: str, media_id: str) -> MediaItem:
        """One DownloadMedia call (fetch() goes through the cache)."""
        request = content_pb.DownloadMediaRequest(tenant_id=tenant_id, media_id=media_id)
        asset: content_pb.MediaAsset | None = None
        data = bytearray()
        try:
            async for part in self.stub.DownloadMedia(request):
                if part.HasField("asset"):
                    asset = part.asset
                    if asset.size > self.max_bytes:
                        raise MediaRejected(
                            f"media {media_id}: {asset.size} bytes, more than publishing fetches"
                            f" ({self.max_bytes})"
                        )
                data.extend(part.chunk)
                if len(data) > self.max_bytes:
                    raise MediaRejected(f"media {media_id}: more than publishing fetches")
        except grpc.aio.AioRpcError as error:
            if error.code() in TRANSIENT:
                raise MediaDriveUnavailable(f"content DownloadMedia: {error.code().name}") from None
            raise MediaRejected(
                f"content refused media {media_id}: {error.code().name} {error.details()}"
            ) from None
        if asset is None:
            raise MediaDriveUnavailable("content DownloadMedia: a stream without the asset")
        return MediaItem(
            media_id=asset.media_id,
            content_type=asset.content_type,
            data=bytes(data),
            # The drive's description of the image is its alt text.
            alt_text=asset.description,
            width=asset.width,
            height=asset.height,
        )

    async def close(self) -> None:
        self._cache.clear()
        await self.channel.close()

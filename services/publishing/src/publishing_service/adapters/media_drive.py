"""Content's media drive over gRPC (DownloadMedia, a server stream, with a
deadline): a post's images with their alt text, read with publishing's own
identity (content lets the publishing service download its tenants' media)."""

from __future__ import annotations

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

    async def fetch(self, tenant_id: str, media_id: str) -> MediaItem:
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
        await self.channel.close()

"""The media drive: upload (multipart or the raw bytes, streamed to content
in chunks), metadata, download (streamed back), list and search, tags.
Decode -> one ContentService call -> encode (content's policy: comms
managers upload and tag, staff read). The body limit of these routes is
their own (CHORUS_GATEWAY_MEDIA_MAX_BODY_BYTES, composition.MEDIA_PREFIX).

POST /v1/media                     upload (201, Location)
GET  /v1/media                     list (?tag=, ?q=; cursor)
GET  /v1/media/{media_id}          an asset's metadata
GET  /v1/media/{media_id}/content  its bytes
PUT  /v1/media/{media_id}/tags     replace its tags
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import quote

import grpc
from chorus.content.v1 import content_service_pb2 as pb
from chorus_core.prototime import from_timestamp
from fastapi import Path, Query, Request
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, Field

from gateway_service.domain.cursor import DEFAULT_LIMIT
from gateway_service.domain.problems import Problem, ProblemError
from gateway_service.entrypoints.deps import Caller, RequestId
from gateway_service.entrypoints.http_posts import Content
from gateway_service.entrypoints.media_upload import MULTIPART, Upload, parse_multipart
from gateway_service.entrypoints.pagination import Cursor, Limit, Page, page, page_token
from gateway_service.entrypoints.posts_json import Strict
from gateway_service.entrypoints.routing import router

api = router("/v1/media", ["media"])
MediaId = Annotated[str, Path(min_length=1, max_length=100, description="The asset's id")]
Tags = Annotated[list[str] | None, Query(max_length=30, description="A tag (repeat for more)")]


class MediaAsset(BaseModel):
    media_id: str
    content_type: str
    size: int
    width: int
    height: int
    tags: list[str]
    filename: str
    description: str
    uploader_id: str
    created_at: datetime | None

    @classmethod
    def of(cls, a: pb.MediaAsset) -> MediaAsset:
        return cls(
            media_id=a.media_id,
            content_type=a.content_type,
            size=a.size,
            width=a.width,
            height=a.height,
            tags=list(a.tags),
            filename=a.filename,
            description=a.description,
            uploader_id=a.uploader_id,
            created_at=from_timestamp(a.created_at),
        )


class TagsIn(Strict):
    tags: list[Annotated[str, Field(max_length=50)]] = Field(max_length=30)


_UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            MULTIPART: {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "filename": {"type": "string", "maxLength": 255},
                        "tags": {"type": "array", "items": {"type": "string"}},
                        "description": {"type": "string", "maxLength": 2000},
                    },
                }
            },
            "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
        },
    }
}


def _messages(tenant: str, upload: Upload) -> Iterator[pb.UploadMediaRequest]:
    header = pb.MediaHeader(
        tenant_id=tenant,
        filename=upload.filename,
        tags=upload.tags,
        description=upload.description,
    )
    yield pb.UploadMediaRequest(header=header)
    for chunk in upload.chunks():
        yield pb.UploadMediaRequest(chunk=chunk)


@api.post(
    "",
    status_code=201,
    response_model=MediaAsset,
    summary="Upload a file (multipart `file`, or the raw bytes with metadata in the query)",
    openapi_extra=_UPLOAD_BODY,
)
async def upload(
    request: Request,
    caller: Caller,
    stub: Content,
    filename: Annotated[str, Query(max_length=255)] = "",
    tags: Tags = None,
    description: Annotated[str, Query(max_length=2000)] = "",
) -> JSONResponse:
    content_type = request.headers.get("content-type", "")
    body = await request.body()  # read already for the Idempotency-Key fingerprint
    if content_type.lower().startswith(MULTIPART):
        parsed = parse_multipart(content_type, body)
        sent = Upload(
            parsed.content,
            parsed.filename or filename,
            parsed.tags or list(tags or ()),
            parsed.description or description,
        )
    else:
        sent = Upload(body, filename, list(tags or ()), description)
    answer = await stub.UploadMedia(_messages(caller.principal.tenant_id, sent))
    asset = MediaAsset.of(answer.asset)
    return JSONResponse(
        asset.model_dump(mode="json"),
        status_code=201,
        headers={"Location": f"/v1/media/{asset.media_id}"},
    )


@api.get("", summary="List and search the media drive")
async def list_media(
    request: Request,
    caller: Caller,
    stub: Content,
    tag: Annotated[str, Query(max_length=50)] = "",
    q: Annotated[str, Query(max_length=500)] = "",
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> Page[MediaAsset]:
    answer = await stub.ListMedia(
        pb.ListMediaRequest(
            tenant_id=caller.principal.tenant_id,
            tag=tag,
            query=q,
            page_size=limit,
            page_token=page_token(request, caller, cursor),
        )
    )
    items = [MediaAsset.of(a) for a in answer.assets]
    return page(request, caller, items, answer.next_page_token)


@api.get("/{media_id}", summary="An asset's metadata")
async def get_media(media_id: MediaId, caller: Caller, stub: Content) -> MediaAsset:
    answer = await stub.GetMedia(
        pb.GetMediaRequest(tenant_id=caller.principal.tenant_id, media_id=media_id)
    )
    return MediaAsset.of(answer.asset)


async def _rest(first: pb.DownloadMediaResponse, call: Any) -> AsyncIterator[bytes]:
    try:
        if first.chunk:
            yield first.chunk
        while (message := await call.read()) is not grpc.aio.EOF:
            yield message.chunk
    finally:
        call.cancel()  # done, or the client went away: end content's stream too


@api.get(
    "/{media_id}/content",
    summary="Download an asset's bytes",
    response_class=StreamingResponse,
    # The asset's own type (image/png, video/mp4, ...): any media type.
    responses={200: {"content": {"*/*": {"schema": {"type": "string", "format": "binary"}}}}},
)
async def download(media_id: MediaId, caller: Caller, stub: Content) -> StreamingResponse:
    # The call starts here, under the caller's identity; its first message
    # (the asset, or the error) comes before the response does, so a missing
    # asset is a 404 and the headers know the type and size.
    call = stub.DownloadMedia(
        pb.DownloadMediaRequest(tenant_id=caller.principal.tenant_id, media_id=media_id)
    )
    first = await call.read()
    if first is grpc.aio.EOF or not first.HasField("asset"):
        call.cancel()
        raise ProblemError(Problem(502, "upstream", "Upstream error", "the download had no asset"))
    asset = first.asset
    name = quote(asset.filename or asset.media_id)
    headers = {
        "Content-Length": str(asset.size),
        # Uploaded files are served as downloads, never rendered in our origin.
        "Content-Disposition": f"attachment; filename*=UTF-8''{name}",
        "X-Content-Type-Options": "nosniff",
    }
    return StreamingResponse(
        _rest(first, call),
        media_type=asset.content_type or "application/octet-stream",
        headers=headers,
    )


@api.put("/{media_id}/tags", summary="Replace an asset's tags")
async def tag_media(
    media_id: MediaId, body: TagsIn, caller: Caller, stub: Content, request_id: RequestId
) -> MediaAsset:
    answer = await stub.TagMedia(
        pb.TagMediaRequest(
            request_id=request_id,
            tenant_id=caller.principal.tenant_id,
            media_id=media_id,
            tags=body.tags,
        )
    )
    return MediaAsset.of(answer.asset)

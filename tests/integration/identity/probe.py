"""A probe server for the identity tests: a real GrpcServer (the
interceptors every Chorus server has) with two tiny servicers on existing
protos that answer with who the call context says is calling, so a test
sees not only that a call got through but as whom.

* gamification GetProfile (unary): employee_id = the principal's ref,
  entries = its roles;
* content DownloadMedia (server streaming) and UploadMedia (client
  streaming): the streaming paths of the interceptor, the same answers.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import grpc
from chorus.content.v1 import content_service_pb2 as content
from chorus.content.v1 import content_service_pb2_grpc as content_grpc
from chorus.gamification.v1 import gamification_service_pb2 as gamification
from chorus.gamification.v1 import gamification_service_pb2_grpc as gamification_grpc
from chorus_grpc import GrpcServer, ServiceBinding, insecure_channel
from chorus_identity.context import current_principal
from chorus_identity.sources import TokenSource
from chorus_identity.tokens import TokenVerifier


class WhoAmI(gamification_grpc.GamificationServiceServicer):
    async def GetProfile(
        self, request: gamification.GetProfileRequest, context: grpc.aio.ServicerContext
    ) -> gamification.GetProfileResponse:
        principal = current_principal()
        return gamification.GetProfileResponse(
            employee_id=principal.ref,
            entries=[gamification.LedgerEntry(reason=r.value) for r in sorted(principal.roles)],
        )


class StreamingWhoAmI(content_grpc.ContentServiceServicer):
    async def DownloadMedia(
        self, request: content.DownloadMediaRequest, context: grpc.aio.ServicerContext
    ) -> AsyncIterator[content.DownloadMediaResponse]:
        ref = current_principal().ref.encode()
        for _ in range(3):
            yield content.DownloadMediaResponse(chunk=ref)

    async def UploadMedia(
        self, request_iterator: AsyncIterator[content.UploadMediaRequest], context: Any
    ) -> content.UploadMediaResponse:
        parts = [part async for part in request_iterator]
        return content.UploadMediaResponse(
            asset=content.MediaAsset(media_id=current_principal().ref, size=len(parts))
        )


@asynccontextmanager
async def probe_server(verifier: TokenVerifier) -> AsyncIterator[GrpcServer]:
    server = GrpcServer(
        0,
        [
            ServiceBinding(
                WhoAmI(),
                gamification_grpc.add_GamificationServiceServicer_to_server,
                "chorus.gamification.v1.GamificationService",
            ),
            ServiceBinding(
                StreamingWhoAmI(),
                content_grpc.add_ContentServiceServicer_to_server,
                "chorus.content.v1.ContentService",
            ),
        ],
        verifier=verifier,
    )
    await server.start()
    try:
        yield server
    finally:
        await server.stop(0)


async def who_am_i(
    server: GrpcServer, credentials: TokenSource | None
) -> gamification.GetProfileResponse:
    """GetProfile over a fresh channel carrying `credentials` (None: no token)."""
    async with insecure_channel(f"127.0.0.1:{server.port}", 10, credentials) as channel:
        stub = gamification_grpc.GamificationServiceStub(channel)
        response: gamification.GetProfileResponse = await stub.GetProfile(
            gamification.GetProfileRequest()
        )
        return response


async def raw_call(server: GrpcServer, metadata: list[tuple[str, str]]) -> str:
    """GetProfile with exactly this metadata (a forged header, a bad scheme):
    no token source, nothing added. Returns the principal's ref."""
    async with grpc.aio.insecure_channel(f"127.0.0.1:{server.port}") as channel:
        stub = gamification_grpc.GamificationServiceStub(channel)
        response = await stub.GetProfile(
            gamification.GetProfileRequest(), metadata=metadata, timeout=10
        )
        return str(response.employee_id)

"""A client-streaming call refused while the client is still sending gets the
server's status, not grpcio's INTERNAL "Internal error from Core"
(chorus_grpc.streams): over a real socket, through the interceptors every
Chorus server has, with the client streaming from an iterator as the gateway
and the CLI do. Each refusal is repeated, since the failure it guards against
was a race that a single call hits only some of the time."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import grpc
import pytest
from chorus_core.errors import PermissionDenied
from chorus_grpc import GrpcServer, ServiceBinding, insecure_channel
from chorus_testing.identity import IDENTITY, everything

SERVICE = "chorus.test.Uploads"
METHOD = f"/{SERVICE}/Send"
CHUNK = b"x" * 64 * 1024
CHUNKS = 64  # 4 MiB: far more than the transport's window, so writes wait
TRIES = 200  # without chorus_grpc.streams, the first dozens already fail


class Uploads:
    """Refuses a stream whose first message starts with "deny", at that
    message; otherwise answers how many bytes it read."""

    async def send(
        self, requests: AsyncIterator[bytes], context: grpc.aio.ServicerContext
    ) -> bytes:
        total = 0
        async for chunk in requests:
            if total == 0 and chunk.startswith(b"deny"):
                raise PermissionDenied("not your tenant's directory")
            total += len(chunk)
        return str(total).encode()


def _add(servicer: Uploads, server: grpc.aio.Server) -> None:
    handler: grpc.RpcMethodHandler[bytes, bytes] = grpc.stream_unary_rpc_method_handler(
        servicer.send
    )
    server.add_generic_rpc_handlers(
        (grpc.method_handlers_generic_handler(SERVICE, {"Send": handler}),)
    )


@pytest.fixture
async def server() -> AsyncIterator[GrpcServer]:
    server = GrpcServer(0, [ServiceBinding(Uploads(), _add, SERVICE)], verifier=IDENTITY.verifier)
    await server.start()
    yield server
    await server.stop(0)


def _stream(first: bytes) -> Iterator[bytes]:
    yield first
    for _ in range(CHUNKS):
        yield CHUNK


async def _send(channel: grpc.aio.Channel, first: bytes) -> Any:
    send: Any = channel.stream_unary(METHOD)  # raw bytes: no serializers
    return await send(_stream(first), timeout=30)


async def test_a_stream_refused_at_its_first_message_gets_the_refusal(server: GrpcServer) -> None:
    channel = insecure_channel(
        f"127.0.0.1:{server.port}", credentials=IDENTITY.credentials(everything())
    )
    try:
        for _ in range(TRIES):
            with pytest.raises(grpc.aio.AioRpcError) as refused:
                await _send(channel, b"deny me")
            assert refused.value.code() is grpc.StatusCode.PERMISSION_DENIED
            assert refused.value.details() == "not your tenant's directory"
        # The same channel still carries a permitted stream to its end.
        assert await _send(channel, b"ok") == str(2 + CHUNKS * len(CHUNK)).encode()
    finally:
        await channel.close()


async def test_a_stream_without_a_verified_caller_gets_unauthenticated(server: GrpcServer) -> None:
    channel = insecure_channel(f"127.0.0.1:{server.port}")  # no token
    try:
        for _ in range(TRIES):
            with pytest.raises(grpc.aio.AioRpcError) as refused:
                await _send(channel, b"ok")
            assert refused.value.code() is grpc.StatusCode.UNAUTHENTICATED
    finally:
        await channel.close()

"""Every call verified, once, for every server and client.

Server side: a caller without a valid bearer token gets UNAUTHENTICATED
before any servicer code runs; with one, the verified Principal is the call
context's (chorus_identity.context) for the servicer, its use cases, the
outbox and the audit log. Health and reflection stay open, so probes and
grpcurl work without credentials.

Client side: each call gets `authorization: Bearer <token>` from a
TokenSource (the service's own identity, or a token minted for a user).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import grpc
from chorus_core.errors import Unauthenticated
from chorus_identity.context import acting_as
from chorus_identity.principal import Principal
from chorus_identity.sources import TokenSource
from chorus_identity.tokens import TokenVerifier

from chorus_grpc.streams import ClientStream

OPEN_PREFIXES = (
    "/grpc.health.v1.Health/",
    "/grpc.reflection.v1alpha.ServerReflection/",
    "/grpc.reflection.v1.ServerReflection/",
)
AUTHORIZATION = "authorization"


def bearer_of(metadata: Any) -> str:
    for key, value in metadata or ():
        if key == AUTHORIZATION and isinstance(value, str):
            scheme, _, token = value.partition(" ")
            if scheme.lower() == "bearer" and token.strip():
                return token.strip()
    raise Unauthenticated("missing bearer token")


class AuthInterceptor(grpc.aio.ServerInterceptor):
    def __init__(self, verifier: TokenVerifier) -> None:
        self.verifier = verifier

    async def intercept_service(
        self,
        continuation: Callable[
            [grpc.HandlerCallDetails], Awaitable[grpc.RpcMethodHandler[Any, Any] | None]
        ],
        handler_call_details: grpc.HandlerCallDetails,
    ) -> grpc.RpcMethodHandler[Any, Any] | None:
        handler = await continuation(handler_call_details)
        method = str(handler_call_details.method)
        if handler is None or method.startswith(OPEN_PREFIXES):
            return handler
        serializers: dict[str, Any] = {
            "request_deserializer": handler.request_deserializer,
            "response_serializer": handler.response_serializer,
        }
        if handler.unary_unary:
            return grpc.unary_unary_rpc_method_handler(
                self._unary(handler.unary_unary), **serializers
            )
        if handler.stream_unary:
            return grpc.stream_unary_rpc_method_handler(
                self._client_streaming(handler.stream_unary), **serializers
            )
        if handler.unary_stream:
            return grpc.unary_stream_rpc_method_handler(
                self._streaming(handler.unary_stream), **serializers
            )
        if handler.stream_stream:
            return grpc.stream_stream_rpc_method_handler(
                self._streaming(handler.stream_stream), **serializers
            )
        return handler

    async def _verify(
        self, context: grpc.aio.ServicerContext, stream: ClientStream | None = None
    ) -> tuple[Principal, str]:
        try:
            token = bearer_of(context.invocation_metadata())
            return await self.verifier.verify(token), token
        except Unauthenticated as error:
            if stream is not None:
                await stream.drain()  # chorus_grpc.streams says why
            await context.abort(grpc.StatusCode.UNAUTHENTICATED, error.message)
            raise AssertionError("abort raises") from error

    def _unary(self, behaviour: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
        async def wrapper(request: Any, context: grpc.aio.ServicerContext) -> Any:
            principal, token = await self._verify(context)
            with acting_as(principal, token):
                return await behaviour(request, context)

        return wrapper

    def _client_streaming(
        self, behaviour: Callable[..., Awaitable[Any]]
    ) -> Callable[..., Awaitable[Any]]:
        async def wrapper(request: Any, context: grpc.aio.ServicerContext) -> Any:
            stream = ClientStream.of(request)
            principal, token = await self._verify(context, stream)
            with acting_as(principal, token):
                return await behaviour(stream, context)

        return wrapper

    def _streaming(self, behaviour: Callable[..., Any]) -> Callable[..., AsyncIterator[Any]]:
        # grpc's stubs type streaming behaviours as sync iterators; on an aio
        # server they are async generators.
        async def wrapper(request: Any, context: grpc.aio.ServicerContext) -> AsyncIterator[Any]:
            principal, token = await self._verify(context)
            with acting_as(principal, token):
                async for item in behaviour(request, context):
                    yield item

        return wrapper


def _with_token(details: grpc.aio.ClientCallDetails, token: str) -> grpc.aio.ClientCallDetails:
    metadata = [
        (k, v) for k, v in (details.metadata or ()) if k != AUTHORIZATION
    ]  # one identity per call: ours replaces any other
    metadata.append((AUTHORIZATION, f"Bearer {token}"))
    return grpc.aio.ClientCallDetails(
        method=details.method,
        timeout=details.timeout,
        metadata=grpc.aio.Metadata(*metadata),
        credentials=details.credentials,
        wait_for_ready=details.wait_for_ready,
    )


class _BearerBase:
    def __init__(self, source: TokenSource) -> None:
        self.source = source

    async def _details(self, details: grpc.aio.ClientCallDetails) -> grpc.aio.ClientCallDetails:
        return _with_token(details, await self.source.token())


class BearerUnaryUnary(_BearerBase, grpc.aio.UnaryUnaryClientInterceptor):
    async def intercept_unary_unary(
        self, continuation: Callable[..., Any], details: grpc.aio.ClientCallDetails, request: Any
    ) -> Any:
        return await continuation(await self._details(details), request)


class BearerUnaryStream(_BearerBase, grpc.aio.UnaryStreamClientInterceptor):
    async def intercept_unary_stream(
        self, continuation: Callable[..., Any], details: grpc.aio.ClientCallDetails, request: Any
    ) -> Any:
        return await continuation(await self._details(details), request)


class BearerStreamUnary(_BearerBase, grpc.aio.StreamUnaryClientInterceptor):
    async def intercept_stream_unary(
        self,
        continuation: Callable[..., Any],
        details: grpc.aio.ClientCallDetails,
        request_iterator: Any,
    ) -> Any:
        return await continuation(await self._details(details), request_iterator)


def bearer_interceptors(source: TokenSource) -> list[grpc.aio.ClientInterceptor]:
    return [BearerUnaryUnary(source), BearerUnaryStream(source), BearerStreamUnary(source)]

"""Domain errors -> gRPC status codes, applied once for every RPC of every server."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

import grpc
from chorus_core.errors import (
    AlreadyExists,
    DomainError,
    FailedPrecondition,
    InvalidArgument,
    NotFound,
    PermissionDenied,
    Unauthenticated,
    Unavailable,
)
from google.protobuf import any_pb2
from google.rpc import code_pb2, error_details_pb2, status_pb2
from grpc_status import rpc_status

from chorus_grpc.streams import ClientStream

log = logging.getLogger(__name__)

STATUS_FOR: dict[type[DomainError], grpc.StatusCode] = {
    InvalidArgument: grpc.StatusCode.INVALID_ARGUMENT,
    NotFound: grpc.StatusCode.NOT_FOUND,
    FailedPrecondition: grpc.StatusCode.FAILED_PRECONDITION,
    AlreadyExists: grpc.StatusCode.ALREADY_EXISTS,
    PermissionDenied: grpc.StatusCode.PERMISSION_DENIED,
    Unauthenticated: grpc.StatusCode.UNAUTHENTICATED,
    Unavailable: grpc.StatusCode.UNAVAILABLE,
}

# What a peer's failure means to our caller, when we call it on their behalf:
# its refusal of the caller's identity or request is theirs to see; anything
# else (down, slow, broken) is "try again later", never our INTERNAL.
_PEER_REFUSALS: dict[grpc.StatusCode, Callable[[str], DomainError]] = {
    grpc.StatusCode.PERMISSION_DENIED: PermissionDenied,
    grpc.StatusCode.UNAUTHENTICATED: Unauthenticated,
    grpc.StatusCode.FAILED_PRECONDITION: FailedPrecondition,
}


def peer_error(error: grpc.aio.AioRpcError, peer: str) -> DomainError:
    """The DomainError for a failed call to `peer` made for our caller."""
    code = error.code()
    message = f"{peer}: {error.details() or code.name}"
    refusal = _PEER_REFUSALS.get(code)
    if refusal is not None:
        return refusal(message)
    if code is grpc.StatusCode.INVALID_ARGUMENT:
        return FailedPrecondition(message)  # our request to it, not the caller's field
    return Unavailable(message)


def status_code_for(error: DomainError) -> grpc.StatusCode:
    for cls in type(error).__mro__:
        if cls in STATUS_FOR:
            return STATUS_FOR[cls]
    return grpc.StatusCode.FAILED_PRECONDITION


def rich_status(error: DomainError) -> grpc.Status:
    code = status_code_for(error)
    status = status_pb2.Status(code=code.value[0], message=error.message)
    if isinstance(error, InvalidArgument):
        # Machine-readable field name, as google.rpc.BadRequest, for clients
        # that want to highlight the field; the message says it for humans.
        detail = any_pb2.Any()
        detail.Pack(
            error_details_pb2.BadRequest(
                field_violations=[
                    error_details_pb2.BadRequest.FieldViolation(
                        field=error.field, description=error.reason
                    )
                ]
            )
        )
        status.details.append(detail)
    assert code_pb2.OK == 0
    return rpc_status.to_status(status)


class DomainErrorInterceptor(grpc.aio.ServerInterceptor):
    """Turns DomainError into the matching status; anything else is INTERNAL
    (logged with its trace id, message not leaked to the caller)."""

    async def intercept_service(
        self,
        continuation: Callable[
            [grpc.HandlerCallDetails], Awaitable[grpc.RpcMethodHandler[Any, Any] | None]
        ],
        handler_call_details: grpc.HandlerCallDetails,
    ) -> grpc.RpcMethodHandler[Any, Any] | None:
        handler = await continuation(handler_call_details)
        if handler is None:
            return handler
        if handler.unary_unary:
            return grpc.unary_unary_rpc_method_handler(
                _wrap_unary(handler.unary_unary),
                request_deserializer=handler.request_deserializer,
                response_serializer=handler.response_serializer,
            )
        if handler.stream_unary:
            return grpc.stream_unary_rpc_method_handler(
                _wrap_unary(handler.stream_unary, streamed=True),
                request_deserializer=handler.request_deserializer,
                response_serializer=handler.response_serializer,
            )
        return handler


def _wrap_unary(
    behaviour: Callable[..., Awaitable[Any]], streamed: bool = False
) -> Callable[..., Awaitable[Any]]:
    """`streamed`: the request is a client stream, read to its end before a
    refusal (chorus_grpc.streams says why)."""

    async def wrapper(request: Any, context: grpc.aio.ServicerContext) -> Any:
        stream = ClientStream.of(request) if streamed else None
        try:
            return await behaviour(stream or request, context)
        except DomainError as error:
            if stream is not None:
                await stream.drain()
            await context.abort_with_status(rich_status(error))
        except (grpc.aio.AbortError, grpc.RpcError):
            raise
        except Exception:
            log.exception("unhandled error in RPC")
            if stream is not None:
                await stream.drain()
            await context.abort(grpc.StatusCode.INTERNAL, "internal error")

    return wrapper

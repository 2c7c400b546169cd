"""Client channels. Every call gets a deadline: one given by the caller, or
the channel's default, so a slow dependency can never hang a consumer."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import grpc
from chorus_identity.sources import TokenSource
from opentelemetry.instrumentation.grpc import aio_client_interceptors

from chorus_grpc.auth import bearer_interceptors

DEFAULT_DEADLINE_SECONDS = 5.0


class DefaultDeadlineInterceptor(grpc.aio.UnaryUnaryClientInterceptor):
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    async def intercept_unary_unary(
        self,
        continuation: Callable[[grpc.aio.ClientCallDetails, Any], Awaitable[Any]],
        client_call_details: grpc.aio.ClientCallDetails,
        request: Any,
    ) -> Any:
        if client_call_details.timeout is None:
            client_call_details = grpc.aio.ClientCallDetails(
                method=client_call_details.method,
                timeout=self.seconds,
                metadata=client_call_details.metadata,
                credentials=client_call_details.credentials,
                wait_for_ready=client_call_details.wait_for_ready,
            )
        return await continuation(client_call_details, request)


def insecure_channel(
    target: str,
    deadline_seconds: float = DEFAULT_DEADLINE_SECONDS,
    credentials: TokenSource | None = None,
) -> grpc.aio.Channel:
    """`credentials`: whose identity the calls carry. Without one the callee
    answers UNAUTHENTICATED to everything but health and reflection."""
    # The deadline interceptor goes first so the tracing interceptor (and the
    # call itself) see the timeout.
    auth = bearer_interceptors(credentials) if credentials is not None else []
    return grpc.aio.insecure_channel(
        target,
        interceptors=[
            DefaultDeadlineInterceptor(deadline_seconds),
            *auth,
            *aio_client_interceptors(),
        ],
        options=[("grpc.max_receive_message_length", 32 * 1024 * 1024)],
    )

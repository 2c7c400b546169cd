"""A client stream (the requests of a stream-unary call) that a server reads
to its end before it refuses the call.

Why: when a server ends a client-streaming call while the client is still
writing, grpcio's asyncio client fails the pending write and reports it as
INTERNAL "Internal error from Core", overwriting the status the server sent
(grpc/grpc#36066, still open). A tenant admin refused at the first chunk of a
large directory export would then read "internal error" instead of "permission
denied". Reading the rest of the stream first means the client has half-closed
before the status leaves, so no write can fail and the server's answer is the
one the caller sees. The cost is reading (never storing) what a refused caller
sends, which is what a permitted caller's call would have read anyway.

Both refusal points use it: chorus_grpc.auth (no verified caller) and
chorus_grpc.errors (a domain error raised by the handler)."""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator
from typing import Any


class ClientStream:
    """The requests of one call, knowing whether they were read to the end."""

    def __init__(self, requests: AsyncIterable[Any]) -> None:
        self._requests = aiter(requests)
        self._ended = False

    @classmethod
    def of(cls, requests: AsyncIterable[Any]) -> ClientStream:
        # Both interceptors wrap the same call: the inner one reuses the
        # outer one's, so "read to the end" is known to both.
        return requests if isinstance(requests, ClientStream) else cls(requests)

    def __aiter__(self) -> AsyncIterator[Any]:
        return self

    async def __anext__(self) -> Any:
        if self._ended:
            raise StopAsyncIteration
        try:
            return await anext(self._requests)
        except StopAsyncIteration:
            self._ended = True
            raise

    async def drain(self) -> None:
        """Read (and drop) what the client has still to send."""
        async for _ in self:
            pass

"""Shared parts of the per-service authorization matrices (tests/authz).

Every `test_<service>_authz.py` runs its service's real gRPC server with the
session test issuer (chorus_testing.identity.IDENTITY) and calls it as many
principals. These helpers keep the assertions the same everywhere:

* `expect_denied(call)`: refused as PERMISSION_DENIED or NOT_FOUND (tenant
  isolation allows either; a role check wants `codes={DENIED}`), and the
  refusal carries none of the `secrets` given (no data of the other tenant);
* `expect_unauthenticated(call)`: no or a bad token;
* `Callers` / `channel_as`: channels and stubs carrying a principal's token,
  closed together at the end of a test.

`SERVICES` names every Chorus gRPC service by the descriptor its generated
code carries; test_coverage.py holds each module's `RPCS` against it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection
from typing import Any, TypeVar

import grpc
from chorus.content.v1 import content_service_pb2
from chorus.gamification.v1 import gamification_service_pb2
from chorus.metrics.v1 import metrics_service_pb2
from chorus.publishing.v1 import publishing_service_pb2
from chorus.scheduling.v1 import scheduling_service_pb2
from chorus.targeting.v1 import targeting_service_pb2
from chorus.translation.v1 import translation_service_pb2
from chorus_grpc import GrpcServer, insecure_channel
from chorus_identity.principal import Principal
from chorus_testing.identity import IDENTITY
from google.protobuf.descriptor import ServiceDescriptor

DENIED = grpc.StatusCode.PERMISSION_DENIED
HIDDEN = grpc.StatusCode.NOT_FOUND
UNAUTHENTICATED = grpc.StatusCode.UNAUTHENTICATED
# What a caller of another tenant may get: refused, or simply not found.
ISOLATED: frozenset[grpc.StatusCode] = frozenset({DENIED, HIDDEN})

SERVICES: dict[str, ServiceDescriptor] = {
    "content": content_service_pb2.DESCRIPTOR.services_by_name["ContentService"],
    "targeting": targeting_service_pb2.DESCRIPTOR.services_by_name["TargetingService"],
    "translation": translation_service_pb2.DESCRIPTOR.services_by_name["TranslationService"],
    "scheduling": scheduling_service_pb2.DESCRIPTOR.services_by_name["SchedulingService"],
    "publishing": publishing_service_pb2.DESCRIPTOR.services_by_name["PublishingService"],
    "gamification": gamification_service_pb2.DESCRIPTOR.services_by_name["GamificationService"],
    "metrics": metrics_service_pb2.DESCRIPTOR.services_by_name["MetricsService"],
}

Stub = TypeVar("Stub")


def rpc_names(service: str) -> set[str]:
    """Every method name of a service ("content", "targeting", ...)."""
    return {m.name for m in SERVICES[service].methods}


def target_of(server: GrpcServer | int | str) -> str:
    if isinstance(server, GrpcServer):
        return f"127.0.0.1:{server.port}"
    if isinstance(server, int):
        return f"127.0.0.1:{server}"
    return server


def channel_as(
    server: GrpcServer | int | str, principal: Principal | None, deadline: float = 10.0
) -> grpc.aio.Channel:
    """A channel whose calls carry `principal`'s token (None: no token at
    all). The caller closes it; `Callers` does that for a whole test."""
    credentials = IDENTITY.credentials(principal) if principal is not None else None
    return insecure_channel(target_of(server), deadline, credentials)


class Callers:
    """Stubs per principal on one server, every channel closed by `close()`:

    callers = Callers(server)
    try:
        stub = callers.stub(pb_grpc.ContentServiceStub, EDITOR_A)
        ...
    finally:
        await callers.close()
    """

    def __init__(self, server: GrpcServer | int | str) -> None:
        self.target = target_of(server)
        self._channels: list[grpc.aio.Channel] = []

    def stub(
        self, factory: Callable[[grpc.aio.Channel], Stub], principal: Principal | None
    ) -> Stub:
        channel = channel_as(self.target, principal)
        self._channels.append(channel)
        return factory(channel)

    async def close(self) -> None:
        for channel in self._channels:
            await channel.close()
        self._channels.clear()


async def expect_code(
    call: Awaitable[Any], codes: Collection[grpc.StatusCode], secrets: Collection[str] = ()
) -> grpc.aio.AioRpcError:
    """The call fails with one of `codes`, and its status details name none of
    `secrets` (values of the object the caller must not see)."""
    try:
        response = await call
    except grpc.aio.AioRpcError as error:
        assert error.code() in codes, f"expected {sorted(c.name for c in codes)}, got {error}"
        details = error.details() or ""
        leaked = [s for s in secrets if s and s in details]
        assert not leaked, f"the refusal names what it protects: {leaked}"
        return error
    raise AssertionError(f"expected {sorted(c.name for c in codes)}, the call answered {response}")


async def expect_denied(
    call: Awaitable[Any],
    codes: Collection[grpc.StatusCode] = ISOLATED,
    secrets: Collection[str] = (),
) -> grpc.aio.AioRpcError:
    """Refused: PERMISSION_DENIED or NOT_FOUND by default (tenant isolation);
    pass `codes={DENIED}` where only a role refusal is right."""
    return await expect_code(call, codes, secrets)


async def expect_unauthenticated(call: Awaitable[Any]) -> grpc.aio.AioRpcError:
    return await expect_code(call, {UNAUTHENTICATED})

"""A grpc.aio server with what every Chorus server must have: the standard
health service, server reflection (grpcurl works without .proto files),
OpenTelemetry tracing, a verified caller on every call (chorus_grpc.auth)
and domain-error mapping."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import grpc
from chorus_identity.tokens import TokenVerifier
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_health.v1.health import aio as health_aio
from grpc_reflection.v1alpha import reflection
from opentelemetry.instrumentation.grpc import aio_server_interceptor

from chorus_grpc.auth import AuthInterceptor
from chorus_grpc.errors import DomainErrorInterceptor

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ServiceBinding:
    """A servicer and how to register it: `add` is the generated add_*_to_server,
    `name` the full service name (for reflection and health)."""

    servicer: Any
    add: Callable[[Any, grpc.aio.Server], None]
    name: str


class GrpcServer:
    def __init__(
        self,
        port: int,
        bindings: list[ServiceBinding],
        host: str = "127.0.0.1",
        *,
        verifier: TokenVerifier,
    ) -> None:
        self.address = f"{host}:{port}"
        self.bindings = bindings
        self.health = health_aio.HealthServicer()
        self.server = grpc.aio.server(
            # Tracing outermost (an unauthenticated call is still a span),
            # then identity, then domain errors around the servicer.
            interceptors=[
                aio_server_interceptor(),
                AuthInterceptor(verifier),
                DomainErrorInterceptor(),
            ],
            options=[
                ("grpc.max_receive_message_length", 32 * 1024 * 1024),
                # gRPC enables SO_REUSEPORT by default: a second process (a
                # leftover from an earlier run) could then bind the same port
                # silently and take half the calls. A port in use must fail.
                ("grpc.so_reuseport", 0),
            ],
        )
        for binding in bindings:
            binding.add(binding.servicer, self.server)
        health_pb2_grpc.add_HealthServicer_to_server(self.health, self.server)
        names = [b.name for b in bindings]
        reflection.enable_server_reflection(
            [
                *names,
                health_pb2.DESCRIPTOR.services_by_name["Health"].full_name,
                reflection.SERVICE_NAME,
            ],
            self.server,
        )
        self.port = self.server.add_insecure_port(self.address)
        if self.port == 0:
            raise RuntimeError(f"cannot bind gRPC server to {self.address}")

    async def start(self) -> None:
        await self.server.start()
        serving = health_pb2.HealthCheckResponse.SERVING
        await self.health.set("", serving)
        for binding in self.bindings:
            await self.health.set(binding.name, serving)
        log.info("gRPC server listening", extra={"chorus": {"address": self.address}})

    async def stop(self, grace: float = 5.0) -> None:
        await self.health.enter_graceful_shutdown()
        await self.server.stop(grace)

"""Readiness probes of what the gateway depends on: its database and the
services' gRPC health (open, so no token is needed)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

from chorus_db import Database
from chorus_grpc import insecure_channel
from grpc_health.v1 import health_pb2, health_pb2_grpc
from sqlalchemy import text

Check = Callable[[], Awaitable[None]]


def database_check(db: Database) -> Check:
    async def check() -> None:
        async with db.session() as session:
            await session.execute(text("SELECT 1"))

    return check


class ServiceHealth:
    def __init__(self, addresses: Mapping[str, str], deadline_seconds: float = 2.0) -> None:
        self._channels = {
            name: insecure_channel(address, deadline_seconds) for name, address in addresses.items()
        }

    def checks(self) -> dict[str, Check]:
        return {name: self._check(name) for name in self._channels}

    def _check(self, name: str) -> Check:
        stub = health_pb2_grpc.HealthStub(self._channels[name])

        async def check() -> None:
            answer = await stub.Check(health_pb2.HealthCheckRequest())
            if answer.status != health_pb2.HealthCheckResponse.SERVING:
                raise ConnectionError(f"{name} is not serving")

        return check

    async def close(self) -> None:
        for channel in self._channels.values():
            await channel.close()

"""Composition root: settings -> runtime (telemetry, db, broker) -> use cases -> gRPC + Kafka."""

from __future__ import annotations

import asyncio
import logging

from chorus_core.settings import ServiceSettings, env_str
from chorus_runtime import ServiceRuntime

from targeting_service.adapters.scim_storage import DatabaseScimStorage
from targeting_service.adapters.tables import MIGRATIONS
from targeting_service.app.audiences import AudienceUseCases
from targeting_service.app.consent import ConsentUseCases
from targeting_service.app.directory import DirectoryUseCases
from targeting_service.entrypoints import grpc_api, kafka_handlers, scim_http

log = logging.getLogger(__name__)
DEFAULT_GRPC_PORT = 7002
# The stack runner sets CHORUS_TARGETING_SCIM_PORT = 7090 + its port offset,
# so parallel stacks do not collide; 0 would pick an ephemeral port (logged).
DEFAULT_SCIM_PORT = 7090


async def serve() -> None:
    settings = ServiceSettings.from_env("targeting", DEFAULT_GRPC_PORT)
    runtime = ServiceRuntime(settings)
    runtime.subscribe(kafka_handlers.subscriptions(runtime.outbox, settings.region))
    use_cases = grpc_api.TargetingUseCases(
        DirectoryUseCases(runtime.db, settings.region, runtime.outbox),
        AudienceUseCases(runtime.db, settings.region),
        ConsentUseCases(runtime.db, runtime.outbox),
    )
    scim = scim_http.ScimHttpServer(
        scim_http.TenantScimApplication(
            DatabaseScimStorage(
                runtime.db, scim_http.scim_provider(), settings.region, runtime.outbox
            ),
            scim_http.scim_provider(),
            use_cases.consent.tenant_for_token,
        ),
        env_str("CHORUS_TARGETING_SCIM_HOST", "127.0.0.1"),
        int(env_str("CHORUS_TARGETING_SCIM_PORT", str(DEFAULT_SCIM_PORT))),
    )
    log.info("SCIM listening", extra={"chorus": {"url": f"http://127.0.0.1:{scim.port}/scim/v2"}})
    await runtime.run([grpc_api.binding(use_cases)], MIGRATIONS, background=[scim.serve])


def run() -> None:
    asyncio.run(serve())


if __name__ == "__main__":
    run()

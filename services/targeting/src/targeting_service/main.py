"""Composition root: settings -> runtime (telemetry, db, broker) -> use cases -> gRPC + Kafka."""

from __future__ import annotations

import asyncio
import logging

from chorus_runtime import ServiceRuntime

from targeting_service import composition
from targeting_service.adapters.migrations import SCHEMA
from targeting_service.adapters.scim_storage import DatabaseScimStorage
from targeting_service.entrypoints import grpc_api, kafka_handlers, scim_http
from targeting_service.settings import TargetingSettings

log = logging.getLogger(__name__)


async def serve() -> None:
    settings = TargetingSettings.from_env()
    runtime = ServiceRuntime(settings)
    targeting = composition.build(runtime.db, settings.region, runtime.outbox)
    runtime.subscribe(kafka_handlers.subscriptions(targeting.resolution))
    use_cases = targeting.use_cases
    scim = scim_http.ScimHttpServer(
        scim_http.TenantScimApplication(
            DatabaseScimStorage(
                runtime.db, scim_http.scim_provider(), settings.region, runtime.outbox
            ),
            scim_http.scim_provider(),
            use_cases.consent.tenant_for_token,
        ),
        settings.targeting_scim_host,
        settings.targeting_scim_port,
    )
    log.info("SCIM listening", extra={"chorus": {"url": f"http://127.0.0.1:{scim.port}/scim/v2"}})
    await runtime.run([grpc_api.binding(use_cases)], SCHEMA, background=[scim.serve])


def run() -> None:
    asyncio.run(serve())


if __name__ == "__main__":
    run()

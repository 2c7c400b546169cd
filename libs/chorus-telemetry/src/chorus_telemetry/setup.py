"""One call a service makes at start-up, before anything else.

OpenTelemetry is configured from its standard variables
(OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_RESOURCE_ATTRIBUTES, ...). We add the
attributes every Chorus span must carry so an SRE can slice by region and
environment: service.namespace=chorus, cloud.region, deployment.environment.name.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from chorus_core.ids import new_id
from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

from chorus_telemetry.logs import configure_logging
from chorus_telemetry.metrics import start_metrics_server


@dataclass
class Telemetry:
    provider: TracerProvider

    def shutdown(self) -> None:
        """Flush spans still in the batch queue; called on graceful stop."""
        self.provider.force_flush(timeout_millis=5000)
        self.provider.shutdown()


def setup_telemetry(
    service: str, region: str, environment: str, metrics_port: int = 0
) -> Telemetry:
    configure_logging(service)
    resource = Resource.create(
        {
            "service.name": os.environ.get("OTEL_SERVICE_NAME", f"chorus-{service}"),
            "service.namespace": "chorus",
            "service.instance.id": new_id(),
            "cloud.region": region,
            "deployment.environment.name": environment,
        }
    )
    provider = TracerProvider(resource=resource)
    if os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT") or os.environ.get(
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"
    ):
        from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter

        # A short delay keeps traces visible within a second or two; the
        # volume of a campaign is far below what batching needs to absorb.
        provider.add_span_processor(
            BatchSpanProcessor(OTLPSpanExporter(), schedule_delay_millis=500)
        )
    trace.set_tracer_provider(provider)
    if metrics_port:
        start_metrics_server(metrics_port)
    return Telemetry(provider=provider)


def tracer(name: str) -> trace.Tracer:
    return trace.get_tracer(name)

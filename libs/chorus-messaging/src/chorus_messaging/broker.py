"""The Kafka broker every service uses: faststream over aiokafka, with the
OpenTelemetry and Prometheus middlewares on the broker (faststream >= 0.7
attaches middlewares to the broker, not to subscribers). The telemetry
middleware's spans carry the chorus.* event attributes (spans.py)."""

from __future__ import annotations

from chorus_telemetry.metrics import registry
from faststream.kafka import KafkaBroker
from faststream.kafka.prometheus import KafkaPrometheusMiddleware
from faststream.kafka.response import KafkaPublishCommand
from faststream.opentelemetry.middleware import TelemetryMiddleware
from opentelemetry import trace
from opentelemetry.trace import TracerProvider

from chorus_messaging.spans import telemetry_provider


def make_broker(
    bootstrap: str, client_id: str, tracer_provider: TracerProvider | None = None
) -> KafkaBroker:
    """`tracer_provider`: the global one unless given (tests pass their own)."""
    return KafkaBroker(
        bootstrap.split(","),
        client_id=client_id,
        # acks=all with idempotence: an acknowledged event survives a broker
        # loss, and producer retries never write it twice.
        enable_idempotence=True,
        acks="all",
        middlewares=[
            # KafkaTelemetryMiddleware with our attribute provider (it fixes
            # faststream's own provider, so it is built from its base class).
            TelemetryMiddleware[KafkaPublishCommand](
                settings_provider_factory=telemetry_provider,
                tracer_provider=tracer_provider or trace.get_tracer_provider(),
                include_messages_counters=True,
            ),
            KafkaPrometheusMiddleware(registry=registry()),
        ],
        logger=None,
    )

"""The Kafka broker every service uses: faststream over aiokafka, with the
OpenTelemetry and Prometheus middlewares on the broker (faststream >= 0.7
attaches middlewares to the broker, not to subscribers)."""

from __future__ import annotations

from chorus_telemetry.metrics import registry
from faststream.kafka import KafkaBroker
from faststream.kafka.opentelemetry import KafkaTelemetryMiddleware
from faststream.kafka.prometheus import KafkaPrometheusMiddleware
from opentelemetry import trace


def make_broker(bootstrap: str, client_id: str) -> KafkaBroker:
    return KafkaBroker(
        bootstrap.split(","),
        client_id=client_id,
        # acks=all with idempotence: an acknowledged event survives a broker
        # loss, and producer retries never write it twice.
        enable_idempotence=True,
        acks="all",
        middlewares=[
            KafkaTelemetryMiddleware(tracer_provider=trace.get_tracer_provider()),
            KafkaPrometheusMiddleware(registry=registry()),
        ],
        logger=None,
    )

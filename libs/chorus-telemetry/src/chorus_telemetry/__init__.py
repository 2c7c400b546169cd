"""Chorus telemetry: traces (OTLP), JSON logs with trace ids, Prometheus metrics."""

from chorus_telemetry.setup import Telemetry, setup_telemetry, tracer

__all__ = ["Telemetry", "setup_telemetry", "tracer"]

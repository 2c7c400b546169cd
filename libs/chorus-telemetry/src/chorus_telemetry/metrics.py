"""Prometheus metrics: one registry per process, scraped over HTTP."""

from __future__ import annotations

from prometheus_client import REGISTRY, CollectorRegistry, start_http_server


def registry() -> CollectorRegistry:
    return REGISTRY


def start_metrics_server(port: int) -> None:
    start_http_server(port, addr="127.0.0.1", registry=REGISTRY)

"""Kafka pipeline benchmark (part of make bench).

Events per second through a two-hop pipeline on the real broker.

Both variants consume the same N pre-loaded events from one topic and, for
each, produce one event to a second topic, awaiting the broker's ack:

  baseline   raw aiokafka: AIOKafkaConsumer -> AIOKafkaProducer.send_and_wait
  chorus     faststream KafkaBroker with the OpenTelemetry and Prometheus
             middlewares (the SDK tracer provider records every span) ->
             broker.publish

The ratio chorus/baseline is the figure to watch: both run in the same
process, on the same broker, minutes apart, so machine noise mostly cancels.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
import uuid
from collections.abc import Sequence

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from faststream.kafka import KafkaBroker
from faststream.kafka.opentelemetry import KafkaTelemetryMiddleware
from faststream.kafka.prometheus import KafkaPrometheusMiddleware
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter, SpanExportResult
from prometheus_client import CollectorRegistry

PAYLOAD = b"x" * 200
HEADERS = [("ce_type", b"chorus.bench.v1.Tick"), ("ce_tenantid", b"bench")]


class CountingExporter(SpanExporter):
    """Spans are built, batched and handed over for real; only the network
    send is skipped, so the benchmark measures Chorus, not the collector."""

    def __init__(self) -> None:
        self.spans = 0

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        self.spans += len(spans)
        return SpanExportResult.SUCCESS


async def make_topics(bootstrap: str, names: list[str]) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.create_topics(
            [NewTopic(n, num_partitions=3, replication_factor=1) for n in names]
        )
    finally:
        await admin.close()


async def drop_topics(bootstrap: str, names: list[str]) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.delete_topics(names)
    finally:
        await admin.close()


async def preload(bootstrap: str, topic: str, n: int) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=5)
    await producer.start()
    try:
        futures = [
            await producer.send(topic, PAYLOAD, key=str(i).encode(), headers=HEADERS)
            for i in range(n)
        ]
        await asyncio.gather(*futures)
    finally:
        await producer.stop()


async def raw_aiokafka(bootstrap: str, source: str, sink: str, n: int) -> float:
    consumer = AIOKafkaConsumer(
        source,
        bootstrap_servers=bootstrap,
        group_id=f"bench-raw-{uuid.uuid4().hex[:6]}",
        auto_offset_reset="earliest",
        enable_auto_commit=True,
    )
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=True)
    await consumer.start()
    await producer.start()
    done = 0
    started = 0.0
    try:
        async for record in consumer:
            if done == 0:
                started = time.perf_counter()
            await producer.send_and_wait(
                sink, record.value, key=record.key, headers=list(record.headers)
            )
            done += 1
            if done >= n:
                break
        return time.perf_counter() - started
    finally:
        await consumer.stop()
        await producer.stop()


async def faststream_pipeline(bootstrap: str, source: str, sink: str, n: int) -> tuple[float, int]:
    exporter = CountingExporter()
    provider = TracerProvider()
    provider.add_span_processor(BatchSpanProcessor(exporter))
    broker = KafkaBroker(
        bootstrap,
        logger=None,
        acks="all",
        enable_idempotence=True,
        middlewares=[
            KafkaTelemetryMiddleware(tracer_provider=provider),
            KafkaPrometheusMiddleware(registry=CollectorRegistry()),
        ],
    )
    finished = asyncio.Event()
    state = {"done": 0, "started": 0.0}

    @broker.subscriber(
        source, group_id=f"bench-fs-{uuid.uuid4().hex[:6]}", auto_offset_reset="earliest"
    )
    async def hop(body: bytes) -> None:
        if state["done"] == 0:
            state["started"] = time.perf_counter()
        await broker.publish(
            body, topic=sink, headers={"ce_type": "chorus.bench.v1.Tock", "ce_tenantid": "bench"}
        )
        state["done"] += 1
        if state["done"] >= n:
            finished.set()

    await broker.start()
    try:
        await asyncio.wait_for(finished.wait(), timeout=600)
        elapsed = time.perf_counter() - state["started"]
    finally:
        await broker.stop()
    provider.force_flush()
    provider.shutdown()
    return elapsed, exporter.spans


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--events", type=int, default=int(os.environ.get("CHORUS_BENCH_EVENTS", "5000"))
    )
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    bootstrap = os.environ.get("CHORUS_KAFKA_BOOTSTRAP", "127.0.0.1:9092")
    n = args.events
    run_id = uuid.uuid4().hex[:8]
    source, raw_sink, fs_sink = (f"chorus.bench.{run_id}.{t}.v1" for t in ("in", "raw", "fs"))
    await make_topics(bootstrap, [source, raw_sink, fs_sink])
    try:
        await preload(bootstrap, source, n)
        raw_rates, fs_rates, spans = [], [], 0
        # Interleave the variants so drift in machine load hits both alike.
        for _ in range(args.rounds):
            raw_rates.append(n / await raw_aiokafka(bootstrap, source, raw_sink, n))
            elapsed, spans = await faststream_pipeline(bootstrap, source, fs_sink, n)
            fs_rates.append(n / elapsed)
    finally:
        await drop_topics(bootstrap, [source, raw_sink, fs_sink])
    raw, fs = statistics.median(raw_rates), statistics.median(fs_rates)
    print(f"two-hop pipeline, {n} events x {args.rounds} rounds, acks=all, broker {bootstrap}")
    raw_rounds = ", ".join(f"{r:.0f}" for r in raw_rates)
    fs_rounds = ", ".join(f"{r:.0f}" for r in fs_rates)
    print(f"  baseline raw aiokafka        : {raw:9.0f} events/s  (rounds: {raw_rounds})")
    print(
        f"  chorus faststream + tracing  : {fs:9.0f} events/s  "
        f"(rounds: {fs_rounds}; {spans} spans in last round)"
    )
    print(f"  ratio chorus/baseline        : {fs / raw:9.2f}")


if __name__ == "__main__":
    asyncio.run(main())

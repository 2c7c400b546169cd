"""What a running test stack wrote, for the personal-data scan: its
services' spans in the collector's file, its services' log lines, and the
keys of every message on its namespaced Kafka topics."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from chorus_cli.stack import NAMESPACE_ATTRIBUTE, Stack
from chorus_cli.traces import Span, read_spans


def stack_spans(stack: Stack, traces: Path) -> list[Span]:
    """Every span this stack's services exported (the file is shared with
    other stacks: the resource attribute tells ours apart)."""
    assert stack.trace_namespace, "a namespaced stack marks its spans"
    return [
        s
        for s in read_spans(traces)
        if s.resource.get(NAMESPACE_ATTRIBUTE) == stack.trace_namespace
    ]


def stack_log_lines(stack: Stack) -> Iterator[tuple[str, str]]:
    """(line, "<file>:<number>") for every line of the services' logs."""
    for path in sorted((stack.var / "log").glob("*.log")):
        with path.open(errors="replace") as handle:
            for number, line in enumerate(handle, start=1):
                yield line.rstrip("\n"), f"{path.name}:{number}"


async def stack_keys(
    stack: Stack, bootstrap: str, timeout: float = 60.0
) -> list[tuple[bytes | None, str]]:
    """(key, "<topic>[<partition>]@<offset>") for every message on the
    stack's topics, read from the beginning up to the current end."""
    assert stack.namespace, "only a namespaced stack's topics are its own"
    partitions = await _partitions(bootstrap, stack.namespace)
    assert partitions, f"no topics in the namespace {stack.namespace!r}"
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        ends = await consumer.end_offsets(partitions)
        keys: list[tuple[bytes | None, str]] = []
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        pending = {tp for tp in partitions if ends[tp] > 0}
        while pending:
            assert loop.time() < deadline, f"topics not read to their end: {sorted(pending)}"
            batch = await consumer.getmany(*pending, timeout_ms=500)
            for records in batch.values():
                keys += [(r.key, f"{r.topic}[{r.partition}]@{r.offset}") for r in records]
            pending = {tp for tp in pending if await consumer.position(tp) < ends[tp]}
        return keys
    finally:
        await consumer.stop()


async def _partitions(bootstrap: str, prefix: str) -> list[TopicPartition]:
    """Every partition of the topics whose name starts with `prefix` (the
    cluster's metadata, through the admin client)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        topics = sorted(t for t in await admin.list_topics() if t.startswith(prefix))
        described = await admin.describe_topics(topics) if topics else []
    finally:
        await admin.close()
    return [
        TopicPartition(topic["topic"], p["partition"])
        for topic in described
        for p in sorted(topic["partitions"], key=lambda p: p["partition"])
    ]

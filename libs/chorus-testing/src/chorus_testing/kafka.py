"""Real-Kafka helpers for tests: throwaway topics and reading a topic back."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic


def unique_topic(prefix: str = "chorus.test") -> str:
    return f"{prefix}.{uuid.uuid4().hex[:10]}.v1"


async def create_topics(bootstrap: str, names: list[str], partitions: int = 3) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.create_topics(
            [NewTopic(name=n, num_partitions=partitions, replication_factor=1) for n in names]
        )
    finally:
        await admin.close()


@dataclass
class Record:
    key: bytes | None
    value: bytes
    headers: dict[str, bytes]
    partition: int
    offset: int


async def _partitions(bootstrap: str, topic: str) -> list[int]:
    """The topic's partition ids, from the cluster metadata (a topic created a
    moment ago may take a few tries to appear there)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        for _ in range(50):
            [described] = await admin.describe_topics([topic])
            if described["error_code"] == 0 and described["partitions"]:
                return sorted(p["partition"] for p in described["partitions"])
            await asyncio.sleep(0.1)
    finally:
        await admin.close()
    raise AssertionError(f"topic {topic} has no partitions (does it exist?)")


async def read_topic(
    bootstrap: str, topic: str, expected: int, timeout: float = 20.0
) -> list[Record]:
    """Reads a topic from the beginning (no consumer group) until `expected`
    records arrived or `timeout` passed; returns what it got, in offset order
    per partition."""
    tps = [TopicPartition(topic, p) for p in await _partitions(bootstrap, topic)]
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    records: list[Record] = []
    try:
        consumer.assign(tps)
        await consumer.seek_to_beginning(*tps)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while len(records) < expected and loop.time() < deadline:
            batch = await consumer.getmany(timeout_ms=200)
            for msgs in batch.values():
                for m in msgs:
                    records.append(
                        Record(m.key, m.value or b"", dict(m.headers or ()), m.partition, m.offset)
                    )
    finally:
        await consumer.stop()
    return records

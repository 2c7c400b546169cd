#!/usr/bin/env python3
"""Create the Kafka topics declared in deploy/kafka/topics.yaml.

    apply_topics.py --bootstrap 127.0.0.1:9092 --replication-factor 1 [--file topics.yaml]

For every topic in the file, and for every dead-letter topic
``<topic>.<consumer>.dlq`` (one per listed consumer), the topic is created with
the partitions and retention.ms from the file. Existing topics are left as they
are, except that a topic with fewer partitions than declared is widened (Kafka
cannot shrink a topic, and changing the retention of live data is a decision
for a human). Safe to run any number of times; kafka.sh runs it at every start.

Dependencies: aiokafka and PyYAML (both in the project's virtualenv).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import yaml
from aiokafka.admin import AIOKafkaAdminClient, NewPartitions, NewTopic
from aiokafka.errors import KafkaConnectionError, KafkaError, for_code

DEFAULT_FILE = Path(__file__).with_name("topics.yaml")
TOPIC_ALREADY_EXISTS = 36


@dataclass(frozen=True)
class TopicSpec:
    name: str
    partitions: int
    retention_ms: int


def declared_topics(doc: dict) -> list[TopicSpec]:
    """Topics and DLQs from the parsed topics.yaml, in file order.

    A topic may override `partitions` / `retention_ms`; otherwise `defaults`
    applies. DLQs take the `dlq` settings.
    """
    defaults = doc.get("defaults") or {}
    dlq = doc.get("dlq") or {}
    specs: list[TopicSpec] = []
    for topic in doc.get("topics") or []:
        name = topic["name"]
        specs.append(
            TopicSpec(
                name,
                int(topic.get("partitions", defaults.get("partitions", 1))),
                int(topic.get("retention_ms", defaults.get("retention_ms", -1))),
            )
        )
        for consumer in topic.get("consumers") or []:
            specs.append(
                TopicSpec(
                    f"{name}.{consumer}.dlq",
                    int(dlq.get("partitions", 1)),
                    int(dlq.get("retention_ms", defaults.get("retention_ms", -1))),
                )
            )
    names = [s.name for s in specs]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise SystemExit(f"topics.yaml declares these topics twice: {', '.join(duplicates)}")
    return specs


async def start_admin(bootstrap: str, wait_s: float) -> AIOKafkaAdminClient:
    """Connect, retrying while the broker is still starting up."""
    deadline = time.monotonic() + wait_s
    while True:
        admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=30000)
        try:
            await admin.start()
            return admin
        except KafkaConnectionError:
            await admin.close()
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(1)


async def partition_counts(admin: AIOKafkaAdminClient) -> dict[str, int]:
    return {
        t["topic"]: len(t["partitions"])
        for t in await admin.describe_topics()
        if t["error_code"] == 0
    }


async def wait_for_leaders(
    admin: AIOKafkaAdminClient, specs: list[TopicSpec], wait_s: float
) -> None:
    """Return once every declared topic has a leader on each partition, so a
    producer or consumer started right after us finds its topics."""
    deadline = time.monotonic() + wait_s
    names = [s.name for s in specs]
    while True:
        missing = []
        for t in await admin.describe_topics(names):
            if t["error_code"] != 0 or any(p["leader"] < 0 for p in t["partitions"]):
                missing.append(t["topic"])
        if not missing:
            return
        if time.monotonic() > deadline:
            raise SystemExit(f"topics without a leader after {wait_s:.0f}s: {', '.join(missing)}")
        await asyncio.sleep(0.2)


async def apply(
    bootstrap: str, replication_factor: int, specs: list[TopicSpec], wait_s: float
) -> int:
    admin = await start_admin(bootstrap, wait_s)
    try:
        existing = await partition_counts(admin)
        to_create = [s for s in specs if s.name not in existing]
        to_widen = [s for s in specs if s.name in existing and existing[s.name] < s.partitions]
        wider = [s for s in specs if s.name in existing and existing[s.name] > s.partitions]

        created: list[str] = []
        errors: list[str] = []
        if to_create:
            response = await admin.create_topics(
                [
                    NewTopic(
                        s.name,
                        s.partitions,
                        replication_factor,
                        topic_configs={"retention.ms": str(s.retention_ms)},
                    )
                    for s in to_create
                ],
                timeout_ms=30000,
            )
            for topic_error in response.topic_errors:
                topic, code = topic_error[0], topic_error[1]
                message = topic_error[2] if len(topic_error) > 2 else None
                if code == 0:
                    created.append(topic)
                elif code != TOPIC_ALREADY_EXISTS:  # created concurrently: fine
                    errors.append(f"{topic}: {for_code(code).__name__} {message or ''}".strip())

        for s in to_widen:
            try:
                await admin.create_partitions(
                    {s.name: NewPartitions(s.partitions)}, timeout_ms=30000
                )
            except KafkaError as exc:
                errors.append(f"{s.name}: cannot widen to {s.partitions} partitions: {exc}")

        if errors:
            print("apply_topics: errors:\n  " + "\n  ".join(errors), file=sys.stderr)
            return 1
        await wait_for_leaders(admin, specs, wait_s)
    finally:
        await admin.close()

    unchanged = len(specs) - len(created) - len(to_widen)
    print(
        f"apply_topics: {len(specs)} topics declared (replication factor {replication_factor}): "
        f"{len(created)} created, {len(to_widen)} widened, {unchanged} already present"
    )
    for s in to_widen:
        print(f"  widened {s.name} from {existing[s.name]} to {s.partitions} partitions")
    for s in wider:
        print(
            f"  note: {s.name} has {existing[s.name]} partitions, "
            f"more than the {s.partitions} declared"
        )
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description="Create the topics declared in topics.yaml.")
    parser.add_argument("--bootstrap", required=True, help="comma-separated host:port list")
    parser.add_argument("--replication-factor", type=int, required=True)
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE, help=f"default: {DEFAULT_FILE}")
    parser.add_argument("--wait", type=float, default=60, help="seconds to wait for the brokers")
    parser.add_argument(
        "--prefix",
        default="",
        help=(
            "namespace prepended to every topic "
            "(CHORUS_KAFKA_TOPIC_PREFIX of the services), e.g. 'staging.'"
        ),
    )
    args = parser.parse_args()
    specs = [
        TopicSpec(args.prefix + s.name, s.partitions, s.retention_ms)
        for s in declared_topics(yaml.safe_load(args.file.read_text()))
    ]
    try:
        return asyncio.run(apply(args.bootstrap, args.replication_factor, specs, args.wait))
    except KafkaError as exc:
        print(f"apply_topics: {exc!r}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())

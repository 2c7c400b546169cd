"""How a service says which events it consumes: one way, everywhere.

Each service's entry points expose `subscriptions(...) -> list[Subscription]`
(a topic and a handler per event type); main.py hands them all to
`ServiceRuntime.subscribe`, and the contract tests read the very same lists.
Subscriptions to one topic are merged into one consumer, because two
subscribers in one consumer group would split the topic's partitions between
them and each would silently skip the other's events.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from google.protobuf.message import Message

from chorus_messaging.consumer import Handler, RetryPolicy


@dataclass(frozen=True)
class Subscription:
    topic: str
    handlers: Mapping[type[Message], Handler]
    # None: the consumer's default policy. Set it where a handler must keep
    # retrying longer (publishing waits out a crashed worker's lease).
    retry: RetryPolicy | None = None
    # Records handled at once (EventConsumer.in_flight); None: one at a time.
    # Set it where handling is mostly waiting on someone else (publishing's
    # network calls), so one slow record does not hold up the others.
    in_flight: int | None = None


def merge_by_topic(subscriptions: Iterable[Subscription]) -> list[Subscription]:
    """One Subscription per topic; an event type handled twice, or two retry
    policies (or in-flight limits) for one topic, is a wiring bug and fails
    at start-up."""
    merged: dict[str, Subscription] = {}
    for sub in subscriptions:
        seen = merged.get(sub.topic)
        if seen is None:
            merged[sub.topic] = Subscription(
                sub.topic, dict(sub.handlers), sub.retry, sub.in_flight
            )
            continue
        twice = set(seen.handlers) & set(sub.handlers)
        if twice:
            names = sorted(cls.DESCRIPTOR.full_name for cls in twice)
            raise ValueError(f"{sub.topic}: {names} handled twice")
        if seen.retry is not None and sub.retry is not None and seen.retry != sub.retry:
            raise ValueError(f"{sub.topic}: two different retry policies")
        if (
            seen.in_flight is not None
            and sub.in_flight is not None
            and seen.in_flight != sub.in_flight
        ):
            raise ValueError(f"{sub.topic}: two different in-flight limits")
        merged[sub.topic] = Subscription(
            sub.topic,
            {**seen.handlers, **sub.handlers},
            seen.retry or sub.retry,
            seen.in_flight or sub.in_flight,
        )
    return list(merged.values())

"""Chorus messaging: CloudEvents over Kafka, transactional outbox and relay,
inbox deduplication, bounded retry and dead-letter topics."""

from chorus_messaging.broker import make_broker
from chorus_messaging.consumer import (
    Batch,
    Batched,
    Delivery,
    EventConsumer,
    EventContext,
    RetryPolicy,
)
from chorus_messaging.envelope import Envelope
from chorus_messaging.migrations import MESSAGING_SCHEMA
from chorus_messaging.outbox import Outbox
from chorus_messaging.relay import OutboxRelay
from chorus_messaging.subscriptions import Subscription
from chorus_messaging.tables import InboxRecord, OutboxMessage

__all__ = [
    "MESSAGING_SCHEMA",
    "Batch",
    "Batched",
    "Delivery",
    "Envelope",
    "EventConsumer",
    "EventContext",
    "InboxRecord",
    "Outbox",
    "OutboxMessage",
    "OutboxRelay",
    "RetryPolicy",
    "Subscription",
    "make_broker",
]

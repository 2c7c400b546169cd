"""Event contracts between services, for tests/contract.

* registry: who produces and who consumes each event type, read from
  deploy/kafka/topics.yaml (each topic's `events`), and every event message
  the protos define;
* fields: the field paths an event sets, a view of an event that notes the
  paths a handler reads, and the ledger that compares the two;
* exchange: what a real producer wrote to its outbox, decoded as a consumer
  receives it, handed to a real consumer's handler from its subscriptions().
"""

from chorus_testing.contracts.exchange import Exchange, Produced, World, deliver, read_outbox
from chorus_testing.contracts.fields import ContractLedger, Reading, leaves, set_paths
from chorus_testing.contracts.registry import (
    TOPICS_FILE,
    EventSpec,
    Registry,
    event_classes,
    service_of,
)

__all__ = [
    "TOPICS_FILE",
    "ContractLedger",
    "EventSpec",
    "Exchange",
    "Produced",
    "Reading",
    "Registry",
    "World",
    "deliver",
    "event_classes",
    "leaves",
    "read_outbox",
    "service_of",
    "set_paths",
]

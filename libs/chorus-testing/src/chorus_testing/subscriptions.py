"""Finding a service's handler the way its runtime does: from the same
`subscriptions()` list main.py subscribes, never from a private name."""

from __future__ import annotations

from collections.abc import Iterable

from chorus_messaging import Subscription
from chorus_messaging.consumer import Handler
from google.protobuf.message import Message


def handler_for(subscriptions: Iterable[Subscription], event_type: type[Message]) -> Handler:
    found = [s.handlers[event_type] for s in subscriptions if event_type in s.handlers]
    if len(found) != 1:
        raise KeyError(f"{event_type.DESCRIPTOR.full_name}: {len(found)} handlers subscribed")
    return found[0]

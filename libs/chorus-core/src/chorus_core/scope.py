"""A scope: what is done for one item of many runs inside it.

A Kafka batch handler works on many events at once, yet what it does for one
of them (the outbox row it writes, the network call it makes, the log line)
must stay that event's: under its span, so the trace of one share goes on
across services, and under its actor, so the events written name who caused
them. The consumer hands each event's scope over as a callable that opens it
(chorus_messaging.Delivery.scope); use cases take it as this type, without
knowing what it sets."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager

Scope = Callable[[], AbstractContextManager[object]]

"""Which fields a producer sets and which a consumer reads, as dotted paths
(post.targeting.segment_id; the elements of a repeated message share one
path: members.employee_id)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import Message

from chorus_testing.contracts.registry import TOPICS_FILE, Registry

if TYPE_CHECKING:
    from chorus_testing.contracts.exchange import Produced


def _is_map(f: FieldDescriptor) -> bool:
    return f.message_type is not None and f.message_type.GetOptions().map_entry


def set_paths(message: Message, prefix: str = "") -> set[str]:
    """Every field path the message sets (proto3: a scalar is set when it is
    not its default, a repeated field or map when it is not empty)."""
    paths: set[str] = set()
    for f, value in message.ListFields():
        path = prefix + f.name
        paths.add(path)
        if f.message_type is not None and not _is_map(f):
            for item in value if f.is_repeated else [value]:
                paths |= set_paths(item, path + ".")
    return paths


class Reading:
    """A read-only view of an event that notes the path of every field read.
    Scalars, repeated scalars and maps come back as they are; messages come
    back as further Readings. Methods (SerializeToString, ...) go to the
    message itself; HasField notes the path it asks about."""

    __slots__ = ("_message", "_prefix", "_reads")
    _message: Message
    _prefix: str
    _reads: set[str]

    def __init__(self, message: Message, reads: set[str], prefix: str = "") -> None:
        object.__setattr__(self, "_message", message)
        object.__setattr__(self, "_prefix", prefix)
        object.__setattr__(self, "_reads", reads)

    def __getattr__(self, name: str) -> Any:
        # Only called for names that are not the slots above: fields and methods.
        value = getattr(self._message, name)
        f = self._message.DESCRIPTOR.fields_by_name.get(name)
        if f is None:
            return value
        path = self._prefix + name
        self._reads.add(path)
        if f.message_type is None or f.message_type.GetOptions().map_entry:
            return value
        if f.is_repeated:
            return [Reading(item, self._reads, path + ".") for item in value]
        return Reading(value, self._reads, path + ".")

    def HasField(self, name: str) -> bool:  # noqa: N802 (protobuf's name)
        self._reads.add(self._prefix + name)
        return bool(self._message.HasField(name))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"a consumer must not change the event it was given ({name})")


def leaves(paths: Iterable[str]) -> set[str]:
    """The paths read for their value: reading post.targeting.segment_id
    reads post and post.targeting on the way, which are not checked alone."""
    every = set(paths)
    return {p for p in every if not any(q.startswith(p + ".") for q in every)}


@dataclass
class ContractLedger:
    """What one test's producers wrote and what its consumers read of it."""

    registry: Registry
    examples: dict[str, list[Message]] = field(default_factory=dict)
    reads: dict[tuple[str, str], set[str]] = field(default_factory=dict)

    def produced(self, items: Iterable[Produced[Message]]) -> None:
        for item in items:
            self.examples.setdefault(item.type, []).append(item.event)

    def read(self, event_type: str, consumer: str, paths: set[str]) -> None:
        self.reads.setdefault((event_type, consumer), set()).update(paths)

    def problems(self, covered: Iterable[tuple[str, tuple[str, ...]]]) -> list[str]:
        """What is wrong with the contracts a test proves (event type and
        consumers, from its markers): the producer never wrote the type, a
        consumer was never fed it, or a consumer read a field that none of
        the examples set (unless the registry lists it as optional, with a
        reason). Deliveries the test makes on the way to its contracts are
        not judged here: the test that proves those contracts judges them."""
        found: list[str] = []
        for event_type, consumers in covered:
            spec = self.registry.spec(event_type)
            examples = self.examples.get(event_type, [])
            if not examples:
                found.append(f"{spec.producer} never wrote {event_type} in this test")
            written: set[str] = set()
            for example in examples:
                written |= set_paths(example)
            for consumer in consumers:
                if consumer not in spec.consumers:
                    found.append(f"{consumer} is not a declared consumer of {event_type}")
                    continue
                paths = self.reads.get((event_type, consumer))
                if paths is None:
                    found.append(f"{event_type} was never delivered to {consumer}")
                    continue
                unset = leaves(paths) - written
                for path in sorted(p for p in unset if not _optional(p, spec.optional)):
                    found.append(
                        f"{consumer} reads {event_type}.{path}, which {spec.producer} set in "
                        f"none of {len(examples)} example(s) (if that is right, list it under "
                        f"`optional` with the reason in {TOPICS_FILE.name})"
                    )
        return found


def _optional(path: str, optional: Iterable[str]) -> bool:
    """Listed itself, or inside a listed message (a Timestamp's seconds and
    nanos are unset together when the time is)."""
    return any(path == o or path.startswith(o + ".") for o in optional)

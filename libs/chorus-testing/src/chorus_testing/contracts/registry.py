"""The registry of event contracts (deploy/kafka/topics.yaml, each topic's
`events`) and the event messages the protos define."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

import yaml
from google.protobuf.message import Message

ROOT = Path(__file__).resolve().parents[5]
TOPICS_FILE = ROOT / "deploy/kafka/topics.yaml"
# The producer of an event services write through one shared library
# function (chorus_messaging.audit.record's AuditRecorded), not a service;
# its `producers` name the services that do.
ANY_SERVICE = "any"


def event_modules() -> list[ModuleType]:
    """Every generated chorus.<domain>.v1.<domain>_events_pb2 module."""
    import chorus  # the generated package: a namespace over every domain

    modules = []
    for domain in sorted(m.name for m in pkgutil.iter_modules(chorus.__path__)):
        try:
            modules.append(importlib.import_module(f"chorus.{domain}.v1.{domain}_events_pb2"))
        except ModuleNotFoundError:
            continue  # a domain with RPCs only
    return modules


def event_classes() -> dict[str, type[Message]]:
    """Full name -> class of every event message: the top-level messages of
    the *_events.proto files that no other event message embeds (so
    AudienceMember, a part of AudienceBatchResolved, is not an event)."""
    found: dict[str, type[Message]] = {}
    embedded: set[str] = set()
    for module in event_modules():
        for name, descriptor in module.DESCRIPTOR.message_types_by_name.items():
            found[descriptor.full_name] = getattr(module, name)
            embedded |= {f.message_type.full_name for f in descriptor.fields if f.message_type}
    return {name: cls for name, cls in found.items() if name not in embedded}


@dataclass(frozen=True)
class EventSpec:
    topic: str
    type: str  # full protobuf name, as in the ce_type header
    producer: str
    consumers: tuple[str, ...]
    # Field path -> why a consumer may find it unset (the registry's word).
    optional: Mapping[str, str] = field(default_factory=dict)
    # A shared event's writers (each through the shared library).
    producers: tuple[str, ...] = ()

    @property
    def shared(self) -> bool:
        """Written by services through a shared library (ANY_SERVICE)."""
        return self.producer == ANY_SERVICE

    def written_by(self, service: str) -> bool:
        return service in self.producers if self.shared else self.producer == service


@dataclass(frozen=True)
class Registry:
    specs: Mapping[str, EventSpec]
    topic_consumers: Mapping[str, tuple[str, ...]]  # each topic's `consumers` (its DLQs)

    @classmethod
    def load(cls, path: Path = TOPICS_FILE) -> Registry:
        doc = yaml.safe_load(path.read_text())
        specs: dict[str, EventSpec] = {}
        topic_consumers: dict[str, tuple[str, ...]] = {}
        for topic in doc["topics"]:
            topic_consumers[topic["name"]] = tuple(topic.get("consumers") or ())
            for entry in topic.get("events") or ():
                if entry["type"] in specs:
                    raise ValueError(f"{path.name}: {entry['type']} is declared twice")
                if entry["producer"] == ANY_SERVICE and not entry.get("producers"):
                    raise ValueError(f"{path.name}: {entry['type']} names no `producers`")
                specs[entry["type"]] = EventSpec(
                    topic=topic["name"],
                    type=entry["type"],
                    producer=entry["producer"],
                    consumers=tuple(entry.get("consumers") or ()),
                    optional={str(k): str(v) for k, v in (entry.get("optional") or {}).items()},
                    producers=tuple(entry.get("producers") or ()),
                )
        return cls(specs, topic_consumers)

    def spec(self, event_type: str) -> EventSpec:
        found = self.specs.get(event_type)
        if found is None:
            raise AssertionError(f"{event_type} is not declared in {TOPICS_FILE.name}")
        return found

    def consumed_by(self, service: str) -> set[tuple[str, str]]:
        """(topic, event type) pairs the registry says `service` handles."""
        return {(s.topic, s.type) for s in self.specs.values() if service in s.consumers}

    def produced_by(self, service: str) -> set[str]:
        return {s.type for s in self.specs.values() if s.producer == service}


def service_of(source: str) -> str:
    """chorus/<service>@<region> (an outbox's ce_source) -> <service>."""
    return source.removeprefix("chorus/").split("@", 1)[0]

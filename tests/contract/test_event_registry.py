"""The registry of event contracts (deploy/kafka/topics.yaml) against the code,
without any infrastructure: what every service subscribes (the same
subscriptions() its main.py subscribes), what every service's source
constructs, and which contract tests exist. The contract tests themselves
also refuse, at run time, any outbox row the registry does not declare."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from chorus_testing.contracts import EventSpec, Registry, event_classes
from chorus_testing.contracts.registry import ROOT

if TYPE_CHECKING:
    from tests.contract.conftest import Platform

SERVICES = sorted(p.name for p in (ROOT / "services").iterdir() if (p / "src").is_dir())


def modules_of(root: Path) -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(root.rglob("*.py")):
        yield path, ast.parse(path.read_text(), str(path))


# Where the events services write through one function are built
# (EventSpec.shared): chorus_messaging.audit.record's AuditRecorded.
SHARED_PRODUCER_SOURCE = ROOT / "libs" / "chorus-messaging" / "src"
# What a service imports to write each shared event: the library module and
# the names that write it (the AuditTrail port alone writes nothing).
SHARED_WRITERS = {
    "chorus.audit.v1.AuditRecorded": ("chorus_messaging.audit", {"OutboxAuditTrail", "record"}),
}


def writes_shared(service: str, event_type: str) -> bool:
    """Whether `service`'s source imports a writer of the shared event."""
    module, writers = SHARED_WRITERS[event_type]
    return any(
        isinstance(node, ast.ImportFrom)
        and node.module == module
        and any(alias.name in writers for alias in node.names)
        for _, tree in modules_of(ROOT / "services" / service / "src")
        for node in ast.walk(tree)
    )


def constructed_events(service: str) -> dict[str, set[str]]:
    """Event type -> the files of `service` that build one."""
    return constructed_in(ROOT / "services" / service / "src")


def built_by_producer(spec: EventSpec) -> bool:
    source = SHARED_PRODUCER_SOURCE if spec.shared else ROOT / "services" / spec.producer / "src"
    return spec.type in constructed_in(source)


@cache
def constructed_in(root: Path) -> dict[str, set[str]]:
    """Event type -> the files under `root` that build one (`events.PostApproved(...)`
    on an imported *_events_pb2 module, or a class imported from one)."""
    classes = event_classes()
    found: dict[str, set[str]] = {}
    for path, tree in modules_of(root):
        modules: dict[str, str] = {}  # local name -> chorus.<domain>.v1.<domain>_events_pb2
        names: dict[str, str] = {}  # local name -> full event name
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                for alias in node.names:
                    local = alias.asname or alias.name
                    if alias.name.endswith("_events_pb2"):
                        modules[local] = f"{node.module}.{alias.name}"
                    elif node.module.endswith("_events_pb2"):
                        names[local] = f"{node.module.rsplit('.', 1)[0]}.{alias.name}"
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            full = None
            if isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name):
                module = modules.get(node.func.value.id)
                if module:
                    full = f"{module.rsplit('.', 1)[0]}.{node.func.attr}"
            elif isinstance(node.func, ast.Name):
                full = names.get(node.func.id)
            if full in classes:
                found.setdefault(full, set()).add(str(path.relative_to(ROOT)))
    return found


def test_each_topic_declares_the_consumers_of_its_events(registry: Registry) -> None:
    for topic, consumers in registry.topic_consumers.items():
        of_events = {c for s in registry.specs.values() if s.topic == topic for c in s.consumers}
        assert sorted(consumers) == sorted(of_events), (
            f"{topic}: `consumers` (the DLQs) {sorted(consumers)} but its events are "
            f"consumed by {sorted(of_events)}"
        )
        assert len(set(consumers)) == len(consumers), f"{topic}: a consumer listed twice"


def test_every_declared_event_is_a_message_of_its_producers_domain(registry: Registry) -> None:
    classes = event_classes()
    for spec in registry.specs.values():
        assert spec.type in classes, f"{spec.type} is not an event message in protos/"
        if spec.shared:  # a domain of its own, built once in the shared library
            domain = spec.type.split(".")[1]
            assert domain not in SERVICES, spec.type
            assert spec.topic.startswith(f"chorus.{domain}."), (spec.topic, spec.type)
            assert set(spec.consumers) <= set(SERVICES), (spec.type, spec.consumers)
            assert built_by_producer(spec), f"{SHARED_PRODUCER_SOURCE} never builds {spec.type}"
            writers = [s for s in SERVICES if writes_shared(s, spec.type)]
            assert sorted(spec.producers) == writers, (
                f"{spec.type}: the registry names producers {sorted(spec.producers)}, "
                f"the services that write it are {writers}"
            )
            continue
        assert spec.producer in SERVICES, f"{spec.type}: unknown producer {spec.producer}"
        assert spec.type.startswith(f"chorus.{spec.producer}.v1."), spec.type
        assert spec.topic.startswith(f"chorus.{spec.producer}."), (spec.topic, spec.type)
        assert spec.producer not in spec.consumers, f"{spec.type}: consumed by its producer"
        assert set(spec.consumers) <= set(SERVICES), (spec.type, spec.consumers)
        assert spec.type in constructed_events(spec.producer), (
            f"{spec.producer} is declared to produce {spec.type} but never builds one"
        )


def test_each_service_emits_only_what_it_is_declared_to_produce(registry: Registry) -> None:
    for service in SERVICES:
        undeclared = {
            event_type: sorted(files)
            for event_type, files in constructed_events(service).items()
            if event_type not in registry.produced_by(service)
        }
        assert not undeclared, (
            f"{service} builds events nobody declared it produces (add them to the topic's "
            f"`events` in deploy/kafka/topics.yaml): {undeclared}"
        )


async def test_subscriptions_are_exactly_the_declared_consumers(
    offline_platform: Platform, registry: Registry
) -> None:
    for world in await offline_platform.worlds():
        subscribed = {
            (s.topic, cls.DESCRIPTOR.full_name) for s in world.subscriptions for cls in s.handlers
        }
        declared = registry.consumed_by(world.service)
        for topic, event_type in sorted(subscribed):
            spec = registry.specs.get(event_type)
            assert spec is not None, (
                f"{world.service} subscribes to {event_type}, which nobody is declared to produce"
            )
            assert built_by_producer(spec), (
                f"{world.service} subscribes to {event_type}, which {spec.producer} never builds"
            )
            assert spec.topic == topic, f"{world.service}: {event_type} is on {spec.topic}"
        assert not subscribed - declared, (
            f"{world.service} subscribes to {sorted(subscribed - declared)}, which the "
            "registry does not list it as consuming"
        )
        assert not declared - subscribed, (
            f"the registry lists {world.service} as consuming {sorted(declared - subscribed)}, "
            "but it does not subscribe to them"
        )


def subscribed_modules(main: Path) -> set[str]:
    """The entry-point modules whose subscriptions() main.py calls."""
    tree = ast.parse(main.read_text(), str(main))
    imported: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                imported[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return {
        imported.get(node.func.value.id, node.func.value.id)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "subscriptions"
        and isinstance(node.func.value, ast.Name)
    }


def test_contract_tests_wire_services_as_their_main_does(
    wiring: dict[str, tuple[ModuleType, ...]],
) -> None:
    assert sorted(wiring) == SERVICES
    for service, wired in wiring.items():
        main = ROOT / "services" / service / "src" / f"{service}_service" / "main.py"
        assert subscribed_modules(main) == {m.__name__ for m in wired}, (
            f"{service}'s main.py subscribes other entry points than tests/contract wires"
        )


def contract_markers() -> Iterator[tuple[str, tuple[str, ...], str]]:
    for path, tree in modules_of(Path(__file__).parent):
        if not path.name.startswith("test_"):
            continue
        for node in ast.walk(tree):
            if not isinstance(node, ast.AsyncFunctionDef | ast.FunctionDef):
                continue
            for decorator in node.decorator_list:
                if (
                    isinstance(decorator, ast.Call)
                    and isinstance(decorator.func, ast.Attribute)
                    and decorator.func.attr == "contract"
                ):
                    args = [a.value for a in decorator.args if isinstance(a, ast.Constant)]
                    assert len(args) == len(decorator.args), f"{path}: {node.name}: literals only"
                    yield str(args[0]), tuple(str(a) for a in args[1:]), node.name


def test_every_event_and_consumer_has_a_contract_test(registry: Registry) -> None:
    covered: dict[str, set[str]] = {}
    for event_type, consumers, test in contract_markers():
        spec = registry.specs.get(event_type)
        assert spec is not None, f"{test} covers {event_type}, which is not declared"
        assert set(consumers) <= set(spec.consumers), (test, event_type, consumers)
        covered.setdefault(event_type, set()).update(consumers)
    for spec in registry.specs.values():
        assert spec.type in covered, f"no contract test produces {spec.type}"
        missing = set(spec.consumers) - covered[spec.type]
        assert not missing, f"no contract test feeds {spec.type} to {sorted(missing)}"

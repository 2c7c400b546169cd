"""One default per variable, everywhere: the settings classes, the two
READMEs, the stack runner, the CLI and deploy/local must agree, so a default
changed in one place and not in the others fails here."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from chorus_cli import clients, stack
from chorus_core.settings import ServiceSettings
from content_service.settings import ContentSettings
from gamification_service.settings import GamificationSettings
from gateway_service.settings import GatewaySettings
from metrics_service.settings import MetricsSettings
from publishing_service.settings import PublishingSettings
from scheduling_service.settings import SchedulingSettings
from targeting_service.settings import TargetingSettings
from translation_service.settings import TranslationSettings

ROOT = Path(__file__).resolve().parents[3]
CLASSES: list[type[ServiceSettings]] = [
    ContentSettings,
    TargetingSettings,
    TranslationSettings,
    SchedulingSettings,
    PublishingSettings,
    GamificationSettings,
    MetricsSettings,
    GatewaySettings,
]
REQUIRED = "required"
# Enough to build the classes whose variables have no default.
MINIMAL = {"CHORUS_PUBLISHING_ENCRYPTION_KEY": "A" * 43, "CHORUS_GATEWAY_ENCRYPTION_KEY": "A" * 43}


def cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def documented_default(cell: str) -> str | None:
    """`value` -> value, none -> "", required -> REQUIRED; anything else
    (prose such as "SQLite under var/data/") is not a checkable default."""
    if found := re.match(r"`([^`]*)`", cell):
        return found.group(1)
    return {"none": "", "required": REQUIRED}.get(cell)


def table(path: Path, first: str) -> dict[str, list[str]]:
    """The rows of the markdown table whose first column starts with `first`."""
    rows = {}
    for line in path.read_text().splitlines():
        if line.startswith(f"| {first}"):
            row = cells(line)
            rows[row[0].strip("`")] = row[1:]
    return rows


SERVICE_VARIABLES = table(ROOT / "services" / "README.md", "`CHORUS_")
GRPC_PORTS = {
    name: documented_default(row[0])
    for name, row in table(ROOT / "services" / "README.md", "").items()
    if name in {c.service for c in CLASSES}
}
ROOT_VARIABLES = table(ROOT / "README.md", "`CHORUS_")


def generic(cls: type[ServiceSettings], field: str) -> str:
    """CHORUS_CONTENT_GRPC_PORT -> CHORUS_<SVC>_GRPC_PORT, as documented."""
    if field in cls.per_service_fields:
        return f"CHORUS_<SVC>_{field.upper()}"
    return cls.env_name(field)


def readers(row: list[str]) -> set[str]:
    listed = row[0]
    if listed == "every service":
        return {c.service for c in CLASSES}
    return {name.strip() for name in listed.split(",")}


def test_the_tables_were_found() -> None:
    assert len(SERVICE_VARIABLES) > 20 and len(GRPC_PORTS) == len(CLASSES)
    assert "CHORUS_REGION" in ROOT_VARIABLES and "CHORUS_REDIS_URL" in ROOT_VARIABLES


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.service)
def test_every_setting_is_documented_with_its_default(cls: type[ServiceSettings]) -> None:
    settings = cls.from_env(MINIMAL)
    for field, info in cls.model_fields.items():
        name = generic(cls, field)
        assert name in SERVICE_VARIABLES, f"{name} is missing from services/README.md"
        row = SERVICE_VARIABLES[name]
        assert cls.service in readers(row), f"{name}: add {cls.service} to 'read by'"
        if field == "grpc_port":  # one per service, in the port table
            assert GRPC_PORTS[cls.service] == str(settings.grpc_port), name
            continue
        doc = documented_default(row[1])
        if info.is_required():
            assert doc == REQUIRED, f"{name} has no default: document it as required"
            continue
        actual = getattr(settings, field)
        assert doc is not None and doc != REQUIRED, f"{name}: document the default {actual!r}"
        if field == "database_url":
            doc = doc.replace("<svc>", cls.service)
        assert type(actual)(doc) == actual, f"{name}: README says {doc!r}, the code {actual!r}"


def test_every_documented_variable_is_read_by_the_services_listed() -> None:
    read = {(generic(cls, field), cls.service) for cls in CLASSES for field in cls.model_fields}
    for name, row in SERVICE_VARIABLES.items():
        for service in readers(row):
            assert (name, service) in read, f"services/README.md: {service} does not read {name}"


def test_the_root_readme_agrees_with_the_services_readme() -> None:
    checked = 0
    for name, row in ROOT_VARIABLES.items():
        doc = documented_default(row[-1])
        if name in SERVICE_VARIABLES and doc is not None:
            assert doc == documented_default(SERVICE_VARIABLES[name][1]), name
            checked += 1
    assert checked >= 5  # region, Kafka, Redis, Apertium, PDS, topic prefix


def test_the_stack_and_the_cli_use_the_services_ports() -> None:
    # The backends' ports here; the gateway's (HTTP and health) just below.
    backends = [cls for cls in CLASSES if cls is not GatewaySettings]
    ports = {cls.service: cls.from_env(MINIMAL).grpc_port for cls in backends}
    assert {s.name: s.grpc_port for s in stack.BACKENDS} == ports
    assert clients.DEFAULT_PORTS == ports
    gateway = GatewaySettings.from_env(MINIMAL)
    assert (stack.GATEWAY.grpc_port, stack.GATEWAY.http_port) == (
        gateway.grpc_port,
        gateway.gateway_http_port,
    )
    assert stack.SERVICES == [*stack.BACKENDS, stack.GATEWAY]
    metrics = MetricsSettings.from_env()
    assert stack.METRICS_HTTP_PORT == metrics.metrics_http_port
    assert metrics.metrics_public_url == f"http://127.0.0.1:{metrics.metrics_http_port}"
    assert stack.SCIM_HTTP_PORT == TargetingSettings.from_env().targeting_scim_port
    # A service reaching another one defaults to that one's own port.
    assert TranslationSettings.from_env().content_addr == f"127.0.0.1:{ports['content']}"
    assert PublishingSettings.from_env(MINIMAL).metrics_addr == f"127.0.0.1:{ports['metrics']}"


def test_deploy_local_starts_the_infrastructure_where_the_defaults_point() -> None:
    lib = (ROOT / "deploy" / "local" / "lib.sh").read_text()
    port = {k: int(v) for k, v in re.findall(r': "\$\{(CHORUS_\w+_PORT):=(\d+)\}"', lib)}
    translation = TranslationSettings.from_env()
    assert urlsplit(translation.redis_url).port == port["CHORUS_REDIS_PORT"]
    assert GamificationSettings.from_env().redis_url == translation.redis_url
    assert urlsplit(translation.apertium_url).port == port["CHORUS_APERTIUM_PORT"]
    assert (
        urlsplit(PublishingSettings.from_env(MINIMAL).bluesky_pds_url).port
        == (port["CHORUS_PDS_PORT"])
    )
    assert ContentSettings.from_env().kafka_bootstrap == f"127.0.0.1:{port['CHORUS_KAFKA_PORT']}"
    pg = documented_default(ROOT_VARIABLES["CHORUS_PG_URL"][-1])
    assert pg is not None and urlsplit(pg).port == port["CHORUS_PG_PORT"]

"""Every RPC of every Chorus gRPC service is covered by its service's
authorization matrix: `tests/authz/test_<service>_authz.py` exists and its
`RPCS: dict[str, str]` maps each method of the service descriptor (from the
generated protos, so a new RPC fails here until it is tested) to the test
function(s) covering it, which exist in that module. Several functions are
written comma-separated: "test_get_share, test_list_shares"."""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path
from types import ModuleType

import pytest

from tests.authz.matrix import SERVICES, rpc_names

HERE = Path(__file__).parent


def matrix_module(service: str) -> ModuleType:
    name = f"test_{service}_authz"
    if not (HERE / f"{name}.py").is_file():
        pytest.fail(f"{service}: no authorization matrix, tests/authz/{name}.py is missing")
    return importlib.import_module(f"tests.authz.{name}")


def covering_functions(entry: str) -> list[str]:
    return [name.strip() for name in entry.split(",") if name.strip()]


def missing_rpcs(service: str, module: ModuleType) -> list[str]:
    rpcs = getattr(module, "RPCS", None)
    if not isinstance(rpcs, dict):
        return [f"{module.__name__} has no RPCS: dict[str, str]"]
    methods = rpc_names(service)
    problems = [f"{m}: no authorization test" for m in sorted(methods - set(rpcs))]
    problems += [f"{m}: not a method of the service" for m in sorted(set(rpcs) - methods)]
    return problems


def absent_tests(module: ModuleType) -> list[str]:
    rpcs: dict[str, str] = getattr(module, "RPCS", {})
    absent = []
    for method, entry in sorted(rpcs.items()):
        names = covering_functions(entry)
        if not names:
            absent.append(f"{method} -> (nothing)")
        for name in names:
            function = getattr(module, name, None)
            if not (name.startswith("test") and inspect.isfunction(function)):
                absent.append(f"{method} -> {name}")
    return absent


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_every_rpc_is_in_the_matrix(service: str) -> None:
    problems = missing_rpcs(service, matrix_module(service))
    assert not problems, f"{service}: {'; '.join(problems)}"


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_every_named_test_exists(service: str) -> None:
    absent = absent_tests(matrix_module(service))
    assert not absent, f"{service}: RPCS names no test function: {'; '.join(absent)}"


def test_the_checks_find_what_is_wrong() -> None:
    """The checks themselves, on a made-up matrix of metrics: one RPC left
    out, one invented, one pointing at a function that is not there."""
    module = ModuleType("tests.authz.made_up")

    def test_links() -> None: ...

    module.test_links = test_links  # type: ignore[attr-defined]
    module.RPCS = {  # type: ignore[attr-defined]
        "CreateTrackedLink": "test_links",
        "CreateTrackedLinks": "test_links",
        "GetPostStats": "test_links, test_stats",
        "Invented": "test_links",
    }
    assert missing_rpcs("metrics", module) == [
        "GetCampaignStats: no authorization test",
        "GetTenantStats: no authorization test",
        "Invented: not a method of the service",
    ]
    assert absent_tests(module) == ["GetPostStats -> test_stats"]
    assert missing_rpcs("metrics", ModuleType("empty")) == ["empty has no RPCS: dict[str, str]"]


def test_the_services_are_the_generated_ones() -> None:
    """Not vacuous: every descriptor has methods, and the list of services is
    every chorus.*.v1 package that defines a gRPC service."""
    import chorus

    packages = {
        p.parent.parent.name
        for p in Path(next(iter(chorus.__path__))).glob("*/v1/*_service_pb2.py")
        if importlib.import_module(
            f"chorus.{p.parent.parent.name}.v1.{p.stem}"
        ).DESCRIPTOR.services_by_name
    }
    assert packages == set(SERVICES)
    assert all(rpc_names(service) for service in SERVICES)

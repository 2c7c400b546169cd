"""The layers of a service, checked from its imports (an AST scan, nothing run).

app/ (use cases) depends on its ports (app/ports.py), on domain/ and on the
shared libraries' abstractions, never on the service's adapters or entry
points, nor on SQLAlchemy: the composition root (main.py) wires concrete
adapters in. domain/ does no I/O at all. A service joins the check once its
app layer is on ports: add it to LAYERED.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

LAYERED = (
    "translation",
    "gamification",
    "metrics",
    "scheduling",
    "publishing",
    "content",
    "targeting",
)

# chorus_db.ports is the unit of work as the app sees it (an opaque
# Transaction); the rest of chorus_db is the SQLAlchemy side of it.
ALLOWED = ("chorus_db.ports",)
NEVER_IN_APP = ("sqlalchemy", "sqlmodel", "chorus_db")
NEVER_IN_DOMAIN = (
    *NEVER_IN_APP,
    "httpx",
    "redis",
    "grpc",
    "aiokafka",
    "faststream",
    "chorus_grpc",
    "chorus_messaging",
)


def imported_modules(source: str, module: str) -> set[str]:
    """Every module `module` (dotted name) imports, relative imports resolved."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")[: -node.level]
                name = ".".join([*base, node.module] if node.module else base)
            else:
                name = node.module or ""
            found.add(name)
            # `from pkg import adapters` imports the module pkg.adapters.
            found.update(f"{name}.{alias.name}" for alias in node.names)
    return found


def is_under(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def violations(source: str, module: str, forbidden: tuple[str, ...]) -> list[str]:
    return sorted(
        name
        for name in imported_modules(source, module)
        if any(is_under(name, f) for f in forbidden) and not any(is_under(name, a) for a in ALLOWED)
    )


def layer_modules(service: str, layer: str) -> dict[str, str]:
    """Dotted module name -> source, for every module of the layer."""
    src = ROOT / "services" / service / "src"
    package = src / f"{service}_service" / layer
    modules = {}
    for path in sorted(package.rglob("*.py")):
        dotted = ".".join(path.relative_to(src).with_suffix("").parts)
        if path.name == "__init__.py":
            dotted = dotted.removesuffix(".__init__") + ".__init__"
        modules[dotted] = path.read_text()
    return modules


def forbidden_for(service: str, layer: str) -> tuple[str, ...]:
    own = (f"{service}_service.adapters", f"{service}_service.entrypoints")
    return (*own, *(NEVER_IN_APP if layer == "app" else NEVER_IN_DOMAIN))


@pytest.mark.parametrize("layer", ["app", "domain"])
@pytest.mark.parametrize("service", LAYERED)
def test_app_and_domain_depend_on_no_adapter_and_no_database(service: str, layer: str) -> None:
    modules = layer_modules(service, layer)
    assert len(modules) > 1, f"no modules found under {service}_service/{layer}"
    found = {
        module: bad
        for module, source in modules.items()
        if (bad := violations(source, module, forbidden_for(service, layer)))
    }
    assert found == {}, f"{service}_service.{layer} imports what it must not: {found}"


def test_the_scan_sees_every_form_of_import() -> None:
    """The check above passes on a clean tree; this proves it would not on a dirty one."""
    source = """
import sqlalchemy.ext.asyncio
from sqlmodel import col
from chorus_db import Database
from chorus_db.ports import Transaction
from svc_service import adapters
from ..adapters.repository import Repository
from . import ports
import httpx
"""
    module = "svc_service.app.use_cases"
    assert violations(source, module, forbidden_for("svc", "app")) == [
        "chorus_db",
        "chorus_db.Database",
        "sqlalchemy.ext.asyncio",
        "sqlmodel",
        "sqlmodel.col",
        "svc_service.adapters",
        "svc_service.adapters.repository",
        "svc_service.adapters.repository.Repository",
    ]
    # The domain's list adds the I/O libraries.
    assert "httpx" in violations(source, "svc_service.domain.rules", forbidden_for("svc", "domain"))

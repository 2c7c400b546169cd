"""Every router of the gateway, in one list: build_app(deps, ROUTERS).
A new resource is a module with its router (services/gateway/README.md,
"How to add a resource") and one line here."""

from __future__ import annotations

from fastapi import APIRouter

from gateway_service.entrypoints import (
    http_auth,
    http_health,
    http_role_grants,
)

ROUTERS: list[APIRouter] = [
    http_health.router,
    http_auth.keys,
    http_auth.api,
    http_role_grants.api,
]

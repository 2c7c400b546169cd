"""Keycloak pieces the identity tests make at run time through the admin API:
a machine client that names a Chorus service in its tokens (the shape of
the realm's own service clients), created in a realm the test picks, and
deleted afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from chorus_testing.infra import required_env
from chorus_testing.keycloak_admin import KeycloakAdmin, admin_token


def connect_admin() -> KeycloakAdmin:
    return KeycloakAdmin.connect(
        required_env("CHORUS_KEYCLOAK_URL"),
        required_env("CHORUS_KEYCLOAK_ADMIN_USER"),
        required_env("CHORUS_KEYCLOAK_ADMIN_PASSWORD"),
    )


def machine_client(client_id: str, secret: str, service: str) -> dict[str, Any]:
    """A client-credentials client whose tokens carry the chorus audience and
    `chorus_service: <service>`: everything a Chorus service token has, so
    only where it comes from (issuer, keys) can tell it apart."""
    return {
        "clientId": client_id,
        "secret": secret,
        "enabled": True,
        "protocol": "openid-connect",
        "publicClient": False,
        "serviceAccountsEnabled": True,
        "standardFlowEnabled": False,
        "directAccessGrantsEnabled": False,
        "protocolMappers": [
            {
                "name": "audience chorus",
                "protocol": "openid-connect",
                "protocolMapper": "oidc-audience-mapper",
                "config": {"included.custom.audience": "chorus", "access.token.claim": "true"},
            },
            {
                "name": "chorus_service",
                "protocol": "openid-connect",
                "protocolMapper": "oidc-hardcoded-claim-mapper",
                "config": {
                    "claim.name": "chorus_service",
                    "claim.value": service,
                    "jsonType.label": "String",
                    "access.token.claim": "true",
                },
            },
        ],
    }


@contextmanager
def temporary_client(realm: str, representation: dict[str, Any]) -> Iterator[None]:
    """The client exists for the block only (the admin helper has no client
    calls; the admin API directly, as the master realm's administrator)."""
    base = required_env("CHORUS_KEYCLOAK_URL").rstrip("/")
    token = admin_token(
        base,
        required_env("CHORUS_KEYCLOAK_ADMIN_USER"),
        required_env("CHORUS_KEYCLOAK_ADMIN_PASSWORD"),
    )
    headers = {"Authorization": f"Bearer {token}"}
    clients = f"{base}/admin/realms/{realm}/clients"
    created = httpx.post(clients, json=representation, headers=headers, timeout=30.0)
    created.raise_for_status()
    client_uuid = created.headers["location"].rstrip("/").rsplit("/", 1)[-1]
    try:
        yield
    finally:
        httpx.delete(f"{clients}/{client_uuid}", headers=headers, timeout=30.0)

"""Keycloak's admin REST API, for what tests and the demo change at run time:
users (with a tenant, roles and Chorus attributes) and signing keys (a new RSA
key of higher priority makes Keycloak sign new tokens with a new `kid`, which
is how key-rotation tests start).

    admin = KeycloakAdmin.connect(os.environ["CHORUS_KEYCLOAK_URL"], user, password)
    user_id = admin.create_user("chorus", "new.acme", "new.acme-pass", tenant="acme",
                                roles=["employee"], email="new.acme@acme.example")
    provider_id = admin.add_rsa_key_provider("chorus", priority=200)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import httpx

from chorus_testing.keycloak import TIMEOUT

# Creating a realm writes its default flows, scopes and keys: tens of seconds on
# a busy two-core machine.
ADMIN_TIMEOUT = httpx.Timeout(180.0)


def admin_token(base_url: str, user: str, password: str) -> str:
    """A token of the master realm's administrator (the admin-cli client, password grant:
    the one place a password grant is used, by Keycloak's own CLI client)."""
    response = httpx.post(
        f"{base_url.rstrip('/')}/realms/master/protocol/openid-connect/token",
        data={
            "grant_type": "password",
            "client_id": "admin-cli",
            "username": user,
            "password": password,
        },
        timeout=TIMEOUT,
    )
    response.raise_for_status()
    return str(response.json()["access_token"])


class KeycloakAdmin:
    """The admin API as the master realm's administrator. The admin token lives a
    minute, so a call refused with 401 fetches a new one and is sent again."""

    def __init__(self, base_url: str, user: str, password: str) -> None:
        self.base_url = base_url.rstrip("/")
        self._user, self._password = user, password
        self._token = admin_token(self.base_url, user, password)

    @classmethod
    def connect(cls, base_url: str, user: str, password: str) -> KeycloakAdmin:
        return cls(base_url, user, password)

    def __repr__(self) -> str:  # never print the credentials
        return f"KeycloakAdmin({self.base_url!r})"

    def _call(self, method: str, path: str, json: Any = None) -> httpx.Response:
        url = f"{self.base_url}/admin/realms{path}"
        for attempt in (1, 2):
            response = httpx.request(
                method,
                url,
                json=json,
                headers={"Authorization": f"Bearer {self._token}"},
                timeout=ADMIN_TIMEOUT,
            )
            if response.status_code == 401 and attempt == 1:
                self._token = admin_token(self.base_url, self._user, self._password)
                continue
            break
        response.raise_for_status()
        return response

    def create_user(
        self,
        realm: str,
        username: str,
        password: str,
        *,
        tenant: str,
        roles: Sequence[str] = (),
        email: str | None = None,
        attributes: Mapping[str, Sequence[str]] | None = None,
    ) -> str:
        """Create an enabled user with a password and realm roles; return its id.
        `attributes` are the other Chorus attributes (external_id, chorus_regions, ...)."""
        created = self._call(
            "POST",
            f"/{realm}/users",
            json={
                "username": username,
                "enabled": True,
                "email": email,
                "emailVerified": email is not None,
                "attributes": {
                    "tenant": [tenant],
                    **{k: list(v) for k, v in (attributes or {}).items()},
                },
                "credentials": [{"type": "password", "value": password, "temporary": False}],
            },
        )
        # Keycloak answers 201 with the new user's URL, not a body.
        user_id = created.headers["location"].rstrip("/").rsplit("/", 1)[-1]
        if roles:
            reps = [self._call("GET", f"/{realm}/roles/{name}").json() for name in roles]
            self._call("POST", f"/{realm}/users/{user_id}/role-mappings/realm", json=reps)
        return user_id

    def delete_user(self, realm: str, user_id: str) -> None:
        self._call("DELETE", f"/{realm}/users/{user_id}")

    def find_user(self, realm: str, username: str) -> dict[str, Any] | None:
        found = self._call("GET", f"/{realm}/users?username={username}&exact=true").json()
        return found[0] if found else None

    def federated_identities(self, realm: str, user_id: str) -> list[str]:
        """The identity providers (aliases) the user's account is linked to."""
        links = self._call("GET", f"/{realm}/users/{user_id}/federated-identity").json()
        return [str(link["identityProvider"]) for link in links]

    def create_realm(self, representation: Mapping[str, Any]) -> str:
        """Import a realm (the same representation as a realm file); return its name.
        Tests make throwaway realms for what must not disturb the shared ones."""
        self._call("POST", "", json=dict(representation))
        return str(representation["realm"])

    def delete_realm(self, realm: str) -> None:
        self._call("DELETE", f"/{realm}")

    def add_rsa_key_provider(self, realm: str, priority: int, name: str | None = None) -> str:
        """Add an active generated RSA (RS256) key of `priority`; return the provider's id.
        Keycloak signs with the active key of highest priority, so tokens issued from now
        on carry the new key's `kid`; the old key stays published until removed."""
        realm_id = self._call("GET", f"/{realm}").json()["id"]
        created = self._call(
            "POST",
            f"/{realm}/components",
            json={
                "name": name or f"rsa-rotated-{priority}",
                "providerId": "rsa-generated",
                "providerType": "org.keycloak.keys.KeyProvider",
                "parentId": realm_id,
                "config": {
                    "priority": [str(priority)],
                    "enabled": ["true"],
                    "active": ["true"],
                    "algorithm": ["RS256"],
                    "keySize": ["2048"],
                },
            },
        )
        return created.headers["location"].rstrip("/").rsplit("/", 1)[-1]

    def remove_component(self, realm: str, component_id: str) -> None:
        self._call("DELETE", f"/{realm}/components/{component_id}")

    def active_signing_kid(self, realm: str, algorithm: str = "RS256") -> str:
        """The `kid` Keycloak signs new tokens with."""
        keys = self._call("GET", f"/{realm}/keys").json()
        return str(keys["active"][algorithm])

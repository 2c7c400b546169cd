"""How a verified token's claims become a Principal.

Two shapes: Chorus's own short-lived tokens (minted by the gateway or a
test issuer from an already verified identity; they carry the roles with
their scopes), and an OIDC provider's tokens (Keycloak or any other), whose
claim names come from configuration because every provider names them
differently.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from chorus_core.errors import Unauthenticated

from chorus_identity.principal import Grant, Principal, Role


class ClaimMapping(Protocol):
    def principal(self, claims: Mapping[str, Any], issuer: str) -> Principal: ...


def _strings(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    raise Unauthenticated("token claim has the wrong type")


def _lookup(claims: Mapping[str, Any], name: str) -> Any:
    """The claim `name`; a dotted name not found as such is a path into
    nested objects (Keycloak's realm_access.roles, an Auth0 namespace)."""
    if name in claims or "." not in name:
        return claims.get(name)
    value: Any = claims
    for part in name.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def _string(claims: Mapping[str, Any], name: str) -> str:
    value = _lookup(claims, name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise Unauthenticated(f"token claim {name!r} must be a string")
    return value


# Chorus tokens: short claim names, the grants spelled out.
TENANT, KIND, EMPLOYEE, SERVICE, GRANTS = "tid", "knd", "emp", "svc", "grants"


def grants_to_claim(grants: tuple[Grant, ...]) -> list[dict[str, Any]]:
    return [
        {
            "role": g.role.value,
            "regions": sorted(g.regions),
            "channels": sorted(g.channels),
            "steps": sorted(g.steps),
        }
        for g in grants
    ]


class ChorusClaims:
    def principal(self, claims: Mapping[str, Any], issuer: str) -> Principal:
        kind = _string(claims, KIND)
        if kind == "service":
            name = _string(claims, SERVICE)
            if not name:
                raise Unauthenticated("service token without a service name")
            return Principal(f"service:{name}", "service", service=name, issuer=issuer)
        if kind != "user":
            raise Unauthenticated("token of an unknown principal kind")
        tenant = _string(claims, TENANT)
        if not tenant:
            raise Unauthenticated("user token without a tenant")
        raw = claims.get(GRANTS, [])
        if not isinstance(raw, list):
            raise Unauthenticated("token grants must be a list")
        grants = []
        for item in raw:
            if not isinstance(item, dict):
                raise Unauthenticated("token grant must be an object")
            try:
                role = Role(str(item.get("role", "")))
            except ValueError:
                continue  # a role this service does not know grants nothing
            grants.append(
                Grant.of(
                    role,
                    _strings(item.get("regions")),
                    _strings(item.get("channels")),
                    _strings(item.get("steps")),
                )
            )
        return Principal(
            _string(claims, "sub"),
            "user",
            tenant,
            tuple(grants),
            _string(claims, EMPLOYEE),
            issuer=issuer,
        )


@dataclass(frozen=True)
class OidcClaims:
    """Claim names of an external provider. Roles are a flat list; the scope
    claims apply to the roles they scope (regions and channels to comms
    managers, steps to reviewers). A token with the service claim is a
    machine (client credentials) and carries no tenant. A name may be a
    dotted path into nested claims (realm_access.roles)."""

    tenant: str = "tenant"
    roles: str = "roles"
    regions: str = "chorus_regions"
    channels: str = "chorus_channels"
    steps: str = "chorus_steps"
    service: str = "chorus_service"

    def principal(self, claims: Mapping[str, Any], issuer: str) -> Principal:
        service = _string(claims, self.service)
        if service:
            return Principal(f"service:{service}", "service", service=service, issuer=issuer)
        tenant = _string(claims, self.tenant)
        if not tenant:
            raise Unauthenticated(f"token has no {self.tenant!r} claim")
        regions = _strings(_lookup(claims, self.regions))
        channels = _strings(_lookup(claims, self.channels))
        steps = _strings(_lookup(claims, self.steps))
        grants = []
        for name in _strings(_lookup(claims, self.roles)):
            try:
                role = Role(name)
            except ValueError:
                continue  # the provider's own roles (offline_access, ...)
            if role == Role.COMMS_MANAGER:
                grants.append(Grant.of(role, regions=regions, channels=channels))
            elif role == Role.REVIEWER:
                grants.append(Grant.of(role, steps=steps))
            else:
                grants.append(Grant(role))
        return Principal(_string(claims, "sub"), "user", tenant, tuple(grants), issuer=issuer)

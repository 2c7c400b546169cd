"""Claims -> Principal: Chorus's own tokens round-trip a principal exactly
(through a real signature and the strict verifier), and an OIDC provider's
claims map by configured names, with scope claims applied to the roles they
scope."""

from __future__ import annotations

from typing import Any

import pytest
from chorus_core.errors import Unauthenticated
from chorus_identity.claims import ChorusClaims, OidcClaims
from chorus_identity.keys import SigningKey, StaticJwks, jwks_of
from chorus_identity.principal import ANY, Grant, Principal, Role, service, user
from chorus_identity.tokens import TokenMinter, TokenVerifier, TrustedIssuer

KEY = SigningKey.generate("unit-1")
MINTER = TokenMinter(KEY, "chorus", "chorus", lifetime_seconds=300)
VERIFIER = TokenVerifier([TrustedIssuer("chorus", "chorus", StaticJwks(jwks_of(KEY)))])


@pytest.mark.parametrize(
    "principal",
    [
        user(
            "sub-1",
            "t1",
            Grant.of(Role.COMMS_MANAGER, regions=["emea", "apac"], channels=["ch-1"]),
            Grant.of(Role.REVIEWER, steps=["legal"]),
            Role.EMPLOYEE,
            employee_id="e-7",
        ),
        user("sub-2", "t2", Role.TENANT_ADMIN, Grant.of(Role.REVIEWER, steps=[ANY])),
        user("sub-3", "t3"),  # signed in, no role yet
        service("translation"),
    ],
    ids=["scoped-user", "admin", "no-roles", "service"],
)
async def test_a_minted_token_verifies_to_the_same_principal(principal: Principal) -> None:
    verified = await VERIFIER.verify(MINTER.mint(principal))
    assert verified == principal
    assert verified.issuer == "chorus"  # not compared by ==, kept for the audit log


async def test_a_service_token_carries_no_tenant_and_no_grants() -> None:
    claims = (await VERIFIER.verify_claims(MINTER.mint(service("publishing")))).claims
    assert claims["knd"] == "service" and claims["svc"] == "publishing"
    assert "tid" not in claims and "grants" not in claims


def chorus(**claims: Any) -> Principal:
    return ChorusClaims().principal({"sub": "s", **claims}, "chorus")


def test_chorus_claims_refuse_what_is_not_a_principal() -> None:
    with pytest.raises(Unauthenticated, match="without a tenant"):
        chorus(knd="user")
    with pytest.raises(Unauthenticated, match="without a service name"):
        chorus(knd="service")
    with pytest.raises(Unauthenticated, match="unknown principal kind"):
        chorus(knd="robot", tid="t1")
    with pytest.raises(Unauthenticated, match="must be a list"):
        chorus(knd="user", tid="t1", grants={"role": "tenant_admin"})
    with pytest.raises(Unauthenticated, match="must be an object"):
        chorus(knd="user", tid="t1", grants=["tenant_admin"])
    with pytest.raises(Unauthenticated, match="wrong type"):
        chorus(knd="user", tid="t1", grants=[{"role": "reviewer", "steps": [1, 2]}])
    with pytest.raises(Unauthenticated, match="'tid' must be a string"):
        chorus(knd="user", tid=["t1", "t2"])


def test_an_unknown_chorus_role_grants_nothing() -> None:
    p = chorus(knd="user", tid="t1", grants=[{"role": "superuser"}, {"role": "moderator"}])
    assert p.roles == {Role.MODERATOR}


KEYCLOAK = OidcClaims(tenant="org", roles="chorus_roles", service="svc")


def test_oidc_scopes_apply_to_the_roles_they_scope() -> None:
    p = KEYCLOAK.principal(
        {
            "sub": "kc-uuid",
            "org": "acme",
            "chorus_roles": ["comms_manager", "reviewer", "employee", "offline_access"],
            "chorus_regions": ["emea"],
            "chorus_channels": "ch-9",  # a single value, as some providers send it
            "chorus_steps": ["legal", "brand"],
        },
        "https://idp.example/realms/chorus",
    )
    assert p.tenant_id == "acme" and p.subject == "kc-uuid" and p.kind == "user"
    [comms] = p.grants_of(Role.COMMS_MANAGER)
    assert comms.regions == {"emea"} and comms.channels == {"ch-9"} and not comms.steps
    [reviewer] = p.grants_of(Role.REVIEWER)
    assert reviewer.steps == {"legal", "brand"} and not reviewer.regions
    [employee] = p.grants_of(Role.EMPLOYEE)
    assert employee == Grant(Role.EMPLOYEE)  # unscoped: scopes are not every role's
    assert p.roles == {Role.COMMS_MANAGER, Role.REVIEWER, Role.EMPLOYEE}


def test_an_oidc_machine_token_is_a_service() -> None:
    p = KEYCLOAK.principal({"sub": "sa-uuid", "svc": "translation", "org": "acme"}, "idp")
    assert p == service("translation") and p.tenant_id == ""


def test_an_oidc_user_without_a_tenant_is_refused() -> None:
    with pytest.raises(Unauthenticated, match="'org'"):
        KEYCLOAK.principal({"sub": "kc-uuid", "chorus_roles": ["tenant_admin"]}, "idp")
    with pytest.raises(Unauthenticated, match="wrong type"):
        KEYCLOAK.principal({"sub": "x", "org": "acme", "chorus_roles": {"a": 1}}, "idp")


def test_the_default_oidc_names() -> None:
    p = OidcClaims().principal({"sub": "u", "tenant": "t1", "roles": "moderator"}, "idp")
    assert p.roles == {Role.MODERATOR} and p.tenant_id == "t1"


def test_claim_names_are_configurable_and_may_reach_into_nested_claims() -> None:
    """Another provider's shape: Keycloak's default realm_access.roles, scopes
    under a namespaced object (as Auth0 and Okta custom claims are)."""
    names = OidcClaims(
        tenant="https://acme.example/org",
        roles="realm_access.roles",
        regions="chorus.scope.regions",
        channels="chorus.scope.channels",
        steps="chorus.scope.steps",
    )
    p = names.principal(
        {
            "sub": "okta-1",
            "https://acme.example/org": "acme",  # a dotted name present as such wins
            "realm_access": {"roles": ["comms_manager", "reviewer", "uma_authorization"]},
            "chorus": {"scope": {"regions": ["emea"], "channels": [], "steps": "legal"}},
        },
        "idp",
    )
    assert p.tenant_id == "acme"
    [comms] = p.grants_of(Role.COMMS_MANAGER)
    assert comms.regions == {"emea"} and not comms.channels
    [reviewer] = p.grants_of(Role.REVIEWER)
    assert reviewer.steps == {"legal"}
    # A path that leads nowhere is an absent claim; one through a wrong type too.
    bare = names.principal({"sub": "u", "https://acme.example/org": "t", "chorus": 3}, "idp")
    assert bare.grants == ()
    with pytest.raises(Unauthenticated, match="wrong type"):
        names.principal(
            {"sub": "u", "https://acme.example/org": "t", "realm_access": {"roles": {"x": 1}}},
            "idp",
        )

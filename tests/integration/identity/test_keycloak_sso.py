"""Single sign-on against the real Keycloak that `make infra` starts, with the
realms of deploy/keycloak: every token is checked with its signature against
the realm's published keys (PyJWT, RS256 pinned), never just decoded.

* browser sign-in: authorization code + PKCE S256 (chorus-console); PKCE is
  required, and a wrong verifier is refused;
* CLI sign-in: the device authorization grant (chorus-cli), the user approving
  on the verification page; the CLI client has no password grant;
* services: client credentials, each service client naming itself in
  `chorus_service`; a wrong secret is refused;
* SAML: a user of the enterprise's SAML IdP signs in through the chorus realm's
  broker and gets a chorus token in the right tenant with the right role;
* the admin helpers: a user created at run time signs in with its claims, and a
  new signing key of higher priority changes the `kid` of new tokens.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import jwt
import pytest
from chorus_testing import keycloak as kc
from chorus_testing.infra import required_env
from chorus_testing.keycloak_admin import KeycloakAdmin

pytestmark = pytest.mark.infra

REDIRECT_URI = (
    "http://127.0.0.1:8765/callback"  # nothing listens: the code is read from the redirect
)
SERVICES = [
    "content", "targeting", "translation", "scheduling",
    "publishing", "gamification", "metrics", "gateway",
]  # fmt: skip


@pytest.fixture(scope="module")
def issuer() -> str:
    return required_env("CHORUS_OIDC_ISSUER")


@pytest.fixture(scope="module")
def admin() -> KeycloakAdmin:
    return KeycloakAdmin.connect(
        required_env("CHORUS_KEYCLOAK_URL"),
        required_env("CHORUS_KEYCLOAK_ADMIN_USER"),
        required_env("CHORUS_KEYCLOAK_ADMIN_PASSWORD"),
    )


def audiences(claims: dict[str, Any]) -> list[str]:
    aud = claims["aud"]
    return [aud] if isinstance(aud, str) else list(aud)


def test_code_and_pkce_sign_in_gives_a_comms_manager_token(issuer: str) -> None:
    tokens = kc.password_free_code_flow(
        issuer, "chorus-console", REDIRECT_URI, "comms.acme", "comms.acme-pass"
    )
    claims = kc.verified_claims(issuer, tokens.access_token)
    assert claims["iss"] == issuer
    assert "chorus" in audiences(claims)
    assert claims["azp"] == "chorus-console"
    assert claims["tenant"] == "acme"
    assert "comms_manager" in claims["roles"]
    assert claims["chorus_regions"] == ["eu-west"]
    assert claims["email"] == "comms.acme@acme.example"
    assert jwt.get_unverified_header(tokens.access_token)["alg"] == "RS256"


def test_a_wrong_pkce_verifier_is_refused(issuer: str) -> None:
    code = kc.authorize(issuer, "chorus-console", REDIRECT_URI, "comms.acme", "comms.acme-pass")
    with pytest.raises(kc.TokenError) as refused:
        kc.exchange_code(issuer, "chorus-console", code, verifier=kc.Pkce.new().verifier)
    assert refused.value.error == "invalid_grant"


@pytest.mark.parametrize(
    "challenge", [{}, {"code_challenge": "x" * 43, "code_challenge_method": "plain"}]
)
def test_the_console_requires_pkce_s256(issuer: str, challenge: dict[str, str]) -> None:
    """Without a challenge, or with the `plain` method, Keycloak sends the browser
    back with an error instead of showing the login page."""
    params = {
        "response_type": "code",
        "client_id": "chorus-console",
        "redirect_uri": REDIRECT_URI,
        "scope": "openid",
        "state": secrets.token_urlsafe(8),
        **challenge,
    }
    response = httpx.get(kc.discover(issuer).authorization_endpoint, params=params)
    assert response.is_redirect, response.status_code
    query = parse_qs(urlsplit(response.headers["location"]).query)
    assert query["error"] == ["invalid_request"]
    assert "code" not in query


def test_device_grant_signs_the_cli_in_as_an_employee(issuer: str) -> None:
    tokens = kc.device_flow_approve(issuer, "chorus-cli", "employee.acme", "employee.acme-pass")
    claims = kc.verified_claims(issuer, tokens.access_token)
    assert claims["azp"] == "chorus-cli"
    assert "chorus" in audiences(claims)
    assert claims["tenant"] == "acme"
    assert "employee" in claims["roles"]
    assert claims["external_id"] == "E-1001"


def test_the_cli_client_has_no_password_grant(issuer: str) -> None:
    form = {
        "grant_type": "password",
        "client_id": "chorus-cli",
        "username": "employee.acme",
        "password": "employee.acme-pass",
    }
    response = httpx.post(kc.discover(issuer).token_endpoint, data=form)
    assert response.status_code in (400, 401)
    assert "access_token" not in response.json()


@pytest.mark.parametrize("service", SERVICES)
def test_client_credentials_name_the_service(issuer: str, service: str) -> None:
    tokens = kc.client_credentials(issuer, f"chorus-{service}", f"local-dev-{service}-secret")
    claims = kc.verified_claims(issuer, tokens.access_token)
    assert claims["chorus_service"] == service
    assert "chorus" in audiences(claims)
    assert "tenant" not in claims  # a service acts for no tenant of its own


def test_a_wrong_client_secret_is_refused(issuer: str) -> None:
    with pytest.raises(kc.TokenError) as refused:
        kc.client_credentials(issuer, "chorus-translation", "local-dev-content-secret")
    assert refused.value.status == 401
    assert refused.value.error == "unauthorized_client"


def test_a_saml_federated_employee_lands_in_the_right_tenant(
    issuer: str, admin: KeycloakAdmin
) -> None:
    tokens = kc.saml_code_flow(
        issuer, "chorus-console", REDIRECT_URI, "saml.employee", "saml.employee-pass"
    )
    claims = kc.verified_claims(issuer, tokens.access_token)
    assert claims["iss"] == issuer  # a chorus token, not one of the SAML IdP's realm
    assert "chorus" in audiences(claims)
    assert claims["tenant"] == "acme"
    assert "employee" in claims["roles"]
    assert claims["email"] == "saml.employee@acme.example"
    assert claims["external_id"] == "E-2001"
    user = admin.find_user("chorus", "saml.employee")
    assert user is not None
    assert admin.federated_identities("chorus", user["id"]) == ["saml-idp"]


def test_a_user_created_at_run_time_signs_in_with_its_claims(
    issuer: str, admin: KeycloakAdmin
) -> None:
    username = f"runtime-{secrets.token_hex(4)}.acme"
    user_id = admin.create_user(
        "chorus",
        username,
        f"{username}-pass",
        tenant="acme",
        roles=["reviewer"],
        email=f"{username}@acme.example",
        attributes={"chorus_steps": ["legal", "comms"]},
    )
    try:
        tokens = kc.password_free_code_flow(
            issuer, "chorus-console", REDIRECT_URI, username, f"{username}-pass"
        )
        claims = kc.verified_claims(issuer, tokens.access_token)
        assert claims["tenant"] == "acme"
        assert "reviewer" in claims["roles"]
        assert sorted(claims["chorus_steps"]) == ["comms", "legal"]
    finally:
        admin.delete_user("chorus", user_id)


@pytest.fixture(scope="module")
def throwaway_realm(admin: KeycloakAdmin) -> Iterator[str]:
    """A realm of its own with one service client: rotating the shared realm's
    keys would disturb other tests signing in at the same time."""
    name = f"rotation-{secrets.token_hex(4)}"
    admin.create_realm(
        {
            "realm": name,
            "enabled": True,
            "clients": [
                {
                    "clientId": "svc",
                    "secret": "svc-secret",
                    "publicClient": False,
                    "serviceAccountsEnabled": True,
                    "standardFlowEnabled": False,
                    # The chorus audience, so that only the realm (issuer, keys) differs.
                    "protocolMappers": [
                        {
                            "name": "audience chorus",
                            "protocol": "openid-connect",
                            "protocolMapper": "oidc-audience-mapper",
                            "config": {
                                "included.custom.audience": "chorus",
                                "access.token.claim": "true",
                            },
                        }
                    ],
                }
            ],
        }
    )
    try:
        yield name
    finally:
        admin.delete_realm(name)


def test_a_new_key_of_higher_priority_signs_new_tokens(
    admin: KeycloakAdmin, throwaway_realm: str
) -> None:
    realm_issuer = f"{admin.base_url}/realms/{throwaway_realm}"
    before = kc.client_credentials(realm_issuer, "svc", "svc-secret").access_token
    old_kid = jwt.get_unverified_header(before)["kid"]
    admin.add_rsa_key_provider(throwaway_realm, priority=500)
    after = kc.client_credentials(realm_issuer, "svc", "svc-secret").access_token
    new_kid = jwt.get_unverified_header(after)["kid"]
    assert new_kid != old_kid
    assert new_kid == admin.active_signing_kid(throwaway_realm)
    # Both verify: the JWKS publishes the new key and still the old one.
    for token in (before, after):
        claims = kc.verified_claims(realm_issuer, token)
        assert claims["azp"] == "svc"


def test_a_token_of_another_realm_is_not_a_chorus_token(
    issuer: str, admin: KeycloakAdmin, throwaway_realm: str
) -> None:
    other = kc.client_credentials(f"{admin.base_url}/realms/{throwaway_realm}", "svc", "svc-secret")
    assert kc.verified_claims(f"{admin.base_url}/realms/{throwaway_realm}", other.access_token)
    # Signed by a key the chorus realm does not publish (and another issuer).
    with pytest.raises(jwt.PyJWTError):
        kc.verified_claims(issuer, other.access_token)

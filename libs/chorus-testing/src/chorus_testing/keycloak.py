"""Sign in to a real Keycloak the way a browser, the CLI or a service would, without a browser.

* `password_free_code_flow`: authorization code + PKCE S256 (the console's flow);
  `saml_code_flow`: the same through the realm's SAML identity provider
  (`kc_idp_hint`), following the POST-binding forms to the SAML IdP and back;
* `device_flow_approve`: the OAuth device authorization grant (the CLI's flow),
  with the user's approval acted out on the verification page;
* `client_credentials`: a service's own token;
* `discover` and `verified_claims`: the provider's metadata, and a token's claims
  after checking its signature against the provider's JWKS.

The user's side is played by `chorus_testing.user_agent`: each page is read as
forms and the one that moves the flow on is submitted (login, consent, device
code, SAML auto-submit). A page it does not expect stops the flow with its
title and Keycloak's message; credentials never appear in an error.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import jwt

from chorus_testing.html_forms import parse_page
from chorus_testing.user_agent import TIMEOUT, Credentials, FlowError, UserAgent

__all__ = [
    "AuthorizationCode", "DeviceAuthorization", "Discovery", "FlowError", "Pkce", "TokenError",
    "TokenResponse", "approve_device", "authorize", "client_credentials", "device_flow_approve",
    "discover", "exchange_code", "password_free_code_flow", "poll_device_token", "saml_code_flow",
    "start_device_authorization", "verified_claims",
]  # fmt: skip
DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"


class TokenError(Exception):
    """The token endpoint refused: `error` is the OAuth error code."""

    def __init__(self, status: int, error: str, description: str) -> None:
        super().__init__(f"{status} {error}: {description}")
        self.status, self.error, self.description = status, error, description


@dataclass(frozen=True)
class TokenResponse:
    access_token: str
    token_type: str
    expires_in: int
    refresh_token: str | None
    id_token: str | None
    scope: str

    @classmethod
    def from_json(cls, body: dict[str, Any]) -> TokenResponse:
        return cls(
            access_token=str(body["access_token"]),
            token_type=str(body.get("token_type", "")),
            expires_in=int(body.get("expires_in", 0)),
            refresh_token=body.get("refresh_token"),
            id_token=body.get("id_token"),
            scope=str(body.get("scope", "")),
        )


@dataclass(frozen=True)
class Discovery:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    device_authorization_endpoint: str
    userinfo_endpoint: str


def discover(issuer: str) -> Discovery:
    url = issuer.rstrip("/") + "/.well-known/openid-configuration"
    meta = httpx.get(url, timeout=TIMEOUT).raise_for_status().json()
    if meta["issuer"] != issuer.rstrip("/"):
        raise FlowError(f"{url} names issuer {meta['issuer']!r}, not {issuer!r}")
    return Discovery(
        issuer=meta["issuer"],
        authorization_endpoint=meta["authorization_endpoint"],
        token_endpoint=meta["token_endpoint"],
        jwks_uri=meta["jwks_uri"],
        device_authorization_endpoint=meta.get("device_authorization_endpoint", ""),
        userinfo_endpoint=meta.get("userinfo_endpoint", ""),
    )


def verified_claims(issuer: str, token: str, audience: str = "chorus") -> dict[str, Any]:
    """The token's claims once its RS256 signature, issuer, audience and expiry check out
    against the provider's published keys (the JWKS is fetched each time: tests rotate keys)."""
    keys = jwt.PyJWKClient(discover(issuer).jwks_uri, cache_jwk_set=False)
    key = keys.get_signing_key_from_jwt(token)
    claims: dict[str, Any] = jwt.decode(
        token, key, algorithms=["RS256"], audience=audience, issuer=issuer, leeway=5
    )
    return claims


def _token(token_endpoint: str, form: dict[str, str]) -> TokenResponse:
    response = httpx.post(token_endpoint, data=form, timeout=TIMEOUT)
    body = response.json()
    if response.status_code != 200:
        raise TokenError(
            response.status_code, body.get("error", "?"), body.get("error_description", "")
        )
    return TokenResponse.from_json(body)


def client_credentials(issuer: str, client_id: str, secret: str) -> TokenResponse:
    return _token(
        discover(issuer).token_endpoint,
        {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret},
    )


# ---------------------------------------------------------------- code + PKCE


@dataclass(frozen=True)
class Pkce:
    verifier: str
    challenge: str

    @classmethod
    def new(cls) -> Pkce:
        verifier = secrets.token_urlsafe(48)  # 64 characters, within RFC 7636's 43..128
        digest = hashlib.sha256(verifier.encode("ascii")).digest()
        return cls(verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii"))


@dataclass(frozen=True)
class AuthorizationCode:
    code: str
    redirect_uri: str
    pkce: Pkce


def authorize(
    issuer: str,
    client_id: str,
    redirect_uri: str,
    username: str,
    password: str,
    *,
    idp_hint: str | None = None,
) -> AuthorizationCode:
    """Sign in at the authorization endpoint and return the code from the redirect."""
    discovery, pkce, state = discover(issuer), Pkce.new(), secrets.token_urlsafe(16)
    params = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": redirect_uri,
        "scope": "openid",
        "state": state,
        "nonce": secrets.token_urlsafe(16),
        "code_challenge": pkce.challenge,
        "code_challenge_method": "S256",
    }
    if idp_hint:
        params["kc_idp_hint"] = idp_hint
    browser = UserAgent()
    try:
        first = browser.send("GET", discovery.authorization_endpoint, params=params)
        last = browser.walk(first, Credentials(username, password), stop_at=redirect_uri)
    finally:
        browser.close()
    query = parse_qs(urlsplit(last.headers["location"]).query)
    if "error" in query:
        raise FlowError(
            f"authorization refused: {query['error'][0]} {query.get('error_description')}"
        )
    if query.get("state") != [state]:
        raise FlowError("the redirect carries another state than the request")
    return AuthorizationCode(query["code"][0], redirect_uri, pkce)


def exchange_code(
    issuer: str, client_id: str, code: AuthorizationCode, verifier: str | None = None
) -> TokenResponse:
    """Redeem the code; `verifier` overrides the PKCE verifier (to test a wrong one)."""
    return _token(
        discover(issuer).token_endpoint,
        {
            "grant_type": "authorization_code",
            "client_id": client_id,
            "code": code.code,
            "redirect_uri": code.redirect_uri,
            "code_verifier": code.pkce.verifier if verifier is None else verifier,
        },
    )


def password_free_code_flow(
    issuer: str, client_id: str, redirect_uri: str, username: str, password: str
) -> TokenResponse:
    """Code + PKCE S256 sign-in of a user of the realm (no password grant involved)."""
    code = authorize(issuer, client_id, redirect_uri, username, password)
    return exchange_code(issuer, client_id, code)


def saml_code_flow(
    issuer: str,
    client_id: str,
    redirect_uri: str,
    username: str,
    password: str,
    idp_hint: str = "saml-idp",
) -> TokenResponse:
    """Code + PKCE through the realm's SAML identity provider: the credentials are
    those of the SAML IdP's user; the token is the broker realm's."""
    code = authorize(issuer, client_id, redirect_uri, username, password, idp_hint=idp_hint)
    return exchange_code(issuer, client_id, code)


# ---------------------------------------------------------------- device grant


@dataclass(frozen=True)
class DeviceAuthorization:
    device_code: str
    user_code: str
    verification_uri: str
    verification_uri_complete: str
    expires_in: int
    interval: int


def start_device_authorization(issuer: str, client_id: str) -> DeviceAuthorization:
    endpoint = discover(issuer).device_authorization_endpoint
    response = httpx.post(
        endpoint, data={"client_id": client_id, "scope": "openid"}, timeout=TIMEOUT
    )
    body = response.json()
    if response.status_code != 200:
        raise TokenError(
            response.status_code, body.get("error", "?"), body.get("error_description", "")
        )
    return DeviceAuthorization(
        device_code=body["device_code"],
        user_code=body["user_code"],
        verification_uri=body["verification_uri"],
        verification_uri_complete=body.get("verification_uri_complete", ""),
        expires_in=int(body["expires_in"]),
        interval=int(body.get("interval", 5)),
    )


def approve_device(device: DeviceAuthorization, username: str, password: str) -> None:
    """The user's part: open the verification page, sign in, say yes."""
    browser = UserAgent()
    try:
        done = browser.walk(
            browser.send("GET", device.verification_uri_complete), Credentials(username, password)
        )
    finally:
        browser.close()
    page = parse_page(done.text)
    if "success" not in (page.title + page.feedback).lower():
        raise FlowError(f"device approval ended on {page.title!r}: {page.feedback}")


def poll_device_token(issuer: str, client_id: str, device: DeviceAuthorization) -> TokenResponse:
    """Poll as RFC 8628 §3.5 says: wait `interval` between polls, keep waiting on
    authorization_pending, add 5 s on slow_down, stop at expiry."""
    endpoint, interval = discover(issuer).token_endpoint, device.interval
    deadline = time.monotonic() + device.expires_in
    form = {"grant_type": DEVICE_GRANT, "device_code": device.device_code, "client_id": client_id}
    while time.monotonic() < deadline:
        time.sleep(interval)
        try:
            return _token(endpoint, form)
        except TokenError as refused:
            if refused.error == "slow_down":
                interval += 5
            elif refused.error != "authorization_pending":
                raise
    raise TokenError(400, "expired_token", "the device code expired while polling")


def device_flow_approve(issuer: str, client_id: str, username: str, password: str) -> TokenResponse:
    device = start_device_authorization(issuer, client_id)
    approve_device(device, username, password)
    return poll_device_token(issuer, client_id, device)

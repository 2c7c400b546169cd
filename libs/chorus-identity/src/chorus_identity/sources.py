"""Where an outgoing call gets its bearer token.

A service calling another uses its own identity (OAuth client credentials
at the provider); the gateway and tests mint Chorus tokens for a principal.
Tokens are cached until shortly before they expire, so a busy consumer does
not ask the provider for a token per call.
"""

from __future__ import annotations

import asyncio
import time
from typing import Protocol

import httpx
from chorus_core.errors import Unauthenticated

from chorus_identity.context import current_token
from chorus_identity.principal import Principal
from chorus_identity.tokens import TokenMinter

# Renew this long before expiry, so a token never expires on the wire.
RENEW_BEFORE_SECONDS = 30.0


class TokenSource(Protocol):
    async def token(self) -> str: ...


class StaticToken:
    def __init__(self, token: str) -> None:
        self._token = token

    async def token(self) -> str:
        return self._token


class ForwardedToken:
    """The token of the call being served (chorus_identity.context), for a
    process that acts for many callers on one channel: the gateway sets the
    token it minted for each request, and every downstream call carries it."""

    async def token(self) -> str:
        token = current_token()
        if not token:
            raise Unauthenticated("no caller token to forward")
        return token


class MintedToken:
    """A Chorus token for one fixed principal, re-minted before it expires."""

    def __init__(self, minter: TokenMinter, principal: Principal) -> None:
        self._minter = minter
        self._principal = principal
        self._token = ""
        self._renew_at = 0.0

    async def token(self) -> str:
        now = time.time()
        if now >= self._renew_at:
            self._token = self._minter.mint(self._principal, now)
            self._renew_at = now + max(self._minter.lifetime_seconds - RENEW_BEFORE_SECONDS, 1.0)
        return self._token


async def discover(issuer: str, http: httpx.AsyncClient) -> dict[str, object]:
    """The provider's OpenID configuration (RFC 8414 / OIDC discovery)."""
    response = await http.get(f"{issuer.rstrip('/')}/.well-known/openid-configuration")
    response.raise_for_status()
    document: dict[str, object] = response.json()
    return document


class ClientCredentials:
    """OAuth 2.0 client credentials grant (RFC 6749 §4.4) at the provider."""

    def __init__(
        self, issuer: str, client_id: str, secret: str, http: httpx.AsyncClient | None = None
    ) -> None:
        self.issuer = issuer
        self.client_id = client_id
        self._secret = secret
        self._http = http or httpx.AsyncClient(timeout=5.0)
        self._token_url = ""
        self._token = ""
        self._renew_at = 0.0
        self._lock = asyncio.Lock()

    async def token(self) -> str:
        if time.time() < self._renew_at:
            return self._token
        async with self._lock:
            if time.time() < self._renew_at:
                return self._token
            if not self._token_url:
                self._token_url = str((await discover(self.issuer, self._http))["token_endpoint"])
            response = await self._http.post(
                self._token_url,
                data={"grant_type": "client_credentials"},
                auth=(self.client_id, self._secret),
            )
            if response.status_code != 200:
                # The provider's error body may echo the client id only.
                raise Unauthenticated(
                    f"client credentials refused for {self.client_id} ({response.status_code})"
                )
            body = response.json()
            self._token = str(body["access_token"])
            lifetime = float(body.get("expires_in", 60))
            self._renew_at = time.time() + max(lifetime - RENEW_BEFORE_SECONDS, lifetime / 2)
            return self._token

    async def close(self) -> None:
        await self._http.aclose()

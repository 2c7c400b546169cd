"""Signing keys and key sets (JWKS): where a verifier finds the key a token
names by its `kid`, and how it notices a rotation.

A remote key set is cached; an unknown `kid` refetches it (the provider has
rotated), but at most once per `refresh_floor_seconds`, so a flood of tokens
with invented key ids cannot turn into a flood of requests to the provider.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Protocol

import httpx
import jwt
from chorus_core.errors import Unauthenticated
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

Jwks = dict[str, Any]


class KeySource(Protocol):
    async def key(self, kid: str | None) -> jwt.PyJWK: ...


def _index(jwks: Jwks) -> dict[str | None, jwt.PyJWK]:
    entries = jwks.get("keys") if isinstance(jwks, dict) else None
    if not isinstance(entries, list):
        raise ValueError("not a JWK set")
    keys: dict[str | None, jwt.PyJWK] = {}
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        if entry.get("use", "sig") != "sig":
            continue  # encryption keys never verify a signature
        try:
            keys[entry.get("kid")] = jwt.PyJWK(entry)
        except (jwt.PyJWKError, jwt.InvalidKeyError):
            continue  # a key type we do not support: skip, not fail the set
    return keys


class StaticJwks:
    """A key set given once (a file the deployment mounts, or a test's)."""

    def __init__(self, jwks: Jwks) -> None:
        self._keys = _index(jwks)

    @classmethod
    def from_file(cls, path: str | Path) -> StaticJwks:
        return cls(json.loads(Path(path).read_text()))

    async def key(self, kid: str | None) -> jwt.PyJWK:
        found = self._keys.get(kid)
        if found is None:
            raise Unauthenticated("token signed with an unknown key")
        return found


class RemoteJwks:
    """The provider's published key set (jwks_uri), cached. Give `url`, or
    `issuer` alone to find the jwks_uri by OIDC discovery on first use."""

    def __init__(
        self,
        url: str = "",
        http: httpx.AsyncClient | None = None,
        cache_seconds: float = 600.0,
        refresh_floor_seconds: float = 30.0,
        issuer: str = "",
    ) -> None:
        if not url and not issuer:
            raise ValueError("RemoteJwks needs a jwks url or an issuer to discover it from")
        self.url = url
        self.issuer = issuer
        self._http = http
        self._cache_seconds = cache_seconds
        self._floor = refresh_floor_seconds
        self._keys: dict[str | None, jwt.PyJWK] = {}
        self._fetched_at = float("-inf")
        self._lock = asyncio.Lock()
        self.fetches = 0  # observable for the rotation tests

    async def key(self, kid: str | None) -> jwt.PyJWK:
        seen = self._fetched_at
        if time.monotonic() - seen > self._cache_seconds:
            await self._refresh(seen)
        found = self._keys.get(kid)
        if found is None and time.monotonic() - self._fetched_at > self._floor:
            await self._refresh(self._fetched_at)  # a key we have not seen: rotated?
            found = self._keys.get(kid)
        if found is None:
            raise Unauthenticated("token signed with an unknown key")
        return found

    async def _refresh(self, seen: float) -> None:
        """Fetch the set, unless another call fetched it since this one saw
        it at `seen` (many tokens with one new kid: one request)."""
        async with self._lock:
            if self._fetched_at != seen:
                return
            if self._http is None:
                # One client for the process's life: building one loads the CA
                # bundle, blocking the event loop (seconds on a slow machine).
                self._http = httpx.AsyncClient(timeout=5.0)
            http = self._http
            try:
                if not self.url:
                    discovery = f"{self.issuer.rstrip('/')}/.well-known/openid-configuration"
                    found = await http.get(discovery)
                    found.raise_for_status()
                    document = found.json()
                    if document.get("issuer") != self.issuer:
                        # OIDC Discovery 1.0 §4.3: a document for another issuer is not ours.
                        raise ValueError("discovery document names another issuer")
                    self.url = str(document["jwks_uri"])
                response = await http.get(self.url)
                response.raise_for_status()
                self._keys = _index(response.json())
            except (httpx.HTTPError, ValueError, KeyError) as error:
                # Keep the keys we had: a provider blip must not sign everyone out.
                if not self._keys:
                    raise Unauthenticated("identity provider keys unavailable") from error
            finally:
                # A failed fetch counts too: the floor also spares a provider
                # that is down from a flood of retries.
                self._fetched_at = time.monotonic()
                self.fetches += 1

    async def aclose(self) -> None:
        if self._http is not None:
            await self._http.aclose()


@dataclass(frozen=True)
class SigningKey:
    """An RSA private key with its key id: what a token minter signs with."""

    kid: str
    private_pem: bytes

    @classmethod
    def generate(cls, kid: str) -> SigningKey:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        return cls(kid, pem)

    @classmethod
    def from_file(cls, path: str | Path, kid: str) -> SigningKey:
        return cls(kid, Path(path).read_bytes())

    @cached_property
    def private_key(self) -> rsa.RSAPrivateKey:
        """The parsed key, once per SigningKey: loading a PEM checks the RSA
        key, tens of milliseconds of CPU that would otherwise block the event
        loop on every token minted (handed to PyJWT, a key object is used as is)."""
        private = serialization.load_pem_private_key(self.private_pem, password=None)
        if not isinstance(private, rsa.RSAPrivateKey):
            raise ValueError("Chorus signs with RSA (RS256)")
        return private

    def public_jwk(self) -> dict[str, Any]:
        public = jwt.algorithms.RSAAlgorithm.to_jwk(self.private_key.public_key(), as_dict=True)
        return {**public, "kid": self.kid, "use": "sig", "alg": "RS256"}

    def public_pem(self) -> bytes:
        return self.private_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )


def jwks_of(*keys: SigningKey) -> Jwks:
    return {"keys": [k.public_jwk() for k in keys]}

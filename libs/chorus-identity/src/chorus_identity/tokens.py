"""Verifying and minting bearer tokens (JWT).

Verification is strict on purpose: the algorithm is pinned per issuer (so
`alg: none` and "HS256 with the public key as secret" never reach a key),
the issuer must be one we trust, the audience ours, `exp`/`iat`/`sub`
present, the clock skew bounded, and a Chorus token short-lived.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import jwt
from chorus_core.errors import Unauthenticated

from chorus_identity.claims import (
    EMPLOYEE,
    GRANTS,
    KIND,
    SERVICE,
    TENANT,
    ChorusClaims,
    ClaimMapping,
    grants_to_claim,
)
from chorus_identity.keys import KeySource, SigningKey
from chorus_identity.principal import Principal

DEFAULT_LEEWAY_SECONDS = 30.0
REQUIRED_CLAIMS = ["exp", "iat", "iss", "sub", "aud"]


@dataclass(frozen=True)
class TrustedIssuer:
    issuer: str
    audience: str
    keys: KeySource
    claims: ClaimMapping = field(default_factory=ChorusClaims)
    algorithms: tuple[str, ...] = ("RS256",)
    leeway_seconds: float = DEFAULT_LEEWAY_SECONDS
    # A token living longer than this is refused even if unexpired (Chorus's
    # own tokens are minted for minutes; None for providers we do not control).
    max_lifetime_seconds: float | None = None


@dataclass(frozen=True)
class Verified:
    principal: Principal
    claims: dict[str, Any]


class TokenVerifier:
    def __init__(self, issuers: Sequence[TrustedIssuer]) -> None:
        if not issuers:
            raise ValueError("a verifier needs at least one trusted issuer")
        self._issuers = {i.issuer: i for i in issuers}

    @property
    def issuers(self) -> tuple[str, ...]:
        return tuple(self._issuers)

    async def verify(self, token: str) -> Principal:
        return (await self.verify_claims(token)).principal

    async def verify_claims(self, token: str) -> Verified:
        header, claims, signing_input, signature = _parse(token)
        issuer = claims.get("iss")
        trusted = self._issuers.get(issuer) if isinstance(issuer, str) else None
        if trusted is None:
            raise Unauthenticated("token from an untrusted issuer")
        alg = header.get("alg")
        if alg not in trusted.algorithms:
            raise Unauthenticated("token signed with a refused algorithm")
        key = await trusted.keys.key(header.get("kid"))
        # The key's own algorithm must be the token's: an RSA key never
        # checks an HMAC, whatever the header says.
        if key.algorithm_name != alg:
            raise Unauthenticated("token signed with a refused algorithm")
        if not key.Algorithm.verify(signing_input, key.key, signature):
            raise Unauthenticated("invalid token")
        _check_claims(claims, trusted, time.time())
        return Verified(trusted.claims.principal(claims, trusted.issuer), claims)


# Why not jwt.decode: it parses the token again for every call and checks
# each character of it in Python; at gateway rates that cost several times
# the RSA check itself (see bench/gateway.py). The signature is still
# checked by PyJWT's algorithm objects; the claim rules are the ones below.
_SEGMENT = re.compile(r"[A-Za-z0-9_-]+")


def _segment(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def _parse(token: str) -> tuple[dict[str, Any], dict[str, Any], bytes, bytes]:
    parts = token.split(".")
    if len(parts) != 3 or not all(_SEGMENT.fullmatch(p) for p in parts[:2]):
        raise Unauthenticated("malformed token")
    if parts[2] and not _SEGMENT.fullmatch(parts[2]):
        raise Unauthenticated("malformed token")
    try:
        header = json.loads(_segment(parts[0]))
        claims = json.loads(_segment(parts[1]))
        signature = _segment(parts[2])
    except (ValueError, binascii.Error) as error:
        raise Unauthenticated("malformed token") from error
    if not isinstance(header, dict) or not isinstance(claims, dict):
        raise Unauthenticated("malformed token")
    return header, claims, f"{parts[0]}.{parts[1]}".encode(), signature


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check_claims(claims: dict[str, Any], trusted: TrustedIssuer, now: float) -> None:
    if any(name not in claims for name in REQUIRED_CLAIMS):
        raise Unauthenticated("invalid token")
    exp, iat, nbf = claims["exp"], claims["iat"], claims.get("nbf")
    if not _number(exp) or not _number(iat) or (nbf is not None and not _number(nbf)):
        raise Unauthenticated("invalid token")
    leeway = trusted.leeway_seconds
    if exp <= now - leeway:
        raise Unauthenticated("token expired")
    if iat > now + leeway or (nbf is not None and nbf > now + leeway):
        raise Unauthenticated("token not valid yet")
    audience = claims["aud"]
    audiences = [audience] if isinstance(audience, str) else audience
    if not isinstance(audiences, list) or not all(isinstance(a, str) for a in audiences):
        raise Unauthenticated("invalid token")
    if trusted.audience not in audiences:
        raise Unauthenticated("token for another audience")
    if not isinstance(claims["sub"], str) or not claims["sub"]:
        raise Unauthenticated("invalid token")
    if trusted.max_lifetime_seconds is not None and exp - iat > trusted.max_lifetime_seconds:
        raise Unauthenticated("token lives longer than this issuer allows")


class TokenMinter:
    """Signs Chorus tokens: the gateway mints one from a verified user, a
    test issuer for the principals a test needs."""

    def __init__(
        self,
        key: SigningKey,
        issuer: str,
        audience: str,
        lifetime_seconds: float = 300.0,
    ) -> None:
        self.key = key
        self.issuer = issuer
        self.audience = audience
        self.lifetime_seconds = lifetime_seconds

    def mint(self, principal: Principal, now: float | None = None) -> str:
        issued = int(time.time() if now is None else now)
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "aud": self.audience,
            "sub": principal.subject,
            "iat": issued,
            "exp": issued + int(self.lifetime_seconds),
            "jti": str(uuid.uuid4()),
            KIND: principal.kind,
        }
        if principal.is_service:
            claims[SERVICE] = principal.service
        else:
            claims[TENANT] = principal.tenant_id
            claims[GRANTS] = grants_to_claim(principal.grants)
            if principal.employee_id:
                claims[EMPLOYEE] = principal.employee_id
        return jwt.encode(
            claims, self.key.private_key, algorithm="RS256", headers={"kid": self.key.kid}
        )

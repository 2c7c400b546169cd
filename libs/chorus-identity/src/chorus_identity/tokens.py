"""Verifying and minting bearer tokens (JWT).

Verification is strict on purpose: the algorithm is pinned per issuer (so
`alg: none` and "HS256 with the public key as secret" never reach a key),
the issuer must be one we trust, the audience ours, `exp`/`iat`/`sub`
present, the clock skew bounded, and a Chorus token short-lived.
"""

from __future__ import annotations

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
        try:
            header = jwt.get_unverified_header(token)
            # Only to pick the issuer's keys; everything is verified below.
            unverified = jwt.decode(token, options={"verify_signature": False})
        except jwt.PyJWTError as error:
            raise Unauthenticated("malformed token") from error
        trusted = self._issuers.get(str(unverified.get("iss", "")))
        if trusted is None:
            raise Unauthenticated("token from an untrusted issuer")
        alg = header.get("alg")
        if alg not in trusted.algorithms:
            raise Unauthenticated("token signed with a refused algorithm")
        key = await trusted.keys.key(header.get("kid"))
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key.key,
                algorithms=list(trusted.algorithms),
                audience=trusted.audience,
                issuer=trusted.issuer,
                leeway=trusted.leeway_seconds,
                options={"require": REQUIRED_CLAIMS},
            )
        except jwt.ExpiredSignatureError as error:
            raise Unauthenticated("token expired") from error
        except jwt.InvalidAudienceError as error:
            raise Unauthenticated("token for another audience") from error
        except jwt.ImmatureSignatureError as error:
            raise Unauthenticated("token not valid yet") from error
        except jwt.PyJWTError as error:
            raise Unauthenticated("invalid token") from error
        issued_at = claims["iat"]
        if (
            not isinstance(issued_at, int | float)
            or issued_at > time.time() + trusted.leeway_seconds
        ):
            raise Unauthenticated("token issued in the future")
        if trusted.max_lifetime_seconds is not None:
            if claims["exp"] - issued_at > trusted.max_lifetime_seconds:
                raise Unauthenticated("token lives longer than this issuer allows")
        return Verified(trusted.claims.principal(claims, trusted.issuer), claims)


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
            claims, self.key.private_pem, algorithm="RS256", headers={"kid": self.key.kid}
        )

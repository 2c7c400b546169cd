"""Real tokens for tests: a signing key made once per test session, a
verifier that trusts only it, and tokens minted for the principals a test
needs. Servers under test verify them exactly as in production (signature,
issuer, audience, expiry); only the key is the test's."""

from __future__ import annotations

from functools import cached_property

from chorus_core.settings import DEFAULT_AUDIENCE, DEFAULT_INTERNAL_ISSUER
from chorus_identity.config import INTERNAL_MAX_LIFETIME_SECONDS
from chorus_identity.keys import SigningKey, StaticJwks, jwks_of
from chorus_identity.principal import ANY, Grant, Principal, Role, service, user
from chorus_identity.sources import MintedToken
from chorus_identity.tokens import TokenMinter, TokenVerifier, TrustedIssuer


class TestIdentity:
    __test__ = False  # not a pytest class

    def __init__(self, issuer: str = DEFAULT_INTERNAL_ISSUER) -> None:
        self.issuer = issuer
        self.key = SigningKey.generate("chorus-test-1")
        self.minter = TokenMinter(self.key, issuer, DEFAULT_AUDIENCE, lifetime_seconds=600)

    @cached_property
    def trusted(self) -> TrustedIssuer:
        return TrustedIssuer(
            self.issuer,
            DEFAULT_AUDIENCE,
            StaticJwks(jwks_of(self.key)),
            max_lifetime_seconds=INTERNAL_MAX_LIFETIME_SECONDS,
        )

    @cached_property
    def verifier(self) -> TokenVerifier:
        return TokenVerifier([self.trusted])

    def token(self, principal: Principal) -> str:
        return self.minter.mint(principal)

    def credentials(self, principal: Principal) -> MintedToken:
        return MintedToken(self.minter, principal)


IDENTITY = TestIdentity()


def admin(tenant: str = "t1", subject: str = "admin-1") -> Principal:
    return user(subject, tenant, Role.TENANT_ADMIN)


def everything(tenant: str = "t1", subject: str = "ops-1", employee_id: str = "") -> Principal:
    """Every role with every scope: for tests about behaviour, not permissions."""
    grants = [
        Grant.of(Role.TENANT_ADMIN),
        Grant.of(Role.COMMS_MANAGER, regions=[ANY], channels=[ANY]),
        Grant.of(Role.REVIEWER, steps=[ANY]),
        Grant.of(Role.MODERATOR),
        Grant.of(Role.EMPLOYEE),
    ]
    return user(subject, tenant, *grants, employee_id=employee_id)


def as_service(name: str) -> Principal:
    return service(name)

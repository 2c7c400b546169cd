"""Who is calling: an IdP token in, a Chorus session out.

1. The bearer token is the identity provider's, verified strictly (pinned
   algorithm, issuer, audience, bounded skew: chorus_identity.tokens). A
   machine token (client credentials) is refused here: services call the
   gRPC services directly, the gateway serves people.
2. First sign-in links the account to its directory entry, just in time
   (targeting.LinkAccount, by the SCIM externalId claim or the e-mail); the
   link is cached, so later requests do not ask again.
3. The tenant's Chorus role grants (the gateway's table, managed by tenant
   admins) are merged with the roles the token carries.
4. A short-lived Chorus token is minted for that principal: the services
   trust only it (and service identities), never the IdP token itself.

Only opaque ids leave this module: the e-mail is read from the token for
the link call and never logged or cached.
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass, replace

from chorus_core.errors import Unauthenticated
from chorus_identity.principal import Grant, Principal
from chorus_identity.tokens import TokenMinter, TokenVerifier

from gateway_service.app.cache import TtlCache
from gateway_service.app.ports import AccountLinker, LinkFailed, RoleGrantStore
from gateway_service.domain.problems import forbidden, unauthenticated

log = logging.getLogger(__name__)

LINK_TTL_SECONDS = 3600.0
# Nobody in the directory yet (an admin before the HR import): ask again soon.
NO_LINK_TTL_SECONDS = 60.0
GRANTS_TTL_SECONDS = 30.0
# A minted token is reused for the same IdP token until this long before it expires.
MINT_MARGIN_SECONDS = 30.0


@dataclass(frozen=True)
class Session:
    principal: Principal
    token: str  # the Chorus token minted for it
    expires_at: float  # epoch seconds

    def expires_in(self, now: float | None = None) -> int:
        return max(0, int(self.expires_at - (time.time() if now is None else now)))


def _claim(claims: dict[str, object], name: str) -> str:
    value = claims.get(name)
    return value.strip() if isinstance(value, str) else ""


def merge_grants(*groups: tuple[Grant, ...]) -> tuple[Grant, ...]:
    merged: list[Grant] = []
    for group in groups:
        merged += [g for g in group if g not in merged]
    return tuple(merged)


class Authenticator:
    def __init__(
        self,
        verifier: TokenVerifier,
        minter: TokenMinter,
        grants: RoleGrantStore,
        linker: AccountLinker,
        external_id_claim: str = "external_id",
    ) -> None:
        self.verifier = verifier
        self.minter = minter
        self.grants = grants
        self.linker = linker
        self.external_id_claim = external_id_claim
        self.links: TtlCache[tuple[str, str], str] = TtlCache(LINK_TTL_SECONDS)
        self.grant_cache: TtlCache[tuple[str, str], tuple[Grant, ...]] = TtlCache(
            GRANTS_TTL_SECONDS
        )
        self.sessions: TtlCache[str, Session] = TtlCache(minter.lifetime_seconds)

    async def authenticate(self, bearer: str) -> Session:
        digest = hashlib.sha256(bearer.encode()).hexdigest()
        cached = self.sessions.get(digest)
        if cached is not None:
            return cached
        try:
            verified = await self.verifier.verify_claims(bearer)
        except Unauthenticated as error:
            raise unauthenticated(error.message) from None
        principal = verified.principal
        if principal.is_service:
            raise forbidden("service identities call the Chorus services directly")
        principal = await self._linked(principal, verified.claims)
        stored = await self.stored_grants(principal.tenant_id, principal.subject)
        principal = replace(principal, grants=merge_grants(principal.grants, stored))
        now = time.time()
        session = Session(
            principal, self.minter.mint(principal, now), now + self.minter.lifetime_seconds
        )
        # Never beyond the IdP token's own expiry: a revoked sign-in ends there.
        idp_expiry = float(verified.claims["exp"])
        reuse = min(self.minter.lifetime_seconds - MINT_MARGIN_SECONDS, idp_expiry - now)
        if reuse > 0:
            self.sessions.put(digest, session, reuse)
        return session

    async def stored_grants(self, tenant_id: str, subject: str) -> tuple[Grant, ...]:
        key = (tenant_id, subject)
        found = self.grant_cache.get(key)
        if found is None:
            found = await self.grants.grants(tenant_id, subject)
            self.grant_cache.put(key, found)
        return found

    def forget(self, tenant_id: str, subject: str) -> None:
        """A grant or link changed here: this replica sees it at once (others
        within the TTLs)."""
        self.grant_cache.drop((tenant_id, subject))
        self.links.drop((tenant_id, subject))
        self.sessions.clear()

    async def _linked(self, principal: Principal, claims: dict[str, object]) -> Principal:
        if principal.employee_id:
            return principal
        key = (principal.tenant_id, principal.subject)
        employee_id = self.links.get(key)
        if employee_id is None:
            email = _claim(claims, "email")
            external_id = _claim(claims, self.external_id_claim)
            if not email and not external_id:
                return principal  # nothing to find the person by (an admin account)
            try:
                employee_id = await self.linker.link(
                    principal.tenant_id, principal.subject, email, external_id
                )
            except LinkFailed as error:
                # Not linked this time (targeting refused or is down): the
                # person still signs in, without employee actions, and the
                # link is tried again on the next request.
                log.warning("account link failed", extra={"chorus": {"reason": error.reason}})
                return principal
            self.links.put(
                key, employee_id, LINK_TTL_SECONDS if employee_id else NO_LINK_TTL_SECONDS
            )
        return replace(principal, employee_id=employee_id)

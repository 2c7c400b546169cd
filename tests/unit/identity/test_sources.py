"""Token sources for outgoing calls: a minted token is reused until shortly
before it expires, then re-minted; the forwarded token is the current
call's; client credentials are fetched from a real token endpoint (found by
discovery) and cached for their lifetime."""

from __future__ import annotations

import types
from collections.abc import Iterator

import pytest
from chorus_core.errors import Unauthenticated
from chorus_identity import sources
from chorus_identity.context import acting_as
from chorus_identity.keys import SigningKey, StaticJwks, jwks_of
from chorus_identity.principal import Role, service, user
from chorus_identity.sources import (
    RENEW_BEFORE_SECONDS,
    ClientCredentials,
    ForwardedToken,
    MintedToken,
    StaticToken,
)
from chorus_identity.tokens import TokenMinter, TokenVerifier, TrustedIssuer

from tests.unit.identity.jwks_server import Provider, serving

KEY = SigningKey.generate("unit-src")
MINTER = TokenMinter(KEY, "chorus", "chorus", lifetime_seconds=120)
VERIFIER = TokenVerifier([TrustedIssuer("chorus", "chorus", StaticJwks(jwks_of(KEY)))])
ALICE = user("alice", "t1", Role.EMPLOYEE)


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def time(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """The sources module's clock only (the verifier keeps the real one). It
    starts a lifetime in the past, so the tokens minted as it moves on are
    still valid for the verifier's real clock."""
    import time

    fake = Clock(time.time() - MINTER.lifetime_seconds)
    monkeypatch.setattr(sources, "time", types.SimpleNamespace(time=fake.time))
    return fake


async def test_a_minted_token_is_reused_then_renewed_before_expiry(clock: Clock) -> None:
    source = MintedToken(MINTER, ALICE)
    first = await source.token()
    assert await VERIFIER.verify(first) == ALICE
    clock.now += MINTER.lifetime_seconds - RENEW_BEFORE_SECONDS - 1
    assert await source.token() == first  # still well within its life
    clock.now += 2  # now within RENEW_BEFORE_SECONDS of expiry
    renewed = await source.token()
    assert renewed != first
    claims = (await VERIFIER.verify_claims(renewed)).claims
    assert claims["iat"] == int(clock.now)


async def test_the_forwarded_token_is_the_current_calls() -> None:
    source = ForwardedToken()
    with acting_as(ALICE, "the-callers-token"):
        assert await source.token() == "the-callers-token"
    with pytest.raises(Unauthenticated, match="no caller token"):
        await source.token()
    with acting_as(service("gateway")):  # a principal without a token to pass on
        with pytest.raises(Unauthenticated):
            await source.token()


async def test_a_static_token() -> None:
    assert await StaticToken("t").token() == "t"


@pytest.fixture
def provider() -> Iterator[Provider]:
    with serving() as running:
        yield running


async def test_client_credentials_are_cached_for_their_lifetime(
    provider: Provider, clock: Clock
) -> None:
    provider.token_lifetime = 300
    source = ClientCredentials(provider.issuer, "chorus-publishing", "secret")
    try:
        assert await source.token() == "token-1"
        clock.now += 300 - RENEW_BEFORE_SECONDS - 1
        assert await source.token() == "token-1"
        clock.now += 2
        assert await source.token() == "token-2"
        assert provider.hits["/realms/test/.well-known/openid-configuration"] == 1
        assert provider.hits["/realms/test/token"] == 2
    finally:
        await source.close()


async def test_refused_client_credentials_are_unauthenticated(
    provider: Provider, clock: Clock
) -> None:
    source = ClientCredentials(provider.issuer, "chorus-publishing", "secret")
    await source.token()  # discovery done
    provider.failing = True
    clock.now += provider.token_lifetime  # the token must be renewed
    try:
        with pytest.raises(Unauthenticated, match="chorus-publishing"):
            await source.token()
    finally:
        await source.close()

"""Key rotation at the real Keycloak, seen by a real gRPC server whose
verifier finds the realm's keys by OIDC discovery (RemoteJwks):

* a new RSA key provider of higher priority (admin API) makes Keycloak sign
  new tokens with a new kid; the first such token makes the verifier refetch
  the key set (once the refresh floor has passed) and passes;
* a token signed with the old key still passes while the old key is
  published;
* once the new key's provider is removed and the cache has expired, its
  tokens are refused (a retired key verifies nothing).

A throwaway realm of its own: rotating the shared chorus realm's keys would
disturb every other test signing in at the same time.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator, Iterator

import grpc
import jwt
import pytest
from chorus_grpc import GrpcServer
from chorus_identity.claims import OidcClaims
from chorus_identity.keys import RemoteJwks
from chorus_identity.sources import StaticToken
from chorus_identity.tokens import TokenVerifier, TrustedIssuer
from chorus_testing import keycloak as kc
from chorus_testing.keycloak_admin import KeycloakAdmin

from tests.integration.identity.probe import probe_server, who_am_i
from tests.integration.identity.realms import connect_admin, machine_client

pytestmark = pytest.mark.infra

FLOOR_SECONDS = 1.0
CACHE_SECONDS = 3.0
SECRET = "rotation-secret"


@pytest.fixture(scope="module")
def admin() -> KeycloakAdmin:
    return connect_admin()


@pytest.fixture(scope="module")
def realm(admin: KeycloakAdmin) -> Iterator[str]:
    name = f"rotation-{secrets.token_hex(4)}"
    admin.create_realm(
        {
            "realm": name,
            "enabled": True,
            "clients": [machine_client("probe", SECRET, "rotation-probe")],
        }
    )
    try:
        yield name
    finally:
        admin.delete_realm(name)


@pytest.fixture(scope="module")
def issuer(admin: KeycloakAdmin, realm: str) -> str:
    return f"{admin.base_url}/realms/{realm}"


@pytest.fixture(scope="module")
def keys(issuer: str) -> RemoteJwks:
    return RemoteJwks(
        issuer=issuer, cache_seconds=CACHE_SECONDS, refresh_floor_seconds=FLOOR_SECONDS
    )


@pytest.fixture(scope="module")
async def server(issuer: str, keys: RemoteJwks) -> AsyncIterator[GrpcServer]:
    verifier = TokenVerifier([TrustedIssuer(issuer, "chorus", keys, OidcClaims())])
    async with probe_server(verifier) as running:
        yield running
    await keys.aclose()


def token(issuer: str) -> str:
    return kc.client_credentials(issuer, "probe", SECRET).access_token


def kid(token: str) -> str:
    return str(jwt.get_unverified_header(token)["kid"])


async def caller(server: GrpcServer, token: str) -> str:
    return (await who_am_i(server, StaticToken(token))).employee_id


async def test_rotation(
    admin: KeycloakAdmin, realm: str, issuer: str, keys: RemoteJwks, server: GrpcServer
) -> None:
    old = token(issuer)
    assert await caller(server, old) == "service:rotation-probe"
    fetched = keys.fetches

    provider = admin.add_rsa_key_provider(realm, priority=500)
    new = token(issuer)
    assert kid(new) != kid(old) and kid(new) == admin.active_signing_kid(realm)
    await asyncio.sleep(FLOOR_SECONDS + 0.2)  # past the floor: an unknown kid refetches
    assert await caller(server, new) == "service:rotation-probe"
    assert keys.fetches == fetched + 1
    assert await caller(server, old) == "service:rotation-probe"  # still published
    assert keys.fetches == fetched + 1  # and known: no fetch

    admin.remove_component(realm, provider)
    await asyncio.sleep(CACHE_SECONDS + 0.2)  # the cached set expires
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await caller(server, new)
    assert refused.value.code() == grpc.StatusCode.UNAUTHENTICATED
    assert refused.value.details() == "token signed with an unknown key"
    assert await caller(server, old) == "service:rotation-probe"


async def test_an_unknown_kid_within_the_floor_costs_no_request(
    issuer: str, keys: RemoteJwks, server: GrpcServer
) -> None:
    """Forged kids (one request per floor at most, however many arrive)."""
    good = token(issuer)
    await caller(server, good)
    rest = good.partition(".")[2]
    fetched = keys.fetches
    started = asyncio.get_running_loop().time()
    for i in range(20):
        forged_head = jwt.utils.base64url_encode(
            f'{{"alg":"RS256","typ":"JWT","kid":"invented-{i}"}}'.encode()
        ).decode()
        with pytest.raises(grpc.aio.AioRpcError):
            await caller(server, f"{forged_head}.{rest}")
    elapsed = asyncio.get_running_loop().time() - started
    # One refetch per floor that passed during the loop, not one per token.
    assert keys.fetches - fetched <= int(elapsed / FLOOR_SECONDS) + 1 < 20

"""RemoteJwks against a real HTTP server: the key set is cached, an unknown
key id refetches it (rotation), but not more than once per floor, however
many invented key ids arrive; discovery finds the jwks_uri; a provider blip
keeps the keys already known; encryption keys never verify."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from chorus_core.errors import Unauthenticated
from chorus_identity.keys import RemoteJwks, SigningKey, StaticJwks, jwks_of

from tests.unit.identity.jwks_server import Provider, serving

OLD, NEW = SigningKey.generate("k-old"), SigningKey.generate("k-new")
CERTS = "/realms/test/certs"


@pytest.fixture
def provider() -> Iterator[Provider]:
    with serving() as running:
        running.jwks = jwks_of(OLD)
        yield running


def remote(
    provider: Provider, cache_seconds: float = 600.0, refresh_floor_seconds: float = 30.0
) -> RemoteJwks:
    return RemoteJwks(
        f"{provider.issuer}/certs",
        cache_seconds=cache_seconds,
        refresh_floor_seconds=refresh_floor_seconds,
    )


async def test_keys_are_cached(provider: Provider) -> None:
    keys = remote(provider)
    for _ in range(5):
        assert (await keys.key("k-old")).key_id == "k-old"
    assert provider.hits[CERTS] == 1 and keys.fetches == 1


async def test_an_unknown_kid_refetches_and_finds_the_rotated_key(provider: Provider) -> None:
    keys = remote(provider, refresh_floor_seconds=0.0)
    await keys.key("k-old")
    provider.jwks = jwks_of(OLD, NEW)  # the provider rotated: both published
    assert (await keys.key("k-new")).key_id == "k-new"
    assert (await keys.key("k-old")).key_id == "k-old"  # still published, still good
    assert provider.hits[CERTS] == 2


async def test_a_retired_key_stops_verifying_after_the_next_fetch(provider: Provider) -> None:
    keys = remote(provider, cache_seconds=0.2)
    await keys.key("k-old")
    provider.jwks = jwks_of(NEW)
    await asyncio.sleep(0.3)  # the cache expires
    assert (await keys.key("k-new")).key_id == "k-new"
    with pytest.raises(Unauthenticated, match="unknown key"):
        await keys.key("k-old")


async def test_invented_kids_refetch_at_most_once_per_floor(provider: Provider) -> None:
    keys = remote(provider, refresh_floor_seconds=0.5)
    await keys.key("k-old")
    await asyncio.sleep(0.6)
    results = await asyncio.gather(
        *(keys.key(f"invented-{i}") for i in range(50)), return_exceptions=True
    )
    assert all(isinstance(r, Unauthenticated) for r in results)
    assert provider.hits[CERTS] == 2  # the first fetch, and one refetch for fifty
    with pytest.raises(Unauthenticated):
        await keys.key("invented-again")  # within the floor: no request
    assert provider.hits[CERTS] == 2
    await asyncio.sleep(0.6)
    provider.jwks = jwks_of(OLD, NEW)
    assert (await keys.key("k-new")).key_id == "k-new"  # past the floor: refetched
    assert provider.hits[CERTS] == 3


async def test_discovery_finds_the_key_set(provider: Provider) -> None:
    keys = RemoteJwks(issuer=provider.issuer)
    assert (await keys.key("k-old")).key_id == "k-old"
    assert keys.url == f"{provider.issuer}/certs"
    await keys.key("k-old")
    assert provider.hits["/realms/test/.well-known/openid-configuration"] == 1


async def test_a_provider_blip_keeps_the_known_keys(provider: Provider) -> None:
    keys = remote(provider, cache_seconds=0.1, refresh_floor_seconds=0.0)
    await keys.key("k-old")
    provider.failing = True
    await asyncio.sleep(0.2)
    assert (await keys.key("k-old")).key_id == "k-old"  # refetch failed, old set kept
    assert provider.hits[CERTS] == 2


async def test_no_keys_at_all_is_unauthenticated(provider: Provider) -> None:
    provider.failing = True
    with pytest.raises(Unauthenticated, match="keys unavailable"):
        await remote(provider).key("k-old")


async def test_encryption_and_unsupported_keys_are_skipped(provider: Provider) -> None:
    encryption = {**NEW.public_jwk(), "use": "enc"}
    odd = {"kty": "oct-unknown", "kid": "k-odd"}
    provider.jwks = {"keys": [OLD.public_jwk(), encryption, odd]}
    keys = remote(provider, refresh_floor_seconds=0.0)
    assert (await keys.key("k-old")).key_id == "k-old"
    for kid in ("k-new", "k-odd"):
        with pytest.raises(Unauthenticated, match="unknown key"):
            await keys.key(kid)


async def test_a_static_set() -> None:
    keys = StaticJwks(jwks_of(OLD))
    assert (await keys.key("k-old")).key_id == "k-old"
    with pytest.raises(Unauthenticated):
        await keys.key(None)


def test_a_remote_set_needs_somewhere_to_look() -> None:
    with pytest.raises(ValueError, match="jwks url or an issuer"):
        RemoteJwks()


async def test_a_provider_that_is_down_is_not_flooded(provider: Provider) -> None:
    provider.failing = True
    keys = remote(provider, refresh_floor_seconds=30.0)
    for _ in range(10):
        with pytest.raises(Unauthenticated):
            await keys.key("k-old")
    assert provider.hits[CERTS] == 1


async def test_a_body_that_is_no_key_set_keeps_the_known_keys(provider: Provider) -> None:
    keys = remote(provider, cache_seconds=0.1)
    await keys.key("k-old")
    provider.jwks = {"keys": "nope"}
    await asyncio.sleep(0.2)
    assert (await keys.key("k-old")).key_id == "k-old"
    assert provider.hits[CERTS] == 2


async def test_discovery_for_another_issuer_is_refused(provider: Provider) -> None:
    provider.claimed_issuer = "https://elsewhere.example/realms/test"
    keys = RemoteJwks(issuer=provider.issuer)
    with pytest.raises(Unauthenticated, match="keys unavailable"):
        await keys.key("k-old")
    assert provider.hits[CERTS] == 0

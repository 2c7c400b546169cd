"""A service's identity wiring from its settings: it trusts the gateway's
key set (a file or a URL) and the provider; it fails at start, naming the
variable, when the key file or its own client secret is missing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import ClassVar

import pytest
from chorus_core.settings import ConfigError, ServiceSettings
from chorus_identity import config
from chorus_identity.claims import OidcClaims
from chorus_identity.keys import RemoteJwks, SigningKey, StaticJwks, jwks_of
from chorus_identity.sources import ClientCredentials

ISSUER = "https://idp.example/realms/acme"


class ProbeSettings(ServiceSettings):
    service: ClassVar[str] = "metrics"


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    path = tmp_path / "jwks.json"
    path.write_text(json.dumps(jwks_of(SigningKey.generate("gw-1"))))
    return path


def test_the_verifier_trusts_the_gateway_and_the_provider(key_file: Path) -> None:
    settings = ProbeSettings(
        grpc_port=7000,
        oidc_issuer=ISSUER,
        internal_jwks=str(key_file),
        oidc_tenant_claim="org",
        oidc_roles_claim="realm_access.roles",
        oidc_regions_claim="r",
        oidc_channels_claim="c",
        oidc_steps_claim="s",
    )
    assert set(config.verifier(settings).issuers) == {"chorus", ISSUER}
    internal = config.internal_issuer(settings)
    assert isinstance(internal.keys, StaticJwks)
    assert internal.max_lifetime_seconds == config.INTERNAL_MAX_LIFETIME_SECONDS
    provider = config.oidc_issuer(settings)
    assert isinstance(provider.keys, RemoteJwks) and provider.keys.issuer == ISSUER
    assert provider.claims == OidcClaims(
        tenant="org", roles="realm_access.roles", regions="r", channels="c", steps="s"
    )
    assert provider.max_lifetime_seconds is None  # the provider's own policy


def test_key_sets_by_url() -> None:
    settings = ProbeSettings(
        grpc_port=7000,
        oidc_issuer=ISSUER,
        oidc_jwks_url=f"{ISSUER}/certs",
        internal_jwks="http://127.0.0.1:8080/v1/jwks.json",
    )
    internal, provider = config.internal_issuer(settings), config.oidc_issuer(settings)
    assert isinstance(internal.keys, RemoteJwks) and internal.keys.url.endswith("/v1/jwks.json")
    assert isinstance(provider.keys, RemoteJwks) and provider.keys.url == f"{ISSUER}/certs"


def test_a_missing_key_file_fails_the_start(tmp_path: Path) -> None:
    settings = ProbeSettings(grpc_port=7000, internal_jwks=str(tmp_path / "none.json"))
    with pytest.raises(ConfigError, match="CHORUS_INTERNAL_JWKS"):
        config.verifier(settings)


def test_the_services_own_credentials() -> None:
    with pytest.raises(ConfigError, match="CHORUS_METRICS_OIDC_CLIENT_SECRET"):
        config.credentials(ProbeSettings(grpc_port=7000))
    source = config.credentials(
        ProbeSettings(grpc_port=7000, oidc_issuer=ISSUER, oidc_client_secret="s3cret")
    )
    assert isinstance(source, ClientCredentials)
    assert source.client_id == "chorus-metrics" and source.issuer == ISSUER

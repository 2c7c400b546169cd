"""A service's identity wiring from its settings: whom it trusts (verifier)
and who it is when it calls another service (token source)."""

from __future__ import annotations

from pathlib import Path

from chorus_core.settings import ConfigError, ServiceSettings

from chorus_identity.claims import OidcClaims
from chorus_identity.keys import KeySource, RemoteJwks, StaticJwks
from chorus_identity.sources import ClientCredentials, TokenSource
from chorus_identity.tokens import TokenVerifier, TrustedIssuer

# Chorus's own tokens are minted per call chain; anything longer is not ours.
INTERNAL_MAX_LIFETIME_SECONDS = 900.0


def _key_source(location: str) -> KeySource:
    if location.startswith(("http://", "https://")):
        return RemoteJwks(location)
    path = Path(location)
    if not path.is_file():
        raise ConfigError(
            f"CHORUS_INTERNAL_JWKS: no key set at {location} (the gateway's public keys;"
            " `chorus stack` writes them locally)"
        )
    return StaticJwks.from_file(path)


def oidc_issuer(settings: ServiceSettings) -> TrustedIssuer:
    keys = (
        RemoteJwks(settings.oidc_jwks_url)
        if settings.oidc_jwks_url
        else RemoteJwks(issuer=settings.oidc_issuer)
    )
    claims = OidcClaims(
        tenant=settings.oidc_tenant_claim,
        roles=settings.oidc_roles_claim,
        regions=settings.oidc_regions_claim,
        channels=settings.oidc_channels_claim,
        steps=settings.oidc_steps_claim,
        service=settings.oidc_service_claim,
    )
    return TrustedIssuer(settings.oidc_issuer, settings.oidc_audience, keys, claims)


def internal_issuer(settings: ServiceSettings) -> TrustedIssuer:
    return TrustedIssuer(
        settings.internal_issuer,
        settings.oidc_audience,
        _key_source(settings.internal_jwks),
        max_lifetime_seconds=INTERNAL_MAX_LIFETIME_SECONDS,
    )


def verifier(settings: ServiceSettings) -> TokenVerifier:
    return TokenVerifier([internal_issuer(settings), oidc_issuer(settings)])


def credentials(settings: ServiceSettings) -> TokenSource:
    """This service's own identity for the calls it makes (client credentials)."""
    if not settings.oidc_client_secret:
        raise ConfigError(
            f"{settings.env_name('oidc_client_secret')} is required: the secret of"
            f" client {settings.client_id} at {settings.oidc_issuer}"
        )
    return ClientCredentials(settings.oidc_issuer, settings.client_id, settings.oidc_client_secret)

"""The gateway's settings (CHORUS_GATEWAY_*), from the environment, checked at start-up.

The gateway listens on HTTP for the console, the employee app and
automation; its gRPC port serves only the health service (probes). It
reaches every other service at its gRPC address, trusts the OIDC provider's
tokens (ServiceSettings.oidc_*) and mints Chorus's own short-lived tokens
with its signing key, whose public half the services trust
(ServiceSettings.internal_jwks).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, ClassVar

from chorus_core.settings import (
    DEFAULT_IDENTITY_DIR,
    DEFAULT_REDIS_URL,
    HostPort,
    Port,
    RedisUrl,
    ServiceSettings,
)
from chorus_identity.secrets import KEY_HELP, decode_key
from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    PositiveFloat,
    PositiveInt,
    SecretBytes,
)

# The console's dev server (vite) on this machine.
DEFAULT_CORS_ORIGINS = "http://127.0.0.1:5173,http://localhost:5173"
MIB = 1024 * 1024


def _origins(value: str) -> str:
    for origin in (o.strip() for o in value.split(",") if o.strip()):
        if origin == "*":
            raise ValueError("a wildcard origin is refused: list the origins allowed")
        if not origin.startswith(("http://", "https://")) or origin.endswith("/"):
            raise ValueError("each origin is scheme://host[:port], without a path")
    return value


Origins = Annotated[str, AfterValidator(_origins)]


def _file_or_empty(value: str) -> str:
    if value and not Path(value).is_file():
        raise ValueError("is not a readable file")
    return value


class GatewaySettings(ServiceSettings):
    service: ClassVar[str] = "gateway"
    grpc_port: Port = 7010  # health only, for probes
    gateway_http_host: str = Field("127.0.0.1", min_length=1)
    gateway_http_port: Port = 8080
    # The services behind the gateway.
    content_addr: HostPort = "127.0.0.1:7001"
    targeting_addr: HostPort = "127.0.0.1:7002"
    translation_addr: HostPort = "127.0.0.1:7003"
    scheduling_addr: HostPort = "127.0.0.1:7004"
    publishing_addr: HostPort = "127.0.0.1:7005"
    gamification_addr: HostPort = "127.0.0.1:7006"
    metrics_addr: HostPort = "127.0.0.1:7007"
    # The RSA key the gateway signs Chorus tokens with (PEM, PKCS#8); its
    # public half is CHORUS_INTERNAL_JWKS, which every service trusts.
    gateway_signing_key: str = Field(f"{DEFAULT_IDENTITY_DIR}/signing-key.pem", min_length=1)
    gateway_signing_kid: str = Field("chorus-gateway-1", min_length=1)
    # A minted token covers one request's downstream calls: short on purpose.
    gateway_token_lifetime_seconds: PositiveInt = Field(120, le=900)
    # The IdP token claim holding the person's directory id (SCIM externalId)
    # for the first sign-in link; the e-mail claim is the fallback.
    gateway_external_id_claim: str = "external_id"
    gateway_cors_origins: Origins = DEFAULT_CORS_ORIGINS  # comma list
    gateway_max_body_bytes: PositiveInt = MIB
    gateway_media_max_body_bytes: PositiveInt = 50 * MIB
    # An HR export: about 150 bytes a person, so 64 MiB is some 400,000 people.
    # Read whole (the Idempotency-Key fingerprint covers the body), then
    # streamed to targeting in chunks; a larger directory comes in by SCIM.
    gateway_directory_max_body_bytes: PositiveInt = 64 * MIB
    # Token buckets: sustained requests per second and the burst allowed.
    gateway_user_rate: PositiveFloat = 20.0
    gateway_user_burst: PositiveInt = 40
    gateway_tenant_rate: PositiveFloat = 200.0
    gateway_tenant_burst: PositiveInt = 400
    redis_url: RedisUrl = Field(DEFAULT_REDIS_URL, repr=False)  # may carry a password
    # Webhooks (app/webhooks.py, app/webhook_delivery.py). The key encrypts
    # their signing secrets at rest (chorus_identity.secrets); SecretBytes:
    # never shown by repr or in an error message.
    gateway_encryption_key: Annotated[SecretBytes, BeforeValidator(decode_key)] = Field(
        description=KEY_HELP
    )
    # A CA bundle (PEM file) receivers' certificates are checked against
    # instead of the system's trust store (a private PKI); empty: the system's.
    gateway_webhook_ca_bundle: Annotated[str, AfterValidator(_file_or_empty)] = ""
    gateway_webhook_tick_seconds: PositiveFloat = 1.0
    gateway_webhook_timeout_seconds: PositiveFloat = Field(10.0, le=60)
    gateway_webhook_max_attempts: PositiveInt = Field(8, le=20)
    gateway_webhook_first_retry_seconds: PositiveFloat = 10.0
    gateway_webhook_max_retry_seconds: PositiveFloat = 3600.0
    # Failed attempts in a row (any of its deliveries) that disable a webhook.
    gateway_webhook_disable_after: PositiveInt = 20
    # How long the old secret keeps signing next to the new one after a rotation.
    gateway_webhook_rotation_grace_seconds: PositiveInt = 86400

    @property
    def cors_origins(self) -> list[str]:
        return [o.strip() for o in self.gateway_cors_origins.split(",") if o.strip()]

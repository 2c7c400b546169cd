"""The gateway over real servers: the HTTP app (build_app with every router)
in front of a real content gRPC server and a real targeting gRPC server
(account links), on migrated SQLite databases, with rate limits in the real
Redis. People come in with tokens of a test identity provider (a real RSA
key, OIDC claim names); the gateway mints Chorus tokens with the session's
test key, which the servers trust (chorus_testing.identity.IDENTITY)."""

from __future__ import annotations

import base64
import os
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from chorus_db import Database, migrate
from chorus_grpc import GrpcServer, insecure_channel
from chorus_identity.claims import OidcClaims
from chorus_identity.keys import SigningKey, StaticJwks, jwks_of
from chorus_identity.tokens import TokenVerifier, TrustedIssuer
from chorus_messaging import Outbox
from chorus_testing.fixtures import DatabaseFactory
from chorus_testing.identity import IDENTITY, as_service
from content_service import composition as content_composition
from content_service.adapters.media_store import LocalDiskStore
from content_service.adapters.migrations import SCHEMA as CONTENT_SCHEMA
from content_service.entrypoints import grpc_api as content_grpc
from gateway_service import composition
from gateway_service.adapters.account_linker import GrpcAccountLinker
from gateway_service.adapters.channels import Channels
from gateway_service.adapters.migrations import SCHEMA
from gateway_service.adapters.rate_limiter import RedisTokenBuckets
from gateway_service.entrypoints.deps import GatewayDeps
from gateway_service.entrypoints.http_app import build_app
from gateway_service.entrypoints.routers import ROUTERS
from gateway_service.settings import GatewaySettings
from targeting_service import composition as targeting_composition
from targeting_service.adapters.migrations import SCHEMA as TARGETING_SCHEMA
from targeting_service.entrypoints import grpc_api as targeting_grpc

from tests.component.gateway.backends import Backends
from tests.component.gateway.backends import started as started_backends

IDP_ISSUER = "http://test-idp"
AUDIENCE = "chorus"
ORIGIN = "http://127.0.0.1:5173"
# Encrypts webhook secrets at rest (GatewaySettings.gateway_encryption_key).
ENCRYPTION_KEY = base64.urlsafe_b64encode(os.urandom(32)).decode()


class TestIdp:
    """An OIDC provider's tokens, signed with a real key it publishes."""

    __test__ = False

    def __init__(self, issuer: str = IDP_ISSUER) -> None:
        self.issuer = issuer
        self.key = SigningKey.generate("idp-1")

    @property
    def trusted(self) -> TrustedIssuer:
        return TrustedIssuer(self.issuer, AUDIENCE, StaticJwks(jwks_of(self.key)), OidcClaims())

    def token(
        self,
        subject: str = "alice",
        tenant: str = "acme",
        roles: tuple[str, ...] = ("comms_manager",),
        *,
        lifetime: int = 300,
        issued: float | None = None,
        **claims: Any,
    ) -> str:
        now = int(time.time() if issued is None else issued)
        body: dict[str, Any] = {
            "iss": self.issuer,
            "aud": AUDIENCE,
            "sub": subject,
            "iat": now,
            "exp": now + lifetime,
            "tenant": tenant,
            "roles": list(roles),
            "chorus_regions": ["*"],
            "chorus_channels": ["*"],
            "chorus_steps": ["*"],
            **claims,
        }
        return jwt.encode(
            body, self.key.private_pem, algorithm="RS256", headers={"kid": self.key.kid}
        )


@dataclass
class Gateway:
    client: httpx.AsyncClient
    idp: TestIdp
    deps: GatewayDeps
    content_db: Database
    targeting_db: Database
    address: str = ""  # the content + targeting gRPC server
    keys: list[str] = field(default_factory=list)

    def headers(
        self,
        token: str | None = None,
        *,
        key: str | None = "auto",
        if_match: str | None = None,
        **extra: str,
    ) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {token or self.idp.token()}", **extra}
        if key == "auto":
            key = str(uuid.uuid4())
        if key is not None:
            headers["Idempotency-Key"] = key
        if if_match is not None:
            headers["If-Match"] = if_match
        return headers

    async def create_post(self, token: str | None = None, **fields: Any) -> dict[str, Any]:
        body = {"title": "Launch", "body": "We opened the new plant", "source_language": "en"}
        body.update(fields)
        answer = await self.client.post("/v1/posts", json=body, headers=self.headers(token))
        assert answer.status_code == 201, answer.text
        document: dict[str, Any] = answer.json()
        return document


GatewayFactory = Callable[..., Awaitable[Gateway]]


@pytest.fixture
async def gateway_factory(
    sqlite_database: DatabaseFactory, redis_url: str, tmp_path: Path
) -> AsyncIterator[GatewayFactory]:
    closers: list[Callable[[], Awaitable[Any]]] = []

    async def make(*, services: Mapping[str, str] | None = None, **settings: Any) -> Gateway:
        """`services`: more services' gRPC addresses by name (backends.py),
        besides the content and targeting server every gateway gets."""
        content_db, targeting_db, gateway_db = (
            await sqlite_database(),
            await sqlite_database(),
            await sqlite_database(),
        )
        await migrate(content_db, CONTENT_SCHEMA)
        await migrate(targeting_db, TARGETING_SCHEMA)
        await migrate(gateway_db, SCHEMA)
        content = content_composition.build(
            content_db,
            Outbox("chorus/content@test"),
            LocalDiskStore(tmp_path / f"media-{uuid.uuid4().hex}"),
        )
        targeting = targeting_composition.build(targeting_db, "eu-west")
        server = GrpcServer(
            0,
            [content_grpc.binding(content.services), targeting_grpc.binding(targeting.use_cases)],
            verifier=IDENTITY.verifier,
        )
        await server.start()
        address = f"127.0.0.1:{server.port}"
        config = GatewaySettings(
            content_addr=address,
            targeting_addr=address,
            internal_issuer=IDENTITY.issuer,
            oidc_audience=AUDIENCE,
            **{"gateway_encryption_key": ENCRYPTION_KEY, **settings},
        )
        idp = TestIdp()
        limiter = RedisTokenBuckets.from_url(redis_url, prefix=f"test:gateway:{uuid.uuid4().hex}:")
        channels = Channels(
            {"content": address, "targeting": address, **(services or {})}, deadline_seconds=30
        )
        linker_channel = insecure_channel(
            address, 30, credentials=IDENTITY.credentials(as_service("gateway"))
        )
        deps = composition.build(
            config,
            gateway_db,
            TokenVerifier([idp.trusted]),
            IDENTITY.key,
            GrpcAccountLinker(linker_channel),
            limiter,
            channels,
        )
        client = httpx.AsyncClient(
            transport=httpx.ASGITransport(build_app(deps, ROUTERS)), base_url="http://gateway"
        )
        closers.extend(
            [
                client.aclose,
                channels.close,
                linker_channel.close,
                limiter.close,
                lambda: server.stop(0),
            ]
        )
        return Gateway(client, idp, deps, content_db, targeting_db, address)

    yield make
    for close in reversed(closers):
        await close()


@pytest.fixture
async def gw(gateway_factory: GatewayFactory) -> Gateway:
    return await gateway_factory()


@pytest.fixture
async def backends(sqlite_database: DatabaseFactory, redis_url: str) -> AsyncIterator[Backends]:
    """Scheduling, publishing, gamification, metrics and translation servers."""
    async with started_backends(sqlite_database, redis_url) as found:
        yield found


@pytest.fixture
async def gwb(gateway_factory: GatewayFactory, backends: Backends) -> Gateway:
    """A gateway in front of every service (content and targeting, and the
    backends); scheduling checks edited texts with this gateway's content."""
    made = await gateway_factory(services=backends.addresses)
    backends.charter.connect(made.address)
    return made

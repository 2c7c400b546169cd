"""Gateway overhead (part of make bench).

One read, GetPost of the same post, two ways, in the same process, one after
the other, with the same number of concurrent callers:

  direct    content's gRPC server called straight with a Chorus token (what
            a service or the CLI does): the interceptor verifies it per call
  gateway   GET /v1/posts/{id} over real HTTP (uvicorn; kept-alive
            connections, KeepAliveClient) through the whole
            gateway: IdP token verified (RS256, JWKS), role grants read, a
            Chorus token minted, rate limits in the real Redis, then the same
            gRPC call, then JSON with an ETag

The ratio gateway/direct is the figure to watch (goal: >= 0.5x). A second
part prices one JWT validation: TokenVerifier.verify against the bare RSA
signature check of the same token (cryptography, no claims), the floor any
verifier pays.

    uv run python bench/gateway.py [--seconds 5] [--concurrency 16]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import os
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import jwt
from chorus.content.v1 import content_service_pb2 as pb
from chorus.content.v1 import content_service_pb2_grpc as pb_grpc
from chorus_db import Database, migrate
from chorus_grpc import GrpcServer, insecure_channel
from chorus_identity.claims import OidcClaims
from chorus_identity.keys import SigningKey, StaticJwks, jwks_of
from chorus_identity.principal import ANY, Grant, Role, user
from chorus_identity.tokens import TokenVerifier, TrustedIssuer
from chorus_messaging import Outbox
from chorus_runtime.http import HttpServer
from chorus_testing.identity import IDENTITY, as_service
from content_service import composition as content_composition
from content_service.adapters.media_store import LocalDiskStore
from content_service.adapters.migrations import SCHEMA as CONTENT_SCHEMA
from content_service.app.use_cases import NewPost
from content_service.domain.posts import PostContent
from content_service.entrypoints import grpc_api as content_grpc
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from gateway_service import composition
from gateway_service.adapters.account_linker import GrpcAccountLinker
from gateway_service.adapters.channels import Channels
from gateway_service.adapters.migrations import SCHEMA as GATEWAY_SCHEMA
from gateway_service.adapters.rate_limiter import RedisTokenBuckets
from gateway_service.entrypoints.http_app import build_app, route_templates
from gateway_service.entrypoints.routers import ROUTERS
from gateway_service.settings import GatewaySettings

IDP = "http://bench-idp"
AUDIENCE = "chorus"
TENANT = "bench"


def idp_token(key: SigningKey, subject: str) -> str:
    now = int(time.time())
    claims = {
        "iss": IDP,
        "aud": AUDIENCE,
        "sub": subject,
        "iat": now,
        "exp": now + 3600,
        "tenant": TENANT,
        "roles": ["comms_manager"],
        "chorus_regions": [ANY],
        "chorus_channels": [ANY],
    }
    return jwt.encode(claims, key.private_pem, algorithm="RS256", headers={"kid": key.kid})


async def load(call: Callable[[], Awaitable[None]], seconds: float, concurrency: int) -> float:
    """Requests per second with `concurrency` callers looping for `seconds`."""
    done = 0
    deadline = time.perf_counter() + seconds

    async def caller() -> None:
        nonlocal done
        while time.perf_counter() < deadline:
            await call()
            done += 1

    started = time.perf_counter()
    await asyncio.gather(*(caller() for _ in range(concurrency)))
    return done / (time.perf_counter() - started)


class KeepAliveClient:
    """GET over a pool of kept-alive HTTP/1.1 connections, reading only the
    status line, the headers and a Content-Length body. The load generator
    shares the process with both servers, and httpx costs more CPU per
    request than the gateway's own handling: measured with it, the bench
    priced the client, not the gateway (the direct path's client is gRPC's
    C core)."""

    def __init__(self, host: str, port: int, path: str, token: str) -> None:
        self.host, self.port, self.path = host, port, path
        self.request = (
            f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n"
            f"Authorization: Bearer {token}\r\nAccept: application/json\r\n\r\n"
        ).encode()
        self.idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []

    async def get(self) -> None:
        if self.idle:
            reader, writer = self.idle.pop()
            try:
                head = await self._send(reader, writer)
            except (asyncio.IncompleteReadError, ConnectionError):
                # Closed by the server while idle (uvicorn's keep-alive timeout).
                writer.close()
                reader, writer = await asyncio.open_connection(self.host, self.port)
                head = await self._send(reader, writer)
        else:
            reader, writer = await asyncio.open_connection(self.host, self.port)
            head = await self._send(reader, writer)
        status = head.split(b" ", 2)[1]
        length = next(
            int(line.split(b":", 1)[1])
            for line in head.split(b"\r\n")
            if line.lower().startswith(b"content-length:")
        )
        body = await reader.readexactly(length)
        if status != b"200":
            raise SystemExit(f"gateway answered {status.decode()}: {body[:300]!r}")
        self.idle.append((reader, writer))

    async def _send(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bytes:
        writer.write(self.request)
        return await reader.readuntil(b"\r\n\r\n")

    async def close(self) -> None:
        for _, writer in self.idle:
            writer.close()
        self.idle.clear()


def time_per_call(fn: Callable[[], Any], count: int) -> float:
    started = time.perf_counter()
    for _ in range(count):
        fn()
    return (time.perf_counter() - started) / count


async def jwt_cost(count: int) -> None:
    key = SigningKey.generate("idp-1")
    token = idp_token(key, "bench-user")
    verifier = TokenVerifier([TrustedIssuer(IDP, AUDIENCE, StaticJwks(jwks_of(key)), OidcClaims())])
    private = serialization.load_pem_private_key(key.private_pem, password=None)
    assert isinstance(private, rsa.RSAPrivateKey)
    public = private.public_key()
    signing_input, _, signature = token.rpartition(".")
    raw = base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4))

    def bare() -> None:
        public.verify(raw, signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())

    loop = asyncio.get_running_loop()
    await verifier.verify(token)  # warm
    started = loop.time()
    for _ in range(count):
        await verifier.verify(token)
    full = (loop.time() - started) / count
    floor = time_per_call(bare, count)
    print(f"\nJWT validation ({count:,} tokens, RS256 2048-bit)")
    print(f"  baseline   {floor * 1e6:8.1f} us   bare RSA signature check")
    print(f"  verifier   {full * 1e6:8.1f} us   TokenVerifier.verify (header, issuer, key, claims)")
    print(f"  ratio verifier/baseline: {full / floor:.2f}x")


async def throughput(seconds: float, concurrency: int, redis_url: str) -> None:
    work = Path(tempfile.mkdtemp(prefix="chorus-bench-gateway-"))
    content_db = Database(f"sqlite:///{work}/content.db")
    gateway_db = Database(f"sqlite:///{work}/gateway.db")
    await migrate(content_db, CONTENT_SCHEMA)
    await migrate(gateway_db, GATEWAY_SCHEMA)
    content = content_composition.build(
        content_db, Outbox("chorus/content@bench"), LocalDiskStore(work / "media")
    )
    author = user("bench-user", TENANT, Grant.of(Role.COMMS_MANAGER, regions=[ANY], channels=[ANY]))
    post = await content.services.posts.create_post(
        author, NewPost(TENANT, content=PostContent(title="Bench", body="One read, two ways"))
    )
    server = GrpcServer(0, [content_grpc.binding(content.services)], verifier=IDENTITY.verifier)
    await server.start()
    address = f"127.0.0.1:{server.port}"

    channel = insecure_channel(address, 10, credentials=IDENTITY.credentials(author))
    stub = pb_grpc.ContentServiceStub(channel)
    request = pb.GetPostRequest(post_id=post.post_id)

    async def direct() -> None:
        await stub.GetPost(request)

    idp_key = SigningKey.generate("idp-1")
    settings = GatewaySettings(
        content_addr=address,
        targeting_addr=address,
        internal_issuer=IDENTITY.issuer,
        oidc_audience=AUDIENCE,
        # Far above the load: the bench measures the path, not the limiter's refusals.
        gateway_user_rate=1e6,
        gateway_user_burst=1e6,
        gateway_tenant_rate=1e6,
        gateway_tenant_burst=1e6,
        gateway_encryption_key=base64.urlsafe_b64encode(os.urandom(32)).decode(),
    )
    limiter = RedisTokenBuckets.from_url(redis_url, prefix=f"bench:gateway:{uuid.uuid4().hex}:")
    channels = Channels({"content": address, "targeting": address}, deadline_seconds=10)
    linker_channel = insecure_channel(
        address, 10, credentials=IDENTITY.credentials(as_service("gateway"))
    )
    deps = composition.build(
        settings,
        gateway_db,
        TokenVerifier([TrustedIssuer(IDP, AUDIENCE, StaticJwks(jwks_of(idp_key)), OidcClaims())]),
        IDENTITY.key,
        GrpcAccountLinker(linker_channel),
        limiter,
        channels,
    )
    http = HttpServer(
        build_app(deps, ROUTERS),
        "127.0.0.1",
        0,
        port_setting="bench",
        routes=route_templates(ROUTERS),
    )
    serving = asyncio.create_task(http.serve())
    token = idp_token(idp_key, "bench-user")
    client = KeepAliveClient("127.0.0.1", http.port, f"/v1/posts/{post.post_id}", token)
    # The first answer through httpx, as any client would read it: a real 200 with the post.
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{http.port}") as check:
        first = await check.get(client.path, headers={"Authorization": f"Bearer {token}"})
    if first.status_code != 200 or first.json()["post_id"] != post.post_id:
        raise SystemExit(f"gateway answered {first.status_code}: {first.text[:300]}")

    async def gateway() -> None:
        await client.get()

    try:
        await load(direct, 1.0, concurrency)  # warm both paths
        await load(gateway, 1.0, concurrency)
        direct_rps = await load(direct, seconds, concurrency)
        gateway_rps = await load(gateway, seconds, concurrency)
    finally:
        await client.close()
        http.server.should_exit = True
        await serving
        await channels.close()
        await linker_channel.close()
        await limiter.close()
        await channel.close()
        await server.stop(0)
        await content_db.dispose()
        await gateway_db.dispose()
    print(f"\nOne read (GetPost), {concurrency} concurrent callers, {seconds:.0f} s each")
    print(f"  baseline   {direct_rps:8.0f} req/s   gRPC straight to content")
    print(f"  gateway    {gateway_rps:8.0f} req/s   GET /v1/posts/{{id}} through the gateway")
    ratio = gateway_rps / direct_rps
    verdict = "met" if ratio >= 0.5 else "NOT met"
    print(f"  ratio gateway/direct: {ratio:.2f}x (goal >= 0.5x: {verdict})")


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--tokens", type=int, default=2000)
    args = parser.parse_args()
    redis_url = os.environ.get("CHORUS_REDIS_URL", "redis://127.0.0.1:6390/0")
    await throughput(args.seconds, args.concurrency, redis_url)
    await jwt_cost(args.tokens)


if __name__ == "__main__":
    asyncio.run(main())

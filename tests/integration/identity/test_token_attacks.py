"""Token attacks against a real gRPC server (GrpcServer: tracing, the
AuthInterceptor, domain errors) trusting the session's test issuer exactly
as a service trusts the gateway: every forged, stale, foreign or malformed
token is UNAUTHENTICATED before any servicer code runs, a good one reaches
the servicer as its principal, and health and reflection need no token.

Each refusal is also held to its reason (the status details), so an attack
is refused by the check meant for it, not by an accident further on."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import grpc
import jwt
import pytest
from chorus.content.v1 import content_service_pb2 as content
from chorus.content.v1 import content_service_pb2_grpc as content_grpc
from chorus_grpc import GrpcServer, insecure_channel
from chorus_identity.keys import SigningKey
from chorus_identity.principal import ANY, Grant, Role, service, user
from chorus_identity.sources import StaticToken
from chorus_testing.identity import IDENTITY
from cryptography.hazmat.primitives.asymmetric import ec
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

from tests.integration.identity.probe import probe_server, raw_call, who_am_i

UNAUTHENTICATED = grpc.StatusCode.UNAUTHENTICATED
ISSUER, AUDIENCE = IDENTITY.issuer, IDENTITY.minter.audience
ALICE = user(
    "alice-sub",
    "t1",
    Grant.of(Role.REVIEWER, steps=["legal"]),
    Role.EMPLOYEE,
    employee_id="e-1",
)


@pytest.fixture(scope="module")
async def server() -> AsyncIterator[GrpcServer]:
    async with probe_server(IDENTITY.verifier) as running:
        yield running


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def claims(**changes: Any) -> dict[str, Any]:
    """A good user token's claims, as the minter writes them, then `changes`
    (a value of None removes the claim)."""
    now = int(time.time())
    base: dict[str, Any] = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": "mallory-sub",
        "iat": now,
        "exp": now + 300,
        "jti": str(uuid.uuid4()),
        "knd": "user",
        "tid": "t1",
        "grants": [{"role": "tenant_admin", "regions": [], "channels": [], "steps": []}],
    }
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


def signed(body: dict[str, Any], key: SigningKey = IDENTITY.key, **header: Any) -> str:
    headers = {"kid": key.kid, **header}
    return jwt.encode(body, key.private_pem, algorithm="RS256", headers=headers)


def unsigned(body: dict[str, Any], alg: str) -> str:
    head = b64(json.dumps({"alg": alg, "typ": "JWT", "kid": IDENTITY.key.kid}).encode())
    return f"{head}.{b64(json.dumps(body).encode())}."


def hs256_with_public_key(body: dict[str, Any]) -> str:
    """The classic key-confusion forgery: HMAC-SHA256 keyed with the issuer's
    public key PEM (which anyone can fetch), hoping the verifier uses the
    key it has as an HMAC secret. PyJWT refuses to make one, so by hand."""
    head = b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": IDENTITY.key.kid}).encode())
    signing_input = f"{head}.{b64(json.dumps(body).encode())}"
    mac = hmac.new(IDENTITY.key.public_pem(), signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64(mac)}"


def tampered() -> str:
    """A real token of a plain employee whose payload is rewritten to make
    them a tenant admin of another tenant, signature kept."""
    head, _, signature = IDENTITY.token(user("mallory-sub", "t1", Role.EMPLOYEE)).split(".")
    forged = claims(tid="t2")
    return f"{head}.{b64(json.dumps(forged).encode())}.{signature}"


def es256(body: dict[str, Any]) -> str:
    key = ec.generate_private_key(ec.SECP256R1())
    return jwt.encode(body, key, algorithm="ES256", headers={"kid": IDENTITY.key.kid})


def now() -> int:
    # Read when the attack is built, not at import: the suite collects this
    # module many minutes before the test runs, and a time fixed then would
    # have drifted out of the leeway these cases sit just beyond.
    return int(time.time())


# A key of its own with the same kid as the real one: another issuer (or a
# realm) signing tokens that claim to be ours.
IMPOSTOR = SigningKey(IDENTITY.key.kid, SigningKey.generate("x").private_pem)

ATTACKS: dict[str, tuple[Callable[[], str], str]] = {
    "malformed": (lambda: "not-a-jwt", "malformed"),
    "garbage segments": (lambda: "a.b.c", "malformed"),
    "expired beyond leeway": (
        lambda: signed(claims(iat=now() - 600, exp=now() - 120)),
        "expired",
    ),
    "issued in the future": (
        lambda: signed(claims(iat=now() + 600, exp=now() + 900)),
        "not valid yet",
    ),
    "not before in the future": (lambda: signed(claims(nbf=now() + 600)), "not valid yet"),
    "wrong issuer": (lambda: signed(claims(iss="https://evil.example/realms/chorus")), "untrusted"),
    "no issuer": (lambda: signed(claims(iss=None)), "untrusted"),
    "wrong audience": (lambda: signed(claims(aud="another-app")), "another audience"),
    "no audience": (lambda: signed(claims(aud=None)), "invalid token"),
    "no expiry": (lambda: signed(claims(exp=None)), "invalid token"),
    "no subject": (lambda: signed(claims(sub=None)), "invalid token"),
    "bad signature (tampered payload)": (tampered, "invalid token"),
    "alg none": (lambda: unsigned(claims(), "none"), "refused algorithm"),
    "alg None": (lambda: unsigned(claims(), "None"), "refused algorithm"),
    "HS256 keyed with the public key": (
        lambda: hs256_with_public_key(claims()),
        "refused algorithm",
    ),
    "ES256 (an algorithm not pinned)": (lambda: es256(claims()), "refused algorithm"),
    "another key, same issuer and kid": (lambda: signed(claims(), IMPOSTOR), "invalid token"),
    "a kid not in the set": (lambda: signed(claims(), SigningKey.generate("k-9")), "unknown key"),
    "no kid": (
        lambda: jwt.encode(claims(), IDENTITY.key.private_pem, algorithm="RS256"),
        "unknown key",
    ),
    "a Chorus token living too long": (
        lambda: signed(claims(exp=now() + 3600)),
        "longer than this issuer allows",
    ),
    "a user token without tenant": (lambda: signed(claims(tid=None)), "without a tenant"),
    "an unknown principal kind": (lambda: signed(claims(knd="root")), "unknown principal kind"),
    "a service token naming no service": (
        lambda: signed(claims(knd="service", tid=None, grants=None)),
        "without a service name",
    ),
}


@pytest.mark.parametrize("attack", sorted(ATTACKS))
async def test_the_attack_is_unauthenticated(server: GrpcServer, attack: str) -> None:
    forge, reason = ATTACKS[attack]
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await who_am_i(server, StaticToken(forge()))
    assert refused.value.code() == UNAUTHENTICATED
    assert reason in (refused.value.details() or ""), refused.value.details()


async def test_no_token_is_unauthenticated(server: GrpcServer) -> None:
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await who_am_i(server, None)
    assert refused.value.code() == UNAUTHENTICATED
    assert refused.value.details() == "missing bearer token"


@pytest.mark.parametrize(
    "value", ["Basic YWxpY2U6c2VjcmV0", "Bearer", "Bearer    ", "token-without-scheme"]
)
async def test_an_authorization_header_that_is_no_bearer_token(
    server: GrpcServer, value: str
) -> None:
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await raw_call(server, [("authorization", value)])
    assert refused.value.code() == UNAUTHENTICATED


async def test_a_good_token_reaches_the_servicer_as_its_principal(server: GrpcServer) -> None:
    answer = await who_am_i(server, IDENTITY.credentials(ALICE))
    assert answer.employee_id == "user:alice-sub"
    assert [e.reason for e in answer.entries] == ["employee", "reviewer"]
    ref = await raw_call(server, [("authorization", f"bearer {IDENTITY.token(ALICE)}")])
    assert ref == "user:alice-sub"  # the scheme is case-insensitive (RFC 6750)


async def test_a_service_token_passes_as_the_service(server: GrpcServer) -> None:
    answer = await who_am_i(server, IDENTITY.credentials(service("publishing")))
    assert answer.employee_id == "service:publishing" and not answer.entries


async def test_clock_skew_within_the_leeway_is_tolerated(server: GrpcServer) -> None:
    """Bounded, not zero: a token that expired a few seconds ago, or issued by
    a clock a few seconds ahead, still passes (30 s leeway)."""
    now = int(time.time())
    for body in (claims(iat=now - 300, exp=now - 5), claims(iat=now + 10, exp=now + 300)):
        answer = await who_am_i(server, StaticToken(signed(body)))
        assert answer.employee_id == "user:mallory-sub"


async def test_grants_with_every_scope_survive_the_wire(server: GrpcServer) -> None:
    everything = user("ops", "t1", Grant.of(Role.COMMS_MANAGER, regions=[ANY], channels=[ANY]))
    answer = await who_am_i(server, IDENTITY.credentials(everything))
    assert [e.reason for e in answer.entries] == ["comms_manager"]


async def test_streaming_calls_are_verified_too(server: GrpcServer) -> None:
    target = f"127.0.0.1:{server.port}"
    async with insecure_channel(target, 10) as anonymous:
        stub = content_grpc.ContentServiceStub(anonymous)
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            async for _ in stub.DownloadMedia(content.DownloadMediaRequest(media_id="m")):
                pass
        assert refused.value.code() == UNAUTHENTICATED
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await stub.UploadMedia(iter([content.UploadMediaRequest(chunk=b"x")]))
        assert refused.value.code() == UNAUTHENTICATED
    async with insecure_channel(target, 10, IDENTITY.credentials(ALICE)) as signed_in:
        stub = content_grpc.ContentServiceStub(signed_in)
        chunks = [r.chunk async for r in stub.DownloadMedia(content.DownloadMediaRequest())]
        assert chunks == [b"user:alice-sub"] * 3
        parts = [content.UploadMediaRequest(chunk=b"x")] * 2
        uploaded = await stub.UploadMedia(iter(parts))
        assert uploaded.asset.media_id == "user:alice-sub" and uploaded.asset.size == 2


async def test_health_and_reflection_need_no_token(server: GrpcServer) -> None:
    async with grpc.aio.insecure_channel(f"127.0.0.1:{server.port}") as channel:
        health = health_pb2_grpc.HealthStub(channel)
        for name in ("", "chorus.gamification.v1.GamificationService"):
            answer = await health.Check(health_pb2.HealthCheckRequest(service=name), timeout=10)
            assert answer.status == health_pb2.HealthCheckResponse.SERVING
        reflection = reflection_pb2_grpc.ServerReflectionStub(channel)
        request = reflection_pb2.ServerReflectionRequest(list_services="")
        responses = [r async for r in reflection.ServerReflectionInfo(iter([request]))]
        names = {s.name for s in responses[0].list_services_response.service}
        assert {
            "chorus.gamification.v1.GamificationService",
            "chorus.content.v1.ContentService",
            "grpc.health.v1.Health",
        } <= names

"""The verifier a service builds from its settings (chorus_identity.config:
the gateway's key set and the OIDC provider by discovery), in a real gRPC
server, against the real Keycloak that `make infra` starts:

* a client-credentials token of chorus-translation verifies (keys found by
  OIDC discovery) to the service principal `translation`;
* a token of the second realm, enterprise-idp, from a client made to look
  exactly like chorus-translation (audience chorus, chorus_service
  translation), is refused: its issuer is not trusted; relabelled with the
  chorus realm's issuer it is refused too: no key of the chorus realm signed it;
* a wrong client secret gets no token at all.
"""

from __future__ import annotations

import base64
import json
import secrets
from collections.abc import AsyncIterator
from pathlib import Path
from typing import ClassVar

import grpc
import pytest
from chorus_core.settings import ServiceSettings
from chorus_grpc import GrpcServer
from chorus_identity import config
from chorus_identity.keys import jwks_of
from chorus_identity.principal import Role, user
from chorus_identity.sources import ClientCredentials, StaticToken
from chorus_testing import keycloak as kc
from chorus_testing.identity import IDENTITY
from chorus_testing.infra import required_env

from tests.integration.identity.probe import probe_server, who_am_i
from tests.integration.identity.realms import machine_client, temporary_client

pytestmark = pytest.mark.infra

OTHER_REALM = "enterprise-idp"


class ProbeSettings(ServiceSettings):
    service: ClassVar[str] = "gamification"


@pytest.fixture(scope="module")
def issuer() -> str:
    return required_env("CHORUS_OIDC_ISSUER")


@pytest.fixture(scope="module")
async def server(
    issuer: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[GrpcServer]:
    """Trusts what a deployed service trusts: the gateway's keys (a file,
    here the test issuer's) and the provider found from its issuer URL."""
    jwks: Path = tmp_path_factory.mktemp("identity") / "jwks.json"
    jwks.write_text(json.dumps(jwks_of(IDENTITY.key)))
    settings = ProbeSettings(grpc_port=1, oidc_issuer=issuer, internal_jwks=str(jwks))
    verifier = config.verifier(settings)
    assert set(verifier.issuers) == {"chorus", issuer}
    async with probe_server(verifier) as running:
        yield running


async def test_a_service_token_from_keycloak_is_the_service(
    server: GrpcServer, issuer: str
) -> None:
    source = ClientCredentials(issuer, "chorus-translation", "local-dev-translation-secret")
    try:
        answer = await who_am_i(server, source)
    finally:
        await source.close()
    assert answer.employee_id == "service:translation" and not answer.entries


async def test_the_gateways_tokens_are_trusted_next_to_the_providers(server: GrpcServer) -> None:
    answer = await who_am_i(server, IDENTITY.credentials(user("u-1", "acme", Role.EMPLOYEE)))
    assert answer.employee_id == "user:u-1"


async def test_a_token_of_another_realm_is_refused(server: GrpcServer, issuer: str) -> None:
    other_issuer = issuer.rsplit("/realms/", 1)[0] + f"/realms/{OTHER_REALM}"
    client_id, secret = f"forger-{secrets.token_hex(4)}", secrets.token_urlsafe(16)
    with temporary_client(OTHER_REALM, machine_client(client_id, secret, "translation")):
        forged = kc.client_credentials(other_issuer, client_id, secret).access_token
    # Genuine in its own realm, and shaped like a Chorus service token.
    claims = kc.verified_claims(other_issuer, forged)
    assert claims["chorus_service"] == "translation"

    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await who_am_i(server, StaticToken(forged))
    assert refused.value.code() == grpc.StatusCode.UNAUTHENTICATED
    assert "untrusted issuer" in (refused.value.details() or "")

    relabelled = with_claims(forged, iss=issuer)
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await who_am_i(server, StaticToken(relabelled))
    assert refused.value.code() == grpc.StatusCode.UNAUTHENTICATED
    # Its kid is not among the chorus realm's keys (a kid collision would fail the signature).
    assert (refused.value.details() or "") in {"token signed with an unknown key", "invalid token"}


def test_a_wrong_client_secret_gets_no_token(issuer: str) -> None:
    with pytest.raises(kc.TokenError) as refused:
        kc.client_credentials(issuer, "chorus-translation", "not-the-secret")
    assert refused.value.status == 401


def with_claims(token: str, **changes: str) -> str:
    head, payload, signature = token.split(".")
    padded = payload + "=" * (-len(payload) % 4)
    body = {**json.loads(base64.urlsafe_b64decode(padded)), **changes}
    encoded = base64.urlsafe_b64encode(json.dumps(body).encode()).rstrip(b"=").decode()
    return f"{head}.{encoded}.{signature}"

"""Identity end to end, with the real Keycloak and the real stack (the seven
services and the gateway as processes):

* a person signs in the browser's way (authorization code + PKCE S256 at the
  console's public client), calls the gateway with the provider's token, and
  the call reaches content with the verified identity: the post's author is
  the token's subject; the trace in the collector's file goes gateway ->
  content (the HTTP request span, the gateway's gRPC client span, content's
  server span its child);
* a SAML-federated employee (brokered by the realm's SAML identity provider)
  signs in and lands in the right tenant, with the employee role, linked
  just in time to their directory entry by external id;
* the CLI: the device grant signs people in, tokens are cached (0600) and
  renewed with the refresh token, `--as` picks who acts, the services refuse
  what the acting person's role does not allow, `logout` forgets them.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import stat
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from chorus.targeting.v1 import targeting_service_pb2 as targeting_pb
from chorus_cli.collect import all_employees
from chorus_cli.demo_people import (
    ADMIN,
    COMMS,
    REVIEWER,
    DemoPeople,
    approver_for,
    directory_csv,
    realm_users,
)
from chorus_cli.login_commands import sign_in
from chorus_cli.main import app
from chorus_cli.oauth import SignInError
from chorus_cli.stack import Stack, repo_root
from chorus_cli.token_cache import TokenCache
from chorus_cli.traces import Span
from chorus_testing.infra import required_env
from chorus_testing.keycloak import password_free_code_flow, saml_code_flow, verified_claims
from typer.testing import CliRunner, Result

from tests.e2e.identities import cli_identity
from tests.e2e.stack_output import stack_spans
from tests.e2e.trace_hops import CLIENT, SERVER

pytestmark = pytest.mark.infra

CONSOLE = "chorus-console"
REDIRECT = "http://127.0.0.1:5173/callback"  # any 127.0.0.1 port is registered
GET_POST = "/chorus.content.v1.ContentService/GetPost"


@pytest.fixture(scope="module")
async def stack(tmp_path_factory: pytest.TempPathFactory, start_stack) -> AsyncIterator[Stack]:
    async with start_stack(tmp_path_factory.mktemp("identity") / "var", 500) as running:
        yield running


@pytest.fixture(scope="module")
def token_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("tokens")


@pytest.fixture(scope="module")
async def people(stack: Stack, token_dir: Path, sign_in_people) -> AsyncIterator[DemoPeople]:
    """The demo's people signed in (the CLI's device grant), and the directory
    imported by the admin: the realm's employees E-1001, E-1002 and the
    SAML-federated E-2001 among a few generated ones."""
    async with sign_in_people(stack, token_dir) as signed_in:
        imported = await signed_in[ADMIN].targeting.ImportDirectory(
            targeting_pb.ImportDirectoryRequest(
                request_id="identity-import", csv=directory_csv(5, 3, "eu-west").encode()
            )
        )
        assert imported.created == 8 and not imported.errors
        yield signed_in


def _issuer() -> str:
    return required_env("CHORUS_OIDC_ISSUER")


async def _gateway(
    stack: Stack, method: str, path: str, token: str, **kwargs: Any
) -> httpx.Response:
    async with httpx.AsyncClient(base_url=stack.gateway_url, timeout=30.0) as http:
        return await http.request(
            method,
            path,
            headers={"authorization": f"Bearer {token}", **kwargs.pop("headers", {})},
            **kwargs,
        )


async def test_a_browser_sign_in_reaches_content_as_the_verified_person(
    stack: Stack, people: DemoPeople
) -> None:
    comms = realm_users(repo_root())[COMMS]
    tokens = await asyncio.to_thread(
        password_free_code_flow, _issuer(), CONSOLE, REDIRECT, comms.username, comms.password
    )
    subject = verified_claims(_issuer(), tokens.access_token)["sub"]
    trace_id = secrets.token_hex(16)
    traceparent = f"00-{trace_id}-{secrets.token_hex(8)}-01"

    created = await _gateway(
        stack,
        "POST",
        "/v1/posts",
        tokens.access_token,
        json={
            "title": "Signed in",
            "body": "A post written through the gateway",
            "source_language": "en",
        },
        headers={"Idempotency-Key": secrets.token_hex(8)},
    )
    assert created.status_code == 201, created.text
    post_id = created.json()["post_id"]
    read = await _gateway(
        stack,
        "GET",
        f"/v1/posts/{post_id}",
        tokens.access_token,
        headers={"traceparent": traceparent},
    )
    assert read.status_code == 200, read.text
    # The author is who the provider said signed in: no field named them.
    assert read.json()["author_id"] == created.json()["author_id"] == subject

    # The trace: gateway request -> gateway gRPC client -> content server.
    traces = Path(required_env("CHORUS_OTEL_TRACES_FILE"))
    problems: list[str] = ["no spans read yet"]
    for _ in range(30):
        spans = [s for s in stack_spans(stack, traces) if s.trace_id == trace_id]
        problems = _gateway_to_content(spans)
        if not problems:
            break
        await asyncio.sleep(1)
    assert problems == []


def _gateway_to_content(spans: list[Span]) -> list[str]:
    by_id = {s.span_id: s for s in spans}
    requests = [s for s in spans if s.service == "chorus-gateway" and s.kind == SERVER]
    calls = [
        s
        for s in spans
        if s.service == "chorus-gateway" and s.kind == CLIENT and s.name == GET_POST
    ]
    served = [
        s
        for s in spans
        if s.service == "chorus-content" and s.kind == SERVER and s.name == GET_POST
    ]
    if not requests or not calls or not served:
        return [
            f"spans: {len(requests)} gateway requests, {len(calls)} calls, {len(served)} served"
        ]
    problems = []
    call = calls[0]
    ancestor = by_id.get(call.parent_id)
    while ancestor is not None and ancestor not in requests:
        ancestor = by_id.get(ancestor.parent_id)
    if ancestor is None:
        problems.append("the gateway's GetPost call is not inside its request span")
    if not any(s.parent_id == call.span_id for s in served):
        problems.append("content's GetPost span is not the child of the gateway's call")
    return problems


async def test_a_saml_federated_employee_lands_in_their_tenant_linked_to_their_entry(
    stack: Stack, people: DemoPeople
) -> None:
    tokens = await asyncio.to_thread(
        saml_code_flow, _issuer(), CONSOLE, REDIRECT, "saml.employee", "saml.employee-pass"
    )
    me = await _gateway(stack, "GET", "/v1/me", tokens.access_token)
    assert me.status_code == 200, me.text
    body = me.json()
    staff = await all_employees(people[ADMIN], "")
    entry = next(e for e in staff.values() if e.external_id == "E-2001")
    assert body["tenant_id"] == "acme"
    assert [g["role"] for g in body["roles"]] == ["employee"]
    assert body["employee_id"] == entry.employee_id


def _cli(stack: Stack, token_dir: Path, *args: str) -> Result:
    env = {**stack.client_env(), "CHORUS_CLI_CACHE_DIR": str(token_dir), "COLUMNS": "200"}
    env["CHORUS_OIDC_ISSUER"] = _issuer()
    return CliRunner().invoke(app, list(args), env=env)


async def test_the_cli_acts_as_each_signed_in_person_and_renews_their_session(
    stack: Stack, people: DemoPeople, token_dir: Path
) -> None:
    # The commands run asyncio themselves: off this test's loop.
    async def cli(*args: str) -> Result:
        return await asyncio.to_thread(_cli, stack, token_dir, *args)

    cache = TokenCache(_issuer(), token_dir)
    assert {ADMIN, COMMS, REVIEWER} <= set(cache.names())
    for path in cache.dir.glob("*.json"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert stat.S_IMODE(cache.dir.stat().st_mode) == 0o700

    whoami = await cli("--as", COMMS, "whoami")
    assert whoami.exit_code == 0 and "acme" in whoami.output and "comms_manager" in whoami.output
    # The same commands, another person: a reviewer may not write posts.
    refused = await cli("--as", REVIEWER, "post", "create", "--title", "t", "--body", "b")
    assert refused.exit_code == 1 and "PERMISSION_DENIED" in refused.output, refused.output
    created = await cli("--as", COMMS, "post", "create", "--title", "From the CLI", "--body", "b")
    assert created.exit_code == 0 and "created post" in created.output, created.output

    # An expired sign-in is renewed with the refresh token, transparently.
    path = cache.dir / f"{COMMS}.json"
    stored = json.loads(path.read_text())
    stored["idp"]["expires_at"] = stored["chorus_expires_at"] = 0
    path.write_text(json.dumps(stored))
    again = await cli("--as", COMMS, "post", "search")
    assert again.exit_code == 0, again.output
    renewed = json.loads(path.read_text())
    assert renewed["idp"]["access_token"] != stored["idp"]["access_token"]
    assert renewed["chorus_expires_at"] > 0

    # Someone else approving a sign-in meant for another user saves nothing.
    admin = realm_users(repo_root())[ADMIN]
    with pytest.raises(SignInError, match="not legal.acme"):
        await sign_in(cli_identity(stack), approver_for(admin), expected="legal.acme", cache=cache)
    assert "legal.acme" not in cache.names()

    out = await cli("logout", "--user", REVIEWER)
    assert out.exit_code == 0 and "signed out" in out.output
    gone = await cli("--as", REVIEWER, "leaderboard")
    assert gone.exit_code == 1 and "not signed in" in gone.output
    assert os.path.exists(cache.dir / f"{COMMS}.json")

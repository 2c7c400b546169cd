"""Schemathesis over the gateway's own OpenAPI document, against the running
stack (the seven services and the gateway as processes), as four people of
the real Keycloak realm signed in the browser's way (code + PKCE): a tenant
admin, a comms manager, a reviewer and an employee.

Every operation of /openapi.json gets generated requests as each of them,
valid ones (positive) and invalid ones (negative), some aimed at objects
that exist (a seeded draft and a submitted post, their version, an uploaded
asset, a subject with role grants). At least 5,000 requests in all; not one
answer may be a 5xx, have a status code the operation does not document,
another content type than documented, or a body (problem+json included)
that breaks the documented schema.

The seeds are fixed (Hypothesis `seed`): the same requests every run. The
gateway's rate limits are raised for this stack only (its environment):
the defaults would answer 429 (documented, but nothing else tested) to one
client sending this many requests.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
import schemathesis
from chorus.targeting.v1 import targeting_service_pb2 as targeting_pb
from chorus_cli.demo_people import (
    ADMIN,
    COMMS,
    EMPLOYEE,
    REVIEWER,
    TENANT,
    directory_csv,
    realm_users,
)
from chorus_cli.stack import Stack, repo_root
from chorus_identity.principal import Role, user
from chorus_testing.infra import required_env
from chorus_testing.keycloak import password_free_code_flow
from schemathesis import Case, GenerationMode
from schemathesis.core.result import Err, Ok

from tests.e2e.schemathesis_support import CurrentEtag, Fuzzer, Known, SignedIn

pytestmark = pytest.mark.infra

TARGET = 5_000  # generated requests, at least (issue 8, section 6)
PEOPLE = (ADMIN, COMMS, REVIEWER, EMPLOYEE)
MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
MAX_ROUNDS = 4  # a round: every operation, person and mode once, with its own seed
CONSOLE = "chorus-console"
REDIRECT = "http://127.0.0.1:5173/callback"
PORT_OFFSET = 1300  # its own ports and Redis database (13): no other stack uses them
# One client sends all the requests: far above what a person may send.
LIMITS = {
    "CHORUS_GATEWAY_USER_RATE": "100000",
    "CHORUS_GATEWAY_USER_BURST": "100000",
    "CHORUS_GATEWAY_TENANT_RATE": "100000",
    "CHORUS_GATEWAY_TENANT_BURST": "100000",
}
SEEDED_SUBJECT = "schemathesis-seeded-subject"
# A 1x1 PNG: an asset content accepts.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


@pytest.fixture(scope="module")
async def stack(tmp_path_factory: pytest.TempPathFactory, start_stack) -> AsyncIterator[Stack]:
    with pytest.MonkeyPatch.context() as env:
        for name, value in LIMITS.items():
            env.setenv(name, value)  # read by the gateway this stack starts
        async with start_stack(tmp_path_factory.mktemp("fuzz") / "var", PORT_OFFSET) as running:
            yield running


@dataclass
class World:
    people: dict[str, SignedIn]
    known: Known


async def _sign_in(name: str) -> SignedIn:
    issuer, person = required_env("CHORUS_OIDC_ISSUER"), realm_users(repo_root())[name]
    tokens = await asyncio.to_thread(
        password_free_code_flow, issuer, CONSOLE, REDIRECT, person.username, person.password
    )
    return SignedIn(name, issuer, CONSOLE, tokens)


@pytest.fixture(scope="module")
async def world(stack: Stack) -> World:
    """The directory imported (the employee links to E-1001 on first call),
    the four people signed in, and a few objects to aim at."""
    admin_clients = stack.clients_as(user("schemathesis-seeder", TENANT, Role.TENANT_ADMIN))
    try:
        imported = await admin_clients.targeting.ImportDirectory(
            targeting_pb.ImportDirectoryRequest(
                request_id="schemathesis-import", csv=directory_csv(5, 8, "eu-west").encode()
            )
        )
    finally:
        await admin_clients.close()
    assert not imported.errors
    people = {name: await _sign_in(name) for name in PEOPLE}
    async with httpx.AsyncClient(base_url=stack.gateway_url, timeout=30.0) as http:
        known = await _seed(http, people)
    return World(people, known)


async def _seed(http: httpx.AsyncClient, people: dict[str, SignedIn]) -> Known:
    def headers(name: str, key: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {people[name].bearer()}", "Idempotency-Key": key}

    posts = []
    for n in range(2):
        created = await http.post(
            "/v1/posts",
            json={"title": f"Seeded {n}", "body": "Our new plant opens", "source_language": "en"},
            headers=headers(COMMS, f"seed-post-{n}"),
        )
        assert created.status_code == 201, created.text
        posts.append(created.json()["post_id"])
    submitted = await http.post(f"/v1/posts/{posts[1]}/submit", headers=headers(COMMS, "seed-s"))
    assert submitted.status_code == 200, submitted.text
    uploaded = await http.post(
        "/v1/media",
        params={"filename": "dot.png"},
        content=PNG,
        headers={**headers(COMMS, "seed-media"), "Content-Type": "application/octet-stream"},
    )
    assert uploaded.status_code == 201, uploaded.text
    granted = await http.put(
        f"/v1/role-grants/{SEEDED_SUBJECT}",
        json={"grants": [{"role": "reviewer", "steps": ["legal"]}]},
        headers=headers(ADMIN, "seed-grant"),
    )
    assert granted.status_code == 200, granted.text
    return {
        "post_id": posts,
        "version": ["1"],
        "media_id": [uploaded.json()["media_id"]],
        "subject": [SEEDED_SUBJECT],
    }


def _current_etag(base_url: str, known: Known) -> CurrentEtag:
    """An edit of a seeded post names its current version (the fuzzing
    edits it, so the version moves): read it first."""

    def etag(case: Case, bearer: str) -> str | None:
        post = case.path_parameters.get("post_id") if case.path_parameters else None
        if case.method.upper() != "PUT" or post not in known["post_id"]:
            return None
        answer = httpx.get(
            f"{base_url}/v1/posts/{post}", headers={"Authorization": f"Bearer {bearer}"}
        )
        return answer.headers.get("etag")

    return etag


@pytest.mark.timeout(1800)  # the stack starts (minutes on two busy cores), then the run
def test_generated_requests_get_only_documented_answers(stack: Stack, world: World) -> None:
    # The first request builds the document: seconds on a busy machine.
    schema = schemathesis.openapi.from_url(f"{stack.gateway_url}/openapi.json", timeout=120)
    results = list(schema.get_all_operations())
    assert [str(r.err()) for r in results if isinstance(r, Err)] == []
    operations = [r.ok() for r in results if isinstance(r, Ok)]
    fuzzer = Fuzzer(stack.gateway_url, world.known, _current_etag(stack.gateway_url, world.known))
    per_run = math.ceil(TARGET * 1.1 / (len(operations) * len(PEOPLE) * len(MODES)))
    started = time.monotonic()
    people = [world.people[name] for name in PEOPLE]
    for round_ in range(MAX_ROUNDS):
        fuzzer.fuzz_round(operations, people, MODES, per_run, round_)
        if fuzzer.total >= TARGET:
            break
    took = time.monotonic() - started

    print(
        f"\nschemathesis: {fuzzer.total} requests, {len(fuzzer.sent)}/{len(operations)}"
        f" operations, {round_ + 1} rounds, {took:.0f} s; statuses"
        f" {dict(sorted(fuzzer.statuses.items()))}"
    )
    report = fuzzer.report()
    print(report)  # every kind of broken answer with an example (pytest cuts the assert's)
    assert report == "" and not fuzzer.findings
    assert fuzzer.total >= TARGET
    assert set(fuzzer.sent) == {o.label for o in operations}  # every operation was called

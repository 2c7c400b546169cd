"""Schemathesis against a running gateway, as a person of the realm.

* `SignedIn`: a person's provider token, renewed with the refresh token
  before it runs out (the realm's access tokens live 5 minutes; a fuzzing
  run as four people is about as long);
* `Fuzzer`: for one operation, one person and one generation mode, draws
  cases with Hypothesis (a fixed seed: the same requests every run), sends
  each with the person's bearer token, a fresh Idempotency-Key (positive
  cases: the generated one would be refused or replayed, and the route
  would never run) and the seeded post's current ETag as If-Match where
  that is the post edited, then runs the response checks. The requests of
  an operation go out a few at a time from worker threads. Failures are
  collected, not raised, so one run reports every broken answer.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import httpx
import requests
from chorus_testing.keycloak import TokenResponse, discover
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import Case, GenerationMode
from schemathesis.checks import CheckFunction, not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.schemas import APIOperation
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS: list[CheckFunction] = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
IDEMPOTENCY_KEY = "Idempotency-Key"
RENEW_BEFORE = 60.0  # seconds of validity left when the token is renewed
TIMEOUT = 30.0


@dataclass
class SignedIn:
    """A person's provider session: `bearer()` is a valid access token."""

    name: str
    issuer: str
    client_id: str
    tokens: TokenResponse
    obtained: float = field(default_factory=time.monotonic)

    def bearer(self) -> str:
        if time.monotonic() > self.obtained + self.tokens.expires_in - RENEW_BEFORE:
            self._renew()
        return self.tokens.access_token

    def _renew(self) -> None:
        assert self.tokens.refresh_token, f"{self.name}: no refresh token to renew with"
        answer = httpx.post(
            discover(self.issuer).token_endpoint,
            data={
                "grant_type": "refresh_token",
                "client_id": self.client_id,
                "refresh_token": self.tokens.refresh_token,
            },
            timeout=TIMEOUT,
        )
        assert answer.status_code == 200, f"{self.name}: renewal refused ({answer.status_code})"
        self.tokens, self.obtained = TokenResponse.from_json(answer.json()), time.monotonic()


@dataclass(frozen=True)
class Finding:
    """One broken answer: which operation, as whom, what came back."""

    operation: str
    person: str
    mode: str
    status: int
    checks: tuple[str, ...]
    detail: str

    @property
    def kind(self) -> tuple[str, int, tuple[str, ...]]:
        return (self.operation, self.status, self.checks)


# Path parameter values of objects that exist (seeded before the run), so
# that some cases reach the objects' 200 answers and not only 404s.
Known = dict[str, list[str]]
# For an edit of a known object: the If-Match its current version needs.
CurrentEtag = Callable[[Case, str], str | None]


@dataclass(frozen=True)
class Drawn:
    """A generated case, ready to send as `person`."""

    case: Case
    person: SignedIn
    mode: GenerationMode
    headers: dict[str, Any]


@dataclass
class Fuzzer:
    base_url: str
    known: Known
    current_etag: CurrentEtag
    workers: int = 4
    sent: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    findings: list[Finding] = field(default_factory=list)
    _local: threading.local = field(default_factory=threading.local)

    def strategy(self, operation: APIOperation, mode: GenerationMode) -> st.SearchStrategy[Case]:
        """Generated cases, and as many again aimed at the known objects."""
        generated = operation.as_strategy(generation_mode=mode)
        names = [p.name for p in operation.path_parameters]
        if not names or not all(name in self.known for name in names):
            return generated
        aimed = st.fixed_dictionaries({n: st.sampled_from(self.known[n]) for n in names}).flatmap(
            lambda values: operation.as_strategy(generation_mode=mode, path_parameters=values)
        )
        return st.one_of(generated, aimed)

    def draw(
        self,
        operation: APIOperation,
        person: SignedIn,
        mode: GenerationMode,
        examples: int,
        run_seed: int,
    ) -> list[Drawn]:
        """Up to `examples` cases (fewer when Hypothesis runs out of new ones)."""
        drawn: list[Drawn] = []

        @seed(run_seed)
        @settings(
            max_examples=examples,
            deadline=None,
            database=None,
            phases=[Phase.generate],  # nothing fails in here: the checks run later
            suppress_health_check=list(HealthCheck),
        )
        @given(case=self.strategy(operation, mode))
        def collect(case: Case) -> None:
            drawn.append(Drawn(case, person, mode, self._headers(case, person, mode)))

        try:
            collect()
        except Unsatisfiable:
            # Nothing of this operation can be made invalid (no parameters,
            # no body): the positive cases cover it.
            assert mode is GenerationMode.NEGATIVE, operation.label
        return drawn

    def _headers(self, case: Case, person: SignedIn, mode: GenerationMode) -> dict[str, Any]:
        headers: dict[str, Any] = {"Authorization": f"Bearer {person.bearer()}"}
        if mode is GenerationMode.POSITIVE and _needs_key(case):
            headers[IDEMPOTENCY_KEY] = str(uuid.uuid4())
        return headers

    def _send(self, drawn: Drawn) -> requests.Response:
        """One request, on this thread's connection pool: plain HTTP, so it
        runs in a worker thread (generation and checks stay on the main one;
        Hypothesis and schemathesis's caches are not thread-safe)."""
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
        headers = dict(drawn.headers)
        if drawn.mode is GenerationMode.POSITIVE:
            # The token drawn with the case: renewing it is the main thread's job.
            bearer = str(drawn.headers["Authorization"]).removeprefix("Bearer ")
            etag = self.current_etag(drawn.case, bearer)
            if etag is not None:
                headers["If-Match"] = etag
        request = drawn.case.as_transport_kwargs(base_url=self.base_url, headers=headers)
        response: requests.Response = session.request(
            **request, timeout=TIMEOUT, allow_redirects=False
        )
        return response

    def _answer(self, drawn: Drawn) -> requests.Response | requests.RequestException:
        try:
            return self._send(drawn)
        except requests.RequestException as error:
            return error

    def lost(self, drawn: Drawn, error: requests.RequestException) -> None:
        """No answer at all (the gateway dropped the connection: an error it
        did not handle), a finding like any broken answer."""
        case = drawn.case
        self.sent[case.operation.label] += 1
        sent = f"path={case.path_parameters} query={case.query} body={str(case.body)[:300]}"
        self.findings.append(
            Finding(
                case.operation.label,
                drawn.person.name,
                drawn.mode.value,
                0,
                ("No response",),
                f"  sent: {sent}\n  error: {type(error).__name__}: {str(error)[:300]}",
            )
        )

    def check(self, drawn: Drawn, response: requests.Response) -> None:
        case = drawn.case
        self.sent[case.operation.label] += 1
        self.statuses[response.status_code] += 1
        try:
            case.validate_response(response, checks=CHECKS, headers=drawn.headers)
        except FailureGroup as group:
            self.findings.append(
                Finding(
                    case.operation.label,
                    drawn.person.name,
                    drawn.mode.value,
                    response.status_code,
                    tuple(sorted({f.title for f in group.exceptions})),
                    _describe(case, response.content, group),
                )
            )

    def fuzz_round(
        self,
        operations: list[APIOperation],
        people: list[SignedIn],
        modes: tuple[GenerationMode, ...],
        examples: int,
        run_seed: int,
    ) -> None:
        """Per operation: its cases as every person in every mode, sent a few
        at a time (the stack serves callers concurrently), then checked."""
        started = time.monotonic()
        with ThreadPoolExecutor(self.workers) as pool:
            for operation in operations:
                batch = [
                    drawn
                    for person in people
                    for mode in modes
                    for drawn in self.draw(operation, person, mode, examples, run_seed)
                ]
                for drawn, response in zip(batch, pool.map(self._answer, batch), strict=True):
                    if isinstance(response, requests.Response):
                        self.check(drawn, response)
                    else:
                        self.lost(drawn, response)
                # Progress (seen with -s, and in the output of a run that times out).
                took = time.monotonic() - started
                print(f"{took:5.0f} s {self.total:6d} {operation.label}", flush=True)

    @property
    def total(self) -> int:
        return sum(self.sent.values())

    def report(self) -> str:
        """The findings, one line per kind with its first example."""
        first: dict[tuple[str, int, tuple[str, ...]], tuple[int, Finding]] = {}
        for finding in self.findings:
            count, example = first.get(finding.kind, (0, finding))
            first[finding.kind] = (count + 1, example)
        return "\n\n".join(
            f"{n}x {f.operation} -> {f.status} {', '.join(f.checks)} (as {f.person}, {f.mode})\n"
            f"{f.detail}"
            for n, f in first.values()
        )


def _needs_key(case: Case) -> bool:
    return any(p.name == IDEMPOTENCY_KEY for p in case.operation.headers)


def _describe(case: Case, body: bytes, group: FailureGroup) -> str:
    messages = "; ".join(f"{f.title}: {f.message}"[:400] for f in group.exceptions)
    sent = f"path={case.path_parameters} query={case.query} body={str(case.body)[:300]}"
    got = body[:400].decode("utf-8", errors="replace")
    return f"  sent: {sent}\n  got: {got}\n  why: {messages}"

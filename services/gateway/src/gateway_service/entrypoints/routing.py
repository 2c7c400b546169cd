"""GatewayRoute: the conventions every /v1 route follows, applied once.

* unknown query parameters are refused (400 naming them): a `tenant_id`
  (or any other) in the query cannot slip past as "ignored";
* text no service can keep (NUL, unpaired surrogates: domain/text.py) in
  a path or query parameter or a JSON body field is 422 naming the field;
* every mutating request (POST/PUT/PATCH/DELETE) needs an Idempotency-Key
  (documented as a required header): the first request with a key runs, a
  retry gets its response back exactly, another request under the same key
  is 422, a concurrent duplicate 409 (app/idempotency.py);
* the problem responses are documented on every route.

Routers use it with `APIRouter(route_class=GatewayRoute)` (see `router()`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from fastapi import APIRouter, Header, Request, Response
from fastapi.dependencies.models import Dependant
from fastapi.params import Depends
from fastapi.routing import APIRoute

from gateway_service.domain import text
from gateway_service.domain.idempotency import Outcome, StoredResponse, fingerprint, valid_key
from gateway_service.domain.problems import FieldError, Problem, ProblemError, bad_request
from gateway_service.entrypoints.deps import IDEMPOTENCY_KEY, gateway, session_of
from gateway_service.entrypoints.problems import STANDARD, problem_responses, respond

MUTATING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Response headers a replay gives back with the stored body.
REPLAYED_HEADERS = ("content-type", "etag", "location", "link")
# Marks an endpoint that changes nothing although its method is POST.
_NOT_A_MUTATION = "_chorus_not_a_mutation"
F = TypeVar("F", bound=Callable[..., Any])


def not_a_mutation(endpoint: F) -> F:
    """For a POST that changes nothing (a token exchange, a dry-run check):
    no Idempotency-Key needed."""
    setattr(endpoint, _NOT_A_MUTATION, True)
    return endpoint


def _key_header(
    key: str = Header(
        alias=IDEMPOTENCY_KEY,
        description="A unique key per operation (e.g. a UUID); a retry sends the same key"
        " and gets the first response back. Kept 24 hours.",
        min_length=1,
        max_length=255,
    ),
) -> None:
    return None


class GatewayRoute(APIRoute):
    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        methods = {m.upper() for m in kwargs.get("methods") or ()}
        self.idempotent = bool(methods & MUTATING) and not getattr(endpoint, _NOT_A_MUTATION, False)
        if self.idempotent:
            kwargs["dependencies"] = [*(kwargs.get("dependencies") or []), Depends(_key_header)]
        kwargs["responses"] = {**problem_responses(*STANDARD), **(kwargs.get("responses") or {})}
        super().__init__(path, endpoint, **kwargs)
        self.query_names = frozenset(_query_names(self.dependant))

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            unknown = sorted(set(request.query_params) - self.query_names)
            if unknown:
                raise bad_request(
                    "unknown query parameters",
                    *(FieldError(f"query.{name}", "unknown parameter") for name in unknown),
                )
            unstorable = await _unstorable_fields(request)
            if unstorable:
                raise ProblemError(
                    Problem(
                        422,
                        "validation",
                        "Invalid request",
                        "the request has invalid fields",
                        tuple(FieldError(name, text.REASON) for name in unstorable),
                    )
                )
            if not self.idempotent:
                return await handler(request)
            return await _idempotent(request, handler)

        return route


async def _unstorable_fields(request: Request) -> list[str]:
    """The path and query parameters and JSON body fields holding text no
    service can keep (domain/text.py)."""
    found = [f"path.{k}" for k, v in request.path_params.items() if not text.storable(str(v))]
    found += [f"query.{k}" for k, v in request.query_params.multi_items() if not text.storable(v)]
    if "json" not in request.headers.get("content-type", ""):
        return found
    body = await request.body()  # cached: the handler reads it again
    # Valid JSON spells those characters only as \u escapes, or (surrogates)
    # as their UTF-8-like bytes starting 0xED: most bodies need no parse.
    if b"\\u" in body or b"\xed" in body:
        try:
            document = json.loads(body)
        except ValueError:
            return found  # malformed: FastAPI answers it, naming the body
        found += text.unstorable_fields(document)
    return found


def _query_names(dependant: Dependant) -> set[str]:
    names = {p.alias for p in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


async def _idempotent(
    request: Request, handler: Callable[[Request], Coroutine[Any, Any, Response]]
) -> Response:
    session = await session_of(request)  # the key is the caller's: verify first
    key = request.headers.get(IDEMPOTENCY_KEY, "")
    if not valid_key(key):
        raise bad_request(
            "mutating requests need an Idempotency-Key header",
            FieldError(
                f"header.{IDEMPOTENCY_KEY}", "required: 1 to 255 printable ASCII characters"
            ),
        )
    body = await request.body()  # cached on the request: the handler reads it again
    print_ = fingerprint(
        request.method,
        request.url.path,
        request.url.query,
        body,
        request.headers.get("if-match", ""),
    )
    principal = session.principal
    store = gateway(request).idempotency
    scope = (principal.tenant_id, principal.subject, key)
    outcome, stored = await store.begin(*scope, print_)
    if outcome is Outcome.REPLAY and stored is not None:
        return Response(
            stored.body,
            status_code=stored.status,
            headers={**stored.headers, "Idempotent-Replayed": "true"},
        )
    if outcome is Outcome.MISMATCH:
        problem = Problem(
            422,
            "idempotency-key-reused",
            "Idempotency-Key reused",
            "this key was used for another request; use a new key",
            (FieldError(f"header.{IDEMPOTENCY_KEY}", "used for another request"),),
        )
        return respond(problem, request.url.path)
    if outcome is Outcome.IN_PROGRESS:
        problem = Problem(
            409,
            "idempotency-key-in-use",
            "Request in progress",
            "a request with this key is still running; retry later",
            headers={"Retry-After": "1"},
        )
        return respond(problem, request.url.path)
    try:
        response = await handler(request)
    except BaseException:
        await store.release(*scope)
        raise
    if 200 <= response.status_code < 300:
        headers = {k: v for k, v in response.headers.items() if k in REPLAYED_HEADERS}
        await store.complete(
            *scope, StoredResponse(response.status_code, headers, bytes(response.body))
        )
    else:
        await store.release(*scope)
    return response


def router(prefix: str = "", tags: list[str] | None = None) -> APIRouter:
    """An APIRouter whose routes follow the gateway's conventions."""
    return APIRouter(prefix=prefix, tags=list(tags or []), route_class=GatewayRoute)

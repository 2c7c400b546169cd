"""Every error as problem+json (domain/problems.py), from wherever it comes:

* bad input FastAPI finds (RequestValidationError): each field named by its
  JSON path ("body.targeting.countries[0]", "query.limit"); malformed JSON
  is 400 naming the body, everything else 422;
* a service's gRPC status: INVALID_ARGUMENT -> 400 with the field from the
  google.rpc.BadRequest detail ("path.<field>" when the route took it from
  its path, "body.<field>" otherwise), NOT_FOUND 404, ALREADY_EXISTS 409,
  FAILED_PRECONDITION 409 (412 where a route knows it is a stale version),
  PERMISSION_DENIED 403, UNAUTHENTICATED 401, RESOURCE_EXHAUSTED 429,
  UNAVAILABLE and DEADLINE_EXCEEDED 503, anything else 502;
* the gateway's own DomainErrors (same mapping) and ProblemErrors;
* Starlette's 404/405 for unknown routes and methods;
* anything unexpected: 500 saying only that, logged with its trace.

No response repeats a value from the request or an internal message.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Sequence
from typing import Any

import grpc
from chorus_core.errors import (
    AlreadyExists,
    DomainError,
    FailedPrecondition,
    InvalidArgument,
    NotFound,
    PermissionDenied,
    Unauthenticated,
)
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from google.rpc import error_details_pb2
from grpc_status import rpc_status
from pydantic import BaseModel, ConfigDict
from starlette.exceptions import HTTPException

from gateway_service.domain.problems import (
    PROBLEM_JSON,
    FieldError,
    Problem,
    ProblemError,
    unauthenticated,
)

log = logging.getLogger(__name__)

# gRPC status -> (HTTP status, problem kind, title)
GRPC_STATUS: dict[grpc.StatusCode, tuple[int, str, str]] = {
    grpc.StatusCode.INVALID_ARGUMENT: (400, "validation", "Invalid request"),
    grpc.StatusCode.OUT_OF_RANGE: (400, "validation", "Invalid request"),
    grpc.StatusCode.NOT_FOUND: (404, "not-found", "Not found"),
    grpc.StatusCode.ALREADY_EXISTS: (409, "already-exists", "Already exists"),
    grpc.StatusCode.FAILED_PRECONDITION: (409, "conflict", "Conflict with the current state"),
    grpc.StatusCode.ABORTED: (409, "conflict", "Conflict with the current state"),
    grpc.StatusCode.PERMISSION_DENIED: (403, "forbidden", "Forbidden"),
    grpc.StatusCode.RESOURCE_EXHAUSTED: (429, "rate-limited", "Too many requests"),
    grpc.StatusCode.UNAVAILABLE: (503, "unavailable", "Service unavailable"),
    grpc.StatusCode.DEADLINE_EXCEEDED: (503, "unavailable", "Service unavailable"),
    grpc.StatusCode.CANCELLED: (503, "unavailable", "Service unavailable"),
}
# Messages safe to pass on: a service's 4xx reasons name fields and states,
# never values (chorus_core.errors). Its internal errors are not passed on.
_PASS_DETAIL = {400, 403, 404, 409, 412}

DOMAIN_STATUS: dict[type[DomainError], grpc.StatusCode] = {
    InvalidArgument: grpc.StatusCode.INVALID_ARGUMENT,
    NotFound: grpc.StatusCode.NOT_FOUND,
    FailedPrecondition: grpc.StatusCode.FAILED_PRECONDITION,
    AlreadyExists: grpc.StatusCode.ALREADY_EXISTS,
    PermissionDenied: grpc.StatusCode.PERMISSION_DENIED,
}


def grpc_problem(error: grpc.aio.AioRpcError, path_params: Collection[str] = ()) -> Problem:
    """`path_params`: the route's path parameters; a field the service
    refused that the caller sent in the path is named `path.<field>`."""
    code = error.code()
    if code == grpc.StatusCode.UNAUTHENTICATED:
        return unauthenticated("the service did not accept the caller's identity").problem
    status, kind, title = GRPC_STATUS.get(code, (502, "upstream", "Upstream error"))
    detail = (error.details() or title) if status in _PASS_DETAIL else title
    errors: list[FieldError] = []
    if status == 400:
        found = rpc_status.from_call(error)
        for any_detail in found.details if found is not None else ():
            bad = error_details_pb2.BadRequest()
            if any_detail.Unpack(bad):
                errors += [
                    FieldError(
                        f"{'path' if v.field in path_params else 'body'}.{v.field}", v.description
                    )
                    for v in bad.field_violations
                ]
    headers = {"Retry-After": "1"} if status in (429, 503) else {}
    return Problem(status, kind, title, detail, tuple(errors), headers)


def domain_problem(error: DomainError) -> Problem:
    if isinstance(error, Unauthenticated):
        return unauthenticated(error.message).problem
    code = next(
        (DOMAIN_STATUS[c] for c in type(error).__mro__ if c in DOMAIN_STATUS),
        grpc.StatusCode.FAILED_PRECONDITION,
    )
    status, kind, title = GRPC_STATUS[code]
    errors = (
        (FieldError(f"body.{error.field}", error.reason),)
        if isinstance(error, InvalidArgument)
        else ()
    )
    return Problem(status, kind, title, error.message, errors)


def json_path(location: Sequence[str | int]) -> str:
    """("body", "targeting", "countries", 0) -> "body.targeting.countries[0]"."""
    path = ""
    for part in location:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path or "body"


_REASONS = {
    "missing": "required",
    "extra_forbidden": "unknown field",
    "json_invalid": "malformed JSON",
    "json_type": "must be a JSON object",
}


def validation_problem(error: RequestValidationError) -> Problem:
    errors = []
    malformed = False
    for item in error.errors():
        kind = str(item.get("type", ""))
        malformed |= kind in ("json_invalid", "json_type")
        location = [p for p in item.get("loc", ()) if isinstance(p, str | int)]
        if kind == "json_invalid":
            location = ["body"]  # the parser's position is not a field
        # msg, never input: the rule broken, not the value that broke it.
        errors.append(FieldError(json_path(location), _REASONS.get(kind, str(item.get("msg")))))
    if malformed:
        return Problem(
            400, "malformed", "Malformed request body", "the body is not valid JSON", tuple(errors)
        )
    return Problem(
        422, "validation", "Invalid request", "the request has invalid fields", tuple(errors)
    )


def respond(problem: Problem, instance: str) -> JSONResponse:
    return JSONResponse(
        problem.body(instance),
        status_code=problem.status,
        media_type=PROBLEM_JSON,
        headers=problem.headers,
    )


def install(app: FastAPI) -> None:
    async def on_problem(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, ProblemError)
        return respond(error.problem, request.url.path)

    async def on_validation(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, RequestValidationError)
        return respond(validation_problem(error), request.url.path)

    async def on_grpc(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, grpc.aio.AioRpcError)
        return respond(grpc_problem(error, request.path_params), request.url.path)

    async def on_domain(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, DomainError)
        return respond(domain_problem(error), request.url.path)

    async def on_http(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, HTTPException)
        titles = {404: "Not found", 405: "Method not allowed", 413: "Request body too large"}
        title = titles.get(error.status_code, "Request refused")
        kind = {404: "not-found", 405: "method-not-allowed", 413: "too-large"}.get(
            error.status_code, "bad-request"
        )
        detail = (
            error.detail if isinstance(error.detail, str) and error.status_code != 404 else title
        )
        problem = Problem(error.status_code, kind, title, detail, headers=dict(error.headers or {}))
        return respond(problem, request.url.path)

    async def on_anything(request: Request, error: Exception) -> JSONResponse:
        log.error("unhandled error", exc_info=(type(error), error, None))
        return respond(
            Problem(500, "internal", "Internal error", "the gateway failed"), request.url.path
        )

    app.add_exception_handler(ProblemError, on_problem)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(grpc.aio.AioRpcError, on_grpc)
    app.add_exception_handler(DomainError, on_domain)
    app.add_exception_handler(HTTPException, on_http)
    app.add_exception_handler(Exception, on_anything)


class FieldErrorModel(BaseModel):
    model_config = ConfigDict(title="FieldError")
    field: str
    reason: str


class ProblemModel(BaseModel):
    """RFC 9457 problem details."""

    model_config = ConfigDict(title="Problem")
    type: str
    title: str
    status: int
    detail: str
    instance: str
    errors: list[FieldErrorModel] | None = None


_DESCRIPTIONS = {
    400: "Bad request: malformed JSON, a bad cursor or header, or a field the service refused",
    401: "Missing or invalid bearer token",
    403: "The caller may not do this",
    404: "Not found (or another tenant's)",
    409: "Conflict: the object's state forbids it, or the Idempotency-Key is in use",
    412: "If-Match does not match the current version",
    413: "Request body too large",
    422: "Invalid fields, or an Idempotency-Key reused with another request",
    428: "If-Match is required",
    429: "Rate limit exceeded (see Retry-After)",
    503: "A service behind the gateway is unavailable",
}


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {
        status: {
            "description": _DESCRIPTIONS[status],
            "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for status in statuses
    }


# What every authenticated route may answer.
STANDARD = (400, 401, 403, 404, 409, 413, 422, 429, 503)

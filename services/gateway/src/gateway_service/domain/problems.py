"""Problem details (RFC 9457): every error the gateway answers.

One shape for all of them, so a client handles errors once: `type` (a URI
naming the kind of problem), `title` (the kind, for humans), `status`,
`detail` (this occurrence), `instance` (the request path) and, for bad
input, `errors`: each field named by its JSON path with the rule it breaks.
Never a value from the request (it may be personal data) and never a
server-side internal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "https://chorus.dev/problems/"


@dataclass(frozen=True)
class FieldError:
    field: str  # JSON path: "body", "title", "targeting.channel_ids[1]", "query.limit"
    reason: str


@dataclass(frozen=True)
class Problem:
    status: int
    kind: str  # the last segment of `type`: "validation", "not-found", ...
    title: str
    detail: str = ""
    errors: tuple[FieldError, ...] = ()
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def type(self) -> str:
        return f"{TYPE_BASE}{self.kind}"

    def body(self, instance: str) -> dict[str, Any]:
        document: dict[str, Any] = {
            "type": self.type,
            "title": self.title,
            "status": self.status,
            "detail": self.detail or self.title,
            "instance": instance,
        }
        if self.errors:
            document["errors"] = [{"field": e.field, "reason": e.reason} for e in self.errors]
        return document


class ProblemError(Exception):
    """Raised anywhere in a request; the app answers it as problem+json."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.detail or problem.title)
        self.problem = problem


def bad_request(detail: str, *errors: FieldError) -> ProblemError:
    return ProblemError(Problem(400, "bad-request", "Bad request", detail, tuple(errors)))


def invalid(status: int, detail: str, *errors: FieldError) -> ProblemError:
    """Input that parses but breaks a rule (400 or 422)."""
    return ProblemError(Problem(status, "validation", "Invalid request", detail, tuple(errors)))


def unauthenticated(detail: str) -> ProblemError:
    return ProblemError(
        Problem(
            401,
            "unauthenticated",
            "Unauthenticated",
            detail,
            headers={"WWW-Authenticate": 'Bearer realm="chorus", error="invalid_token"'},
        )
    )


def forbidden(detail: str) -> ProblemError:
    return ProblemError(Problem(403, "forbidden", "Forbidden", detail))


def conflict(kind: str, title: str, detail: str) -> ProblemError:
    return ProblemError(Problem(409, kind, title, detail))


def too_many(retry_after_seconds: int, detail: str) -> ProblemError:
    return ProblemError(
        Problem(
            429,
            "rate-limited",
            "Too many requests",
            detail,
            headers={"Retry-After": str(max(1, retry_after_seconds))},
        )
    )

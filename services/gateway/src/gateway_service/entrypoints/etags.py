"""ETags of versioned resources and the If-Match precondition of edits
(RFC 9110 §13.1.1): an edit names the version it was made from; missing is
428, another version is 412, so two editors never overwrite each other."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import Header

from gateway_service.domain.problems import FieldError, Problem, ProblemError

_ETAG = re.compile(r'^"v(\d{1,9})"$')

IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        description='The ETag of the version this edit was made from, e.g. "v3"',
        max_length=64,
    ),
]


def etag(version: int) -> str:
    return f'"v{version}"'


def expected_version(if_match: str | None) -> int:
    """The version an edit's If-Match names (428 without one, 412 when it is
    not one of our ETags)."""
    if not if_match:
        raise ProblemError(
            Problem(
                428,
                "precondition-required",
                "If-Match required",
                "send If-Match with the ETag of the version you edited",
                (FieldError("header.If-Match", "required"),),
            )
        )
    found = _ETAG.match(if_match.strip())
    if found is None or int(found.group(1)) < 1:
        raise stale("If-Match is not the ETag of a version of this resource")
    return int(found.group(1))


def stale(detail: str = "the resource changed since you read it; reload it") -> ProblemError:
    return ProblemError(
        Problem(
            412,
            "precondition-failed",
            "Precondition failed",
            detail,
            (FieldError("header.If-Match", "not the current version"),),
        )
    )

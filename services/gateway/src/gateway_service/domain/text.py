"""Text the services can keep: no NUL character, no lone surrogate.

PostgreSQL's text types refuse U+0000 and UTF-8 has no encoding for a
surrogate code point (JSON can still spell both: "\\u0000", "\\ud800"), so
such a string in a query parameter or a body field would reach a service
and fail there as an internal error. The gateway refuses them up front,
naming the field, like any other invalid input.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

REASON = "must not contain NUL characters or unpaired surrogates"


def storable(value: str) -> bool:
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def unstorable_fields(document: Any, where: str = "body") -> Iterator[str]:
    """The JSON paths ("body.targeting.countries[0]") of the strings, keys
    included, that are not storable."""
    if isinstance(document, str):
        if not storable(document):
            yield where
    elif isinstance(document, dict):
        for key, value in document.items():
            path = f"{where}.{key}" if storable(key) else where
            if path == where:
                yield where
            yield from unstorable_fields(value, path)
    elif isinstance(document, list):
        for index, value in enumerate(document):
            yield from unstorable_fields(value, f"{where}[{index}]")

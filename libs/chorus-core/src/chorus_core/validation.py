"""Input checks shared by every service (pure functions, no I/O)."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from chorus_core.errors import InvalidArgument

# BCP 47 as used here: a 2-3 letter language, optional script and region.
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
# The ids Chorus assigns (chorus_core.ids: UUIDv7 or UUIDv5), in canonical form.
_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def require(field: str, value: str) -> str:
    if not value or not value.strip():
        raise InvalidArgument(field, "must not be empty")
    return value


def language_code(field: str, value: str) -> str:
    if not _LANGUAGE.match(value or ""):
        raise InvalidArgument(
            field, f"{value!r} is not a BCP 47 language code (e.g. 'en', 'pt-BR')"
        )
    return value


def country_code(field: str, value: str) -> str:
    if not _COUNTRY.match(value or ""):
        raise InvalidArgument(field, f"{value!r} is not an ISO 3166-1 alpha-2 country code")
    return value


def chorus_id(field: str, value: str) -> str:
    """An id another service assigned (a segment, a channel): checked for its
    form only, so a label or a name typed where an id belongs is refused at
    once instead of failing later in the service that owns the id."""
    if not _ID.match(value or ""):
        raise InvalidArgument(field, f"{value!r} is not a Chorus id (a lowercase UUID)")
    return value


def timezone_name(field: str, value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidArgument(field, f"{value!r} is not an IANA timezone") from None
    return value


def tenant_id(value: str) -> str:
    return require("tenant_id", value)

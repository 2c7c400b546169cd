"""Tracked links: short codes, target URL checks, UTM tagging. Pure: no I/O."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import quote, unquote_plus, urlsplit, urlunsplit

from chorus_core.errors import InvalidArgument
from chorus_core.validation import country_code, require

CODE_LENGTH = 8
# 62**8 ~ 2.2e14 codes: at a few million links the chance that a new share's
# first candidate is taken is ~1e-8, and the next candidate resolves it.
MAX_CODE_ATTEMPTS = 8
_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_CODE = re.compile(rf"^[0-9A-Za-z]{{{CODE_LENGTH}}}$")
MAX_URL_LENGTH = 2048
# ISO 3166-1 reserves ZZ for user assignment; it is the usual "unknown country".
UNKNOWN_COUNTRY = "ZZ"
UTM_MEDIUM = "employee_advocacy"
UTM_KEYS = ("utm_source", "utm_medium", "utm_campaign", "utm_content")


@dataclass(frozen=True)
class TrackedLink:
    code: str
    tenant_id: str
    share_id: str
    post_id: str
    employee_id: str
    country: str
    network: str
    target_url: str
    campaign: str


def _base62(number: int, length: int) -> str:
    chars = []
    for _ in range(length):
        number, digit = divmod(number, 62)
        chars.append(_ALPHABET[digit])
    return "".join(reversed(chars))


def candidate_codes(tenant_id: str, share_id: str) -> Iterator[str]:
    """The codes a share may get, in order. The first free one is used, so a
    share always gets the same code (deterministic, url-safe, unguessable
    without the share id); later candidates only matter on a collision."""
    for attempt in range(MAX_CODE_ATTEMPTS):
        digest = hashlib.sha256(f"{tenant_id}\x1f{share_id}\x1f{attempt}".encode()).digest()
        yield _base62(int.from_bytes(digest[:16], "big"), CODE_LENGTH)


def is_code(value: str) -> bool:
    return bool(_CODE.match(value))


def target_url(value: str) -> str:
    require("target_url", value)
    if len(value) > MAX_URL_LENGTH or any(ch.isspace() for ch in value):
        raise InvalidArgument(
            "target_url", f"must be a URL without spaces, at most {MAX_URL_LENGTH} characters"
        )
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise InvalidArgument("target_url", "must be an absolute http(s) URL")
    return value


def country(value: str) -> str:
    """A link's country is the sharer's (we never geolocate visitors)."""
    value = value.strip().upper()
    return country_code("country", value) if value else UNKNOWN_COUNTRY


def country_or_unknown(value: str) -> str:
    """For facts that already happened (events): count them under "ZZ"
    rather than reject them over a malformed country."""
    value = value.strip().upper()
    return value if re.fullmatch(r"[A-Z]{2}", value) else UNKNOWN_COUNTRY


def new_link(
    *,
    code: str,
    tenant_id: str,
    share_id: str,
    post_id: str,
    employee_id: str,
    country_value: str,
    network: str,
    target: str,
    campaign: str,
) -> TrackedLink:
    for field_name, value in (
        ("tenant_id", tenant_id),
        ("share_id", share_id),
        ("post_id", post_id),
        ("employee_id", employee_id),
        ("network", network),
    ):
        require(field_name, value)
    return TrackedLink(
        code=code,
        tenant_id=tenant_id,
        share_id=share_id,
        post_id=post_id,
        employee_id=employee_id,
        country=country(country_value),
        network=network.strip().lower(),
        target_url=target_url(target),
        campaign=campaign.strip(),
    )


def redirect_url(link: TrackedLink) -> str:
    """The target with our four UTM parameters. Every other query parameter is
    kept byte for byte, in order; an existing utm_source/medium/campaign/content
    is replaced, because analytics tools read the first occurrence and the
    attribution of a tracked click is ours to state. The fragment is kept."""
    parts = urlsplit(link.target_url)
    kept = [
        segment
        for segment in parts.query.split("&")
        if segment and unquote_plus(segment.split("=", 1)[0]) not in UTM_KEYS
    ]
    ours = {
        "utm_source": link.network,
        "utm_medium": UTM_MEDIUM,
        "utm_campaign": link.campaign or link.post_id,
        "utm_content": link.share_id,
    }
    kept += [f"{key}={quote(value, safe='')}" for key, value in ours.items()]
    return urlunsplit(parts._replace(query="&".join(kept)))

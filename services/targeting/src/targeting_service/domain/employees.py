"""Employees of the directory and how one HR-export row becomes one. Pure: no I/O."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from chorus_core.errors import InvalidArgument
from chorus_core.ids import stable_id
from chorus_core.validation import language_code, require, timezone_name

from targeting_service.domain.countries import ISO_3166_ALPHA2, valid_country

# The columns an HR export must have; extra columns are ignored (real exports
# carry many more than we need, and we must not store what we do not use).
REQUIRED_COLUMNS = (
    "external_id",
    "email",
    "display_name",
    "country",
    "language",
    "timezone",
    "department",
    "status",
    "opted_in",
    "auto_share",
    "home_region",
)

# Deliberately loose: the HR system owns e-mail correctness; we only refuse
# what is clearly not an address (a name in the wrong column, a missing @).
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_REGION = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_TRUE = frozenset({"true", "yes", "1", "y"})
_FALSE = frozenset({"false", "no", "0", "n"})


@dataclass(frozen=True)
class Employee:
    employee_id: str
    tenant_id: str
    external_id: str
    email: str
    display_name: str
    country: str
    language: str
    timezone: str
    department: str
    active: bool
    opted_in: bool
    auto_share: bool
    home_region: str


def employee_id_for(tenant_id: str, external_id: str) -> str:
    """Stable per (tenant, external id): re-importing never changes an id, so
    shares and points already attached to the person stay attached."""
    return stable_id("employee", tenant_id, external_id)


def normalise_language(value: str) -> str:
    """Canonical BCP 47 casing (en, pt-BR, zh-Hant-TW) so 'EN' and 'en' are one
    language in audience counts; anything else is left for validation."""
    parts = value.strip().replace("_", "-").split("-")
    out = [parts[0].lower()]
    for part in parts[1:]:
        out.append(part.title() if len(part) == 4 else part.upper())
    return "-".join(out)


def parse_bool(field: str, value: str) -> bool:
    folded = value.strip().lower()
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    raise InvalidArgument(field, f"{value!r} is not true or false")


def parse_status(value: str) -> bool:
    folded = value.strip().lower()
    if folded not in ("active", "inactive"):
        raise InvalidArgument("status", f"{value!r} is not active or inactive")
    return folded == "active"


def valid_region(field: str, value: str) -> str:
    if not _REGION.match(value):
        raise InvalidArgument(field, f"{value!r} is not a region name like 'eu-west'")
    return value


def employee_from_row(tenant_id: str, row: Mapping[str, str]) -> Employee:
    """Validates one export row; the first bad column raises InvalidArgument
    naming the column and the value."""
    fields = {name: (row.get(name) or "").strip() for name in REQUIRED_COLUMNS}
    for name in REQUIRED_COLUMNS:
        require(name, fields[name])
    if not _EMAIL.match(fields["email"]):
        raise InvalidArgument("email", f"{fields['email']!r} is not an e-mail address")
    if fields["country"].upper() not in ISO_3166_ALPHA2:
        valid_country("country", fields["country"])  # raises, naming the value as written
    country = fields["country"].upper()
    language = language_code("language", normalise_language(fields["language"]))
    timezone = timezone_name("timezone", fields["timezone"])
    return Employee(
        employee_id=employee_id_for(tenant_id, fields["external_id"]),
        tenant_id=tenant_id,
        external_id=fields["external_id"],
        email=fields["email"].lower(),
        display_name=fields["display_name"],
        country=country,
        language=language,
        timezone=timezone,
        department=fields["department"],
        active=parse_status(fields["status"]),
        opted_in=parse_bool("opted_in", fields["opted_in"]),
        auto_share=parse_bool("auto_share", fields["auto_share"]),
        home_region=valid_region("home_region", fields["home_region"]),
    )

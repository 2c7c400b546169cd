"""Employees of the directory and how one HR-export row becomes one. Pure: no I/O."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TypedDict

from chorus_core.errors import InvalidArgument
from chorus_core.ids import stable_id
from chorus_core.validation import language_code, require, timezone_name

from targeting_service.domain.countries import ISO_3166_ALPHA2

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
_HOURS = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]$")
_NETWORK = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
# The part of an ISO 3166-2 code after the country and the dash ("BY" of DE-BY).
_SUBDIVISION = re.compile(r"^[A-Z0-9]{1,3}$")
STATUSES = ("active", "inactive", "leave")
# Optional columns: absent from older exports; their defaults keep those valid.
OPTIONAL_COLUMNS = (
    "title",
    "manager",
    "hire_date",
    "groups",
    "consent",
    "opt_in_source",
    "networks",
    "max_shares_per_day",
    "sharing_hours",
    "social_accounts",
    "subdivision",
)
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
    title: str = ""
    manager: str = ""
    employment_status: str = "active"
    hire_date: date | None = None
    consent: bool = True
    opt_in_source: str = ""
    sharing_networks: tuple[str, ...] = ()
    max_shares_per_day: int = 0
    sharing_hours: str = ""
    # Where the country's own calendar is not the whole story (public holidays
    # of a German Land, a Spanish community, a US state): ISO 3166-2 after
    # the dash, empty when not known. Scheduling's planner avoids its holidays.
    subdivision: str = ""
    # When the opt-in that holds now was chosen (None while not opted in);
    # read from the directory, never from an import row.
    opted_in_at: datetime | None = None


@dataclass(frozen=True)
class SocialAccount:
    network: str
    handle: str
    followers: int


@dataclass(frozen=True)
class DirectoryEntry:
    """One person as an import states them: the employee row plus the
    many-valued parts (group names, social accounts) stored beside it."""

    employee: Employee
    groups: tuple[str, ...] | None = None  # None: the export has no groups column
    accounts: tuple[SocialAccount, ...] | None = field(default=None)


# Why a person cannot be provisioned again, by the import (a row error) or
# SCIM (the error's detail); both read the same tombstone (DirectoryStore.erased).
ERASED = "this person was erased (GDPR)"


def employee_id_for(tenant_id: str, external_id: str) -> str:
    """Stable per (tenant, external id): re-importing never changes an id, so
    shares and points already attached to the person stay attached."""
    return stable_id("employee", tenant_id, external_id)


def _rule_only(field: str, rule: str, check: Callable[[str, str], str], value: str) -> str:
    """A shared validator's verdict on an export's cell, restated as the field
    and the rule only. An import's errors are returned, stored for request_id
    replays and shown; a cell is personal data (an e-mail, a handle), so the
    errors of a row never repeat it: the line and the field find it."""
    try:
        return check(field, value)
    except InvalidArgument:
        raise InvalidArgument(field, rule) from None


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
    raise InvalidArgument(field, "not true or false")


def parse_status(value: str) -> bool:
    return employment_status(value) == "active"


def employment_status(value: str) -> str:
    folded = value.strip().lower()
    if folded not in STATUSES:
        raise InvalidArgument("status", f"not one of {', '.join(STATUSES)}")
    return folded


def valid_network(field: str, value: str) -> str:
    folded = value.strip().lower()
    if not _NETWORK.match(folded):
        raise InvalidArgument(field, "not a network name like 'bluesky'")
    return folded


def parse_accounts(value: str) -> tuple[SocialAccount, ...]:
    """'bluesky:@ana.example.com:120;linkedin:ana-garcia:0' (followers optional)."""
    accounts: dict[str, SocialAccount] = {}
    for item in filter(None, (part.strip() for part in value.split(";"))):
        parts = item.split(":")
        if len(parts) not in (2, 3) or not parts[1].strip():
            raise InvalidArgument("social_accounts", "an account is not network:handle[:followers]")
        followers = parts[2].strip() if len(parts) == 3 else "0"
        if not followers.isdigit():
            raise InvalidArgument("social_accounts", "a follower count is not a whole number")
        network = valid_network("social_accounts", parts[0])
        accounts[network] = SocialAccount(network, parts[1].strip(), int(followers))
    return tuple(accounts.values())


class _OptionalFields(TypedDict):
    """The columns an import may leave empty (typed, so Employee(**...) is checked)."""

    title: str
    manager: str
    hire_date: date | None
    consent: bool
    opt_in_source: str
    sharing_networks: tuple[str, ...]
    max_shares_per_day: int
    sharing_hours: str
    subdivision: str


def subdivision_code(country: str, value: str, field: str = "subdivision") -> str:
    """'BY' or 'DE-BY' (for a DE employee) -> 'BY'; empty stays empty. The
    full code must name the employee's own country."""
    code = value.strip().upper()
    if "-" in code:
        prefix, _, code = code.partition("-")
        if prefix != country:
            raise InvalidArgument(
                field, "an ISO 3166-2 code of another country than the employee's"
            )
    if code and not _SUBDIVISION.match(code):
        raise InvalidArgument(field, "not an ISO 3166-2 subdivision code like 'BY' or 'DE-BY'")
    return code


def _optional(fields: Mapping[str, str], opted_in: bool, country: str) -> _OptionalFields:
    hire_date = None
    if fields["hire_date"]:
        try:
            hire_date = date.fromisoformat(fields["hire_date"])
        except ValueError:
            raise InvalidArgument("hire_date", "not a date (YYYY-MM-DD)") from None
    hours = fields["sharing_hours"]
    if hours and not _HOURS.match(hours):
        raise InvalidArgument("sharing_hours", "not a range like 09:00-18:00")
    max_shares = fields["max_shares_per_day"] or "0"
    if not max_shares.isdigit() or int(max_shares) > 1000:
        raise InvalidArgument("max_shares_per_day", "not a number from 0 to 1000")
    networks = tuple(
        sorted({valid_network("networks", n) for n in fields["networks"].split(";") if n.strip()})
    )
    return {
        "title": fields["title"],
        "manager": fields["manager"],
        "hire_date": hire_date,
        # An export without a consent column predates consent tracking:
        # opting in to participate was then the consent to be represented.
        "consent": parse_bool("consent", fields["consent"]) if fields["consent"] else opted_in,
        "opt_in_source": fields["opt_in_source"] or ("import" if opted_in else ""),
        "sharing_networks": networks,
        "max_shares_per_day": int(max_shares),
        "sharing_hours": hours,
        "subdivision": subdivision_code(country, fields["subdivision"]),
    }


def valid_region(field: str, value: str) -> str:
    if not _REGION.match(value):
        raise InvalidArgument(field, f"{value!r} is not a region name like 'eu-west'")
    return value


def entry_from_row(tenant_id: str, row: Mapping[str, str]) -> DirectoryEntry:
    """The employee plus their groups ('A;B') and social accounts."""
    employee = employee_from_row(tenant_id, row)
    groups = None
    if "groups" in row:
        groups = tuple(sorted({g.strip() for g in (row["groups"] or "").split(";") if g.strip()}))
        if any(len(g) > 200 for g in groups):
            raise InvalidArgument("groups", "a group name is longer than 200 characters")
    accounts = parse_accounts(row["social_accounts"] or "") if "social_accounts" in row else None
    return DirectoryEntry(employee, groups, accounts)


def employee_from_row(tenant_id: str, row: Mapping[str, str]) -> Employee:
    """Validates one export row; the first bad column raises InvalidArgument
    naming the column and the rule it breaks, never the value."""
    fields = {
        name: (row.get(name) or "").strip() for name in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)
    }
    for name in REQUIRED_COLUMNS:
        require(name, fields[name])
    if not _EMAIL.match(fields["email"]):
        raise InvalidArgument("email", "not a valid address")
    if fields["country"].upper() not in ISO_3166_ALPHA2:
        raise InvalidArgument("country", "not an assigned ISO 3166-1 alpha-2 country code")
    country = fields["country"].upper()
    language = _rule_only(
        "language",
        "not a BCP 47 language code (e.g. 'en', 'pt-BR')",
        language_code,
        normalise_language(fields["language"]),
    )
    timezone = _rule_only("timezone", "not an IANA timezone", timezone_name, fields["timezone"])
    opted_in = parse_bool("opted_in", fields["opted_in"])
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
        opted_in=opted_in,
        auto_share=parse_bool("auto_share", fields["auto_share"]),
        home_region=_rule_only(
            "home_region", "not a region name like 'eu-west'", valid_region, fields["home_region"]
        ),
        employment_status=employment_status(fields["status"]),
        **_optional(fields, opted_in, country),
    )

"""What a SCIM User means for the directory. Pure.

The SCIM resource is kept whole (adapters.scim_storage); this takes the
attributes targeting uses. Values the directory cannot use (a locale that is
not BCP 47, a timezone that is not IANA, a country that is not ISO 3166) fall
back to neutral defaults here rather than failing the identity provider's
request: SCIM allows any string there, and the person must still exist.
"""

from __future__ import annotations

import uuid
from typing import Any

from chorus_core.errors import InvalidArgument
from chorus_core.validation import language_code, timezone_name

from targeting_service.domain.countries import ISO_3166_ALPHA2
from targeting_service.domain.employees import Employee, normalise_language, subdivision_code

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"


def _primary(items: Any) -> dict[str, Any]:
    if not isinstance(items, list) or not items:
        return {}
    chosen = next((i for i in items if isinstance(i, dict) and i.get("primary")), items[0])
    return chosen if isinstance(chosen, dict) else {}


def _valid(check: Any, field: str, value: str, default: str) -> str:
    try:
        return str(check(field, value)) if value else default
    except InvalidArgument:
        return default


def employee_from_scim(tenant_id: str, region: str, data: dict[str, Any]) -> Employee:
    enterprise = data.get(ENTERPRISE) or {}
    manager = enterprise.get("manager") or {}
    name = data.get("name") or {}
    email = str(_primary(data.get("emails")).get("value") or data.get("userName") or "")
    address = _primary(data.get("addresses"))
    country = str(address.get("country") or "").upper()
    country = country if country in ISO_3166_ALPHA2 else ""
    language = normalise_language(str(data.get("preferredLanguage") or data.get("locale") or "en"))
    return Employee(
        employee_id=str(data["id"]),
        tenant_id=tenant_id,
        external_id=str(data.get("externalId") or data.get("userName") or data["id"])[:200],
        email=email.lower()[:320],
        display_name=str(
            data.get("displayName") or name.get("formatted") or data.get("userName") or ""
        )[:300],
        country=country,
        # SCIM's address "region" is free text (a state, "Bavaria"): used only
        # when it is an ISO 3166-2 code of the person's country.
        subdivision=_valid(
            lambda f, v: subdivision_code(country, v, f),
            "subdivision",
            str(address.get("region") or "") if country else "",
            "",
        ),
        language=_valid(language_code, "language", language, "en"),
        timezone=_valid(timezone_name, "timezone", str(data.get("timezone") or ""), "UTC"),
        department=str(enterprise.get("department") or "")[:200],
        title=str(data.get("title") or "")[:200],
        manager=str(manager.get("value") or "")[:200] if isinstance(manager, dict) else "",
        active=data.get("active") is not False,
        employment_status="active" if data.get("active") is not False else "inactive",
        # Participation is the employee's own choice, never the IdP's.
        opted_in=False,
        auto_share=False,
        consent=False,
        home_region=region,
    )


def group_members(data: dict[str, Any]) -> list[str]:
    return sorted(
        {
            str(m["value"])
            for m in data.get("members") or []
            if isinstance(m, dict) and m.get("value")
        }
    )


def new_version() -> str:
    """A weak ETag for each write: stored resources are read back per
    request, so a counter would restart."""
    return f'W/"{uuid.uuid4().hex}"'


def without_member(data: dict[str, Any], member_id: str) -> dict[str, Any]:
    """The Group without the member entry of this id (value, display, $ref)."""
    members = [
        m
        for m in data.get("members") or []
        if not (isinstance(m, dict) and str(m.get("value") or "") == member_id)
    ]
    kept = {k: v for k, v in data.items() if k != "members"}
    return {**kept, "members": members} if members else kept


def without_manager(data: dict[str, Any]) -> dict[str, Any]:
    """The User without its enterprise manager (id and displayName)."""
    enterprise = {k: v for k, v in (data.get(ENTERPRISE) or {}).items() if k != "manager"}
    kept = {k: v for k, v in data.items() if k != ENTERPRISE}
    return {**kept, ENTERPRISE: enterprise} if enterprise else kept

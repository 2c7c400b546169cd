"""Who may do what in targeting (the verified caller, chorus_identity).

Every use case names the rule it applies; the rules are:

- People only, never services, except where a service is named below.
- Tenant: a person acts in their own tenant (tenant_for: naming another is
  PERMISSION_DENIED; every query is tenant-scoped, so another tenant's
  employees, channels and segments are NOT_FOUND).
- tenant admin: the directory import (either form), erasure, the SCIM token
  (issue/rotate), and everything a comms manager may do (require_role).
- comms manager: reads the directory (GetEmployee of anyone, ListEmployees);
  validates, saves and reads segments; previews audiences of this region when
  a grant covers the region, else only audiences cut by channels they manage;
  creates channels only in regions their grants cover (a channel without
  regions is visible everywhere, so it needs a grant of every region);
  changes the managers of channels they manage. A comms manager manages a
  channel when a grant covers its id (grant.covers_channel), when they are one
  of its managers (their linked directory entry), or when a grant covers every
  region it is visible in.
- everyone of the tenant: lists its channels (to choose what to follow).
- an employee (a linked account: principal.employee_id): reads their own
  entry; records their own consent, participation and auto-share
  (RecordConsent: only they may, it is the proof of their consent);
  subscribes and unsubscribes themself; an empty employee_id means their own.
  A tenant admin may also set someone's participation and subscriptions
  (opting someone out on request), never their consent.
- service `gateway`: LinkAccount, GetAccountLink (first sign-in), for the
  tenant the request names. No other service calls TargetingService over
  gRPC (audiences reach scheduling and translation as events). A person may
  read their own account link; a tenant admin anyone's in the tenant.
"""

from __future__ import annotations

from collections.abc import Iterable

from chorus_core.errors import PermissionDenied
from chorus_identity.policy import (
    require_admin,
    require_role,
    require_service,
    tenant_for,
)
from chorus_identity.principal import ANY, Principal, Role

from targeting_service.domain.channels import Channel

GATEWAY = "gateway"
# The services that link accounts on sign-in; nobody else calls targeting.
LINKERS = frozenset({GATEWAY})


def person_tenant(actor: Principal, requested: str) -> str:
    """The tenant of a call only people make."""
    if actor.is_service:
        raise PermissionDenied("this call is for people, not services")
    return tenant_for(actor, requested)


def admin_tenant(actor: Principal, requested: str) -> str:
    tenant = person_tenant(actor, requested)
    require_admin(actor)
    return tenant


def comms_tenant(actor: Principal, requested: str) -> str:
    tenant = person_tenant(actor, requested)
    require_role(actor, Role.COMMS_MANAGER)
    return tenant


def covers_regions(actor: Principal, regions: Iterable[str]) -> bool:
    """Every region (none: everywhere, which only a grant of ANY covers)."""
    if actor.has(Role.TENANT_ADMIN):
        return True
    grants = actor.grants_of(Role.COMMS_MANAGER)
    return all(any(g.covers_region(r) for g in grants) for r in (tuple(regions) or (ANY,)))


def manages(actor: Principal, channel: Channel) -> bool:
    if actor.is_service:
        return False
    if actor.has(Role.TENANT_ADMIN):
        return True
    grants = actor.grants_of(Role.COMMS_MANAGER)
    if not grants:
        return False
    if any(g.covers_channel(channel.channel_id) for g in grants):
        return True
    if actor.employee_id and actor.employee_id in channel.managers:
        return True
    return bool(channel.regions) and covers_regions(actor, channel.regions)


def require_manages(actor: Principal, channel: Channel) -> None:
    if not manages(actor, channel):
        raise PermissionDenied("needs the role comms_manager of this channel")


def require_channel_regions(actor: Principal, regions: Iterable[str]) -> None:
    if not covers_regions(actor, regions):
        raise PermissionDenied("regions: not all managed by the caller")


def require_preview(actor: Principal, region: str, channels: Iterable[Channel]) -> None:
    """An audience of this region: a grant of the region, or channels they manage."""
    if covers_regions(actor, (region,)):
        return
    chosen = list(channels)
    if chosen and all(manages(actor, c) for c in chosen):
        return
    raise PermissionDenied("needs the role comms_manager of this region or of these channels")


def own_employee(actor: Principal, employee_id: str) -> str:
    """The caller's own directory entry (empty: theirs)."""
    if actor.is_service:
        raise PermissionDenied("this call is for people, not services")
    if not actor.employee_id:
        raise PermissionDenied("this account is not linked to a directory entry")
    if employee_id and employee_id != actor.employee_id:
        raise PermissionDenied("only the employee themself may do this")
    return actor.employee_id


def own_or(actor: Principal, employee_id: str, *roles: Role) -> str:
    """Their own entry, or anyone's for `roles` (a tenant admin always)."""
    if actor.is_service:
        raise PermissionDenied("this call is for people, not services")
    if not employee_id or employee_id == actor.employee_id:
        return own_employee(actor, employee_id)
    require_role(actor, *roles)
    return employee_id


def require_linker(actor: Principal) -> None:
    require_service(actor, LINKERS)


def link_subject(actor: Principal, subject: str) -> str:
    """Whose link a caller may read: the gateway anyone's, a person their
    own (empty: theirs), a tenant admin anyone's of the tenant."""
    if actor.is_service:
        require_linker(actor)
        return subject
    if not subject or subject == actor.subject:
        return actor.subject
    require_admin(actor)
    return subject

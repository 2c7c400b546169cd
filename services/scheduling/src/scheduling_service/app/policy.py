"""Who may do what with shares (scheduling's authorization policy).

A share goes out on an employee's own social account, so the choices about
it are the employee's alone:

  * ScheduleShare, CancelShare: only the employee the share belongs to (a
    user whose account is linked to that directory entry). ScheduleShare's
    employee_id must be the caller's own; empty means their own. Nobody
    schedules or cancels for someone else — not a comms manager, not a tenant
    admin: a withdrawn post or an opt-out cancels shares through events.
  * GetShare, ListShares: an employee reads their own shares (ListShares is
    narrowed to them; naming someone else is refused); comms managers and
    tenant admins read every share of their tenant (campaign follow-up).
  * ListWaitingShares (a post's shares stuck on their text): comms managers
    and tenant admins.
  * GetShareVolume (the share volume per day of a set of posts, for the
    editorial calendar): comms managers and tenant admins. Content's
    calendar asks for it with its caller's forwarded token (content's
    adapters/peers.py, ForwardedToken), so the principal here is that
    person, held to the same rule; employees are refused (a calendar is the
    comms team's tool).
  * GetBestHours (the best local hours learned for a region and network,
    with their data count): comms managers, tenant admins and employees —
    an employee may see when their region shares best; it is an aggregate
    of clicks per hour, nobody's own activity.
  * No service calls these RPCs with a token of its own; service principals
    are refused.

An employee asking for a colleague's share gets NOT_FOUND, not
PERMISSION_DENIED: share ids derive from (tenant, post, employee, network), so
a refusal would confirm that the colleague got the suggestion. Callers who may
read the share anyway (comms, admin) or who are no employee at all are told
PERMISSION_DENIED when they try to change it. Another tenant is
PERMISSION_DENIED when named (tenant_for) and NOT_FOUND otherwise (every
query is tenant-scoped).
"""

from __future__ import annotations

from chorus_core.errors import NotFound, PermissionDenied
from chorus_identity.policy import is_self, require_role
from chorus_identity.principal import Principal, Role

from scheduling_service.domain.shares import Share


def _require_person(actor: Principal) -> None:
    if actor.is_service:
        raise PermissionDenied("this call is for people, not services")


def own_employee(actor: Principal, requested: str = "") -> str:
    """The employee an employee action is for: the caller's own entry."""
    _require_person(actor)
    if not actor.employee_id:
        raise PermissionDenied("only an employee (an account linked to the directory) may")
    if requested and requested != actor.employee_id:
        raise PermissionDenied("employee_id: an employee acts only for themself")
    return actor.employee_id


def reads_tenant(actor: Principal) -> bool:
    """Comms managers and tenant admins follow every share of their tenant."""
    return not actor.is_service and (actor.has(Role.COMMS_MANAGER) or actor.has(Role.TENANT_ADMIN))


def require_tenant_reader(actor: Principal) -> None:
    """Aggregates over the tenant's shares (the calendar's volume)."""
    if not reads_tenant(actor):
        raise PermissionDenied("needs the role comms_manager or tenant_admin")


def require_aggregate_reader(actor: Principal) -> None:
    """Aggregates that name nobody (the best hours): the comms team, the
    admin, and every employee."""
    if not (reads_tenant(actor) or (not actor.is_service and actor.has(Role.EMPLOYEE))):
        raise PermissionDenied("needs the role employee, comms_manager or tenant_admin")


def require_own(actor: Principal, share: Share) -> None:
    """Changing a share: its employee only."""
    if not actor.is_service and is_self(actor, share.employee_id):
        return
    if reads_tenant(actor) or not actor.employee_id:
        # Either they may see the share anyway, or they are no employee at
        # all: saying "not yours" reveals nothing.
        raise PermissionDenied("only the share's employee may change it")
    raise NotFound("share", share.share_id)


def require_readable(actor: Principal, share: Share) -> None:
    if reads_tenant(actor):
        return
    if actor.is_service or not actor.employee_id:
        raise PermissionDenied("needs the role comms_manager, or to be the share's employee")
    if not is_self(actor, share.employee_id):
        raise NotFound("share", share.share_id)


def list_filter(actor: Principal, employee_id: str) -> str:
    """The employee filter ListShares applies: any for the comms team, the
    caller's own entry for an employee."""
    _require_person(actor)
    return employee_id if reads_tenant(actor) else own_employee(actor, employee_id)


def require_operator(actor: Principal) -> None:
    require_role(actor, Role.COMMS_MANAGER)

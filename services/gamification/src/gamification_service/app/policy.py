"""Who may read and rebuild what in gamification (its authorization policy).

* GetLeaderboard: any person signed in to the tenant, whatever their role:
  the board is the programme's shared motivation and shows opaque
  employee ids and points only.
* GetProfile (an employee's points and ledger entries): the employee
  themself (employee_id empty = their own), or a comms manager or tenant
  admin of the tenant. A colleague asking is PERMISSION_DENIED: an
  employee id with no points answers 0 points, not NOT_FOUND, so refusing
  tells them nothing they could not already see on the board.
* RebuildLeaderboard: tenant admins only (an operational repair).
* Services call none of these RPCs (they award through events).
* tenant_id is checked by tenant_for (empty = the caller's tenant);
  another tenant's board and ledger are never read.
"""

from __future__ import annotations

from chorus_core.errors import PermissionDenied
from chorus_identity.policy import require_admin
from chorus_identity.principal import Principal, Role


def require_person(actor: Principal) -> None:
    """Any person of the tenant (tenant_for has checked which tenant)."""
    if actor.is_service:
        raise PermissionDenied("this call is for people, not services")


def profile_of(actor: Principal, employee_id: str) -> str:
    """Whose profile the caller reads: their own, or (comms, admin) anyone's."""
    require_person(actor)
    if not employee_id or employee_id == actor.employee_id:
        return employee_id or actor.employee_id
    if actor.has(Role.COMMS_MANAGER) or actor.has(Role.TENANT_ADMIN):
        return employee_id
    raise PermissionDenied("employee_id: an employee reads only their own profile")


def require_rebuilder(actor: Principal) -> None:
    require_admin(actor)

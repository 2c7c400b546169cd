"""Who may do what in publishing (its authorization policy).

* ConnectAccount, DisconnectAccount: only the employee themself (a user
  whose account is linked to that directory entry); employee_id must be
  their own, empty means their own. Nobody connects or disconnects a social
  account for someone else — not a comms manager, not a tenant admin, not a
  service: the secret is the employee's, and so is every post made with it.
* GetPublishStatus: the share's own employee, or a comms manager or
  tenant admin of the tenant. A colleague's share is NOT_FOUND (share ids
  derive from the employee, a refusal would confirm it exists).
* ListPublished: comms managers and tenant admins see every record of the
  post; an employee sees only their own records of it.
* Reviewers and moderators who are not employees have nothing here
  (PERMISSION_DENIED); services call none of these RPCs.
* tenant_id is checked by tenant_for (empty = the caller's tenant); another
  tenant's records are never found, since every query is tenant-scoped.
"""

from __future__ import annotations

from chorus_core.errors import NotFound, PermissionDenied
from chorus_identity.policy import is_self
from chorus_identity.principal import Principal, Role

from publishing_service.domain.ledger import LedgerEntry


def own_employee(actor: Principal, requested: str = "") -> str:
    """The caller's own directory entry, for what only they may do."""
    if actor.is_service:
        raise PermissionDenied("this call is for people, not services")
    if not actor.employee_id:
        raise PermissionDenied("only an employee (an account linked to the directory) may")
    if requested and requested != actor.employee_id:
        raise PermissionDenied("employee_id: an employee acts only for themself")
    return actor.employee_id


def reads_tenant(actor: Principal) -> bool:
    """Comms managers and tenant admins follow every publication of their tenant."""
    return not actor.is_service and (actor.has(Role.COMMS_MANAGER) or actor.has(Role.TENANT_ADMIN))


def require_readable(actor: Principal, entry: LedgerEntry) -> None:
    if reads_tenant(actor):
        return
    own_employee(actor)
    if not is_self(actor, entry.employee_id):
        raise NotFound("share", entry.share_id)


def published_filter(actor: Principal) -> str:
    """Whose records ListPublished returns: anyone's ("") for the comms team,
    the caller's own for an employee."""
    return "" if reads_tenant(actor) else own_employee(actor)

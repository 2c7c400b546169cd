"""The building blocks of every service's authorization policy.

Each service states its own rules in its application layer (who may do
what to which of its objects); these helpers are the parts they share, so
"which tenant does this call act in" has one answer everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable

from chorus_core.errors import PermissionDenied

from chorus_identity.principal import Principal, Role


def tenant_for(principal: Principal, requested: str = "") -> str:
    """The tenant a call acts in. A person acts in their own tenant: a
    request naming another one is refused, never silently redirected. A
    service acts for the tenant of the work it does (the event it handles),
    which the request must name."""
    if principal.is_service:
        if not requested:
            raise PermissionDenied("a service call must name the tenant it acts for")
        return requested
    if requested and requested != principal.tenant_id:
        raise PermissionDenied("tenant_id: not the caller's tenant")
    return principal.tenant_id


def require_role(principal: Principal, *roles: Role) -> None:
    """One of `roles` (a tenant admin may do what any role of its tenant may)."""
    if principal.is_service:
        raise PermissionDenied("this call is for people, not services")
    if principal.has(Role.TENANT_ADMIN) or any(principal.has(r) for r in roles):
        return
    names = ", ".join(r.value for r in roles) or Role.TENANT_ADMIN.value
    raise PermissionDenied(f"needs the role {names}")


def require_admin(principal: Principal) -> None:
    require_role(principal)


def require_service(principal: Principal, allowed: Iterable[str]) -> None:
    """Only the named services (or a person with a role, checked separately)."""
    if not principal.is_service or principal.service not in set(allowed):
        raise PermissionDenied("this call is reserved to Chorus services")


def is_self(principal: Principal, employee_id: str) -> bool:
    """Is `employee_id` the caller's own directory entry?"""
    return bool(principal.employee_id) and principal.employee_id == employee_id


def require_self_or(principal: Principal, employee_id: str, *roles: Role) -> None:
    """An employee acting on their own entry, or someone with one of `roles`."""
    if not principal.is_service and is_self(principal, employee_id):
        return
    if roles or not principal.is_service:
        try:
            require_role(principal, *roles)
            return
        except PermissionDenied:
            pass
    raise PermissionDenied("only the employee themself may do this")


def actor_id(principal: Principal) -> str:
    """The id stored as "who did it" (author, approver, moderator...): the
    provider's opaque subject, never a name or an e-mail."""
    return principal.subject

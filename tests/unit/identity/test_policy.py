"""The shared policy helpers: which tenant a call acts in, role checks (a
tenant admin passes every role check of its tenant), services limited to
the calls named for them, self-service, and the stored actor id."""

from __future__ import annotations

import pytest
from chorus_core.errors import PermissionDenied
from chorus_identity.policy import (
    actor_id,
    is_self,
    require_admin,
    require_role,
    require_self_or,
    require_service,
    tenant_for,
)
from chorus_identity.principal import ANY, Grant, Role, service, user

ADMIN = user("admin", "t1", Role.TENANT_ADMIN)
REVIEWER = user("rev", "t1", Grant.of(Role.REVIEWER, steps=["legal"]))
EMPLOYEE = user("emp", "t1", Role.EMPLOYEE, employee_id="e1")
UNLINKED = user("new", "t1", Role.EMPLOYEE)  # signed in, no directory entry yet
TRANSLATION = service("translation")


def test_a_user_acts_in_their_own_tenant() -> None:
    assert tenant_for(EMPLOYEE) == "t1"
    assert tenant_for(EMPLOYEE, "") == "t1"
    assert tenant_for(EMPLOYEE, "t1") == "t1"


def test_a_user_naming_another_tenant_is_refused_not_redirected() -> None:
    with pytest.raises(PermissionDenied, match="not the caller's tenant"):
        tenant_for(ADMIN, "t2")


def test_a_service_acts_for_the_tenant_it_names() -> None:
    assert tenant_for(TRANSLATION, "t9") == "t9"
    with pytest.raises(PermissionDenied, match="must name the tenant"):
        tenant_for(TRANSLATION)


def test_roles() -> None:
    require_role(REVIEWER, Role.REVIEWER)
    require_role(REVIEWER, Role.MODERATOR, Role.REVIEWER)  # any of them
    with pytest.raises(PermissionDenied, match="moderator"):
        require_role(REVIEWER, Role.MODERATOR)
    with pytest.raises(PermissionDenied, match="tenant_admin"):
        require_admin(REVIEWER)


def test_a_tenant_admin_passes_every_role_check() -> None:
    for role in Role:
        require_role(ADMIN, role)
    require_admin(ADMIN)


def test_services_pass_no_role_check() -> None:
    with pytest.raises(PermissionDenied, match="not services"):
        require_role(TRANSLATION, Role.EMPLOYEE)
    with pytest.raises(PermissionDenied):
        require_admin(TRANSLATION)


def test_only_named_services() -> None:
    require_service(TRANSLATION, ["translation", "publishing"])
    with pytest.raises(PermissionDenied, match="reserved to Chorus services"):
        require_service(service("metrics"), ["translation"])
    with pytest.raises(PermissionDenied):
        require_service(ADMIN, ["translation"])  # people never pass as services


def test_self_service() -> None:
    assert is_self(EMPLOYEE, "e1")
    assert not is_self(EMPLOYEE, "e2")
    assert not is_self(UNLINKED, "")  # no entry is nobody's entry
    require_self_or(EMPLOYEE, "e1")
    with pytest.raises(PermissionDenied, match="employee themself"):
        require_self_or(EMPLOYEE, "e2")
    with pytest.raises(PermissionDenied):
        require_self_or(UNLINKED, "")


def test_someone_else_with_the_role_may_act_for_an_employee() -> None:
    moderator = user("mod", "t1", Role.MODERATOR)
    require_self_or(moderator, "e1", Role.MODERATOR)
    require_self_or(ADMIN, "e1")  # an admin passes even with no role named
    with pytest.raises(PermissionDenied):
        require_self_or(REVIEWER, "e1", Role.MODERATOR)
    with pytest.raises(PermissionDenied):
        require_self_or(TRANSLATION, "e1", Role.MODERATOR)


def test_grant_scopes() -> None:
    [legal] = REVIEWER.grants_of(Role.REVIEWER)
    assert legal.covers_step("legal") and not legal.covers_step("brand")
    anything = Grant.of(Role.COMMS_MANAGER, regions=[ANY], channels=[ANY])
    assert anything.covers_region("emea") and anything.covers_channel("ch-1")
    nothing = Grant.of(Role.COMMS_MANAGER, regions=["", ""])  # empty values are no scope
    assert nothing.regions == frozenset() and not nothing.covers_region("")


def test_the_stored_actor_is_the_opaque_subject() -> None:
    assert actor_id(EMPLOYEE) == "emp"
    assert EMPLOYEE.ref == "user:emp"
    assert TRANSLATION.ref == "service:translation"

"""A parsed segment rule -> one SQLAlchemy boolean expression over the
employees table. The database filters; no employee row is looked at in Python.

Many-valued attributes become sub-queries (group: IN the named groups'
members; network, followers: correlated EXISTS), so `not group =
"Contractors"` means "in no group of that name" and an employee with two
accounts is still counted once.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, exists, false, not_, or_, select, true
from sqlalchemy.sql.elements import ColumnElement

from targeting_service.adapters.directory_tables import GroupMemberRow, GroupRow, SocialAccountRow
from targeting_service.adapters.tables import EmployeeRow
from targeting_service.domain.segments import And, Comparison, Node, Not, Or

_COLUMNS: dict[str, Any] = {
    "country": EmployeeRow.country,
    "language": EmployeeRow.language,
    "timezone": EmployeeRow.timezone,
    "department": EmployeeRow.department,
    "title": EmployeeRow.title,
    "manager": EmployeeRow.manager,
    "status": EmployeeRow.employment_status,
    "home_region": EmployeeRow.home_region,
    "hire_date": EmployeeRow.hire_date,
    "auto_share": EmployeeRow.auto_share,
}


def _compare(column: Any, op: str, values: tuple[Any, ...]) -> ColumnElement[bool]:
    if op == "in":
        return column.in_(values)  # type: ignore[no-any-return]
    if op == "notin":
        return column.not_in(values)  # type: ignore[no-any-return]
    value = values[0]
    match op:
        case "=":
            return column == value  # type: ignore[no-any-return]
        case "!=":
            return column != value  # type: ignore[no-any-return]
        case "<":
            return column < value  # type: ignore[no-any-return]
        case ">":
            return column > value  # type: ignore[no-any-return]
        case "<=":
            return column <= value  # type: ignore[no-any-return]
        case ">=":
            return column >= value  # type: ignore[no-any-return]
    raise ValueError(f"unknown operator {op!r}")


def _member_of(tenant_id: str, node: Comparison) -> ColumnElement[bool]:
    # "group != X" reads as "not in group X" (the many-valued meaning). An
    # uncorrelated IN: the members of the named groups are listed once (a
    # hashed set), not probed once per employee.
    op = {"!=": "=", "notin": "in"}.get(node.op, node.op)
    members = (
        select(GroupMemberRow.employee_id)
        .join(GroupRow, and_(GroupRow.tenant_id == GroupMemberRow.tenant_id,
                             GroupRow.group_id == GroupMemberRow.group_id))
        .where(GroupMemberRow.tenant_id == tenant_id, _compare(GroupRow.display_name, op, node.values))
    )
    found = EmployeeRow.employee_id.in_(members)  # type: ignore[attr-defined]
    return not_(found) if op != node.op else found  # type: ignore[no-any-return]


def _account(tenant_id: str, node: Comparison) -> ColumnElement[bool]:
    column = SocialAccountRow.network if node.attribute == "network" else SocialAccountRow.followers
    op = {"!=": "=", "notin": "in"}.get(node.op, node.op) if node.attribute == "network" else node.op
    query = select(SocialAccountRow.employee_id).where(
        SocialAccountRow.tenant_id == tenant_id,
        SocialAccountRow.employee_id == EmployeeRow.employee_id,
        _compare(column, op, node.values),
    )
    found = exists(query)
    return not_(found) if op != node.op else found


_PROBED = frozenset({"group", "network", "followers"})


def _probes(node: Node) -> bool:
    """Whether the node needs a sub-query (a probe per candidate row)."""
    if isinstance(node, (And, Or)):
        return any(_probes(item) for item in node.items)
    if isinstance(node, Not):
        return _probes(node.item)
    return node.attribute in _PROBED


def compile_segment(tenant_id: str, node: Node) -> ColumnElement[bool]:
    if isinstance(node, And):
        # SQLite tests the terms in the order written: column comparisons
        # first, so the sub-query probes (the costly part) only see the rows
        # those left. The order does not change the result.
        items = sorted(node.items, key=_probes)
        return and_(true(), *(compile_segment(tenant_id, item) for item in items))
    if isinstance(node, Or):
        return or_(false(), *(compile_segment(tenant_id, item) for item in node.items))
    if isinstance(node, Not):
        return not_(compile_segment(tenant_id, node.item))
    if node.attribute == "group":
        return _member_of(tenant_id, node)
    if node.attribute in ("network", "followers"):
        return _account(tenant_id, node)
    return _compare(_COLUMNS[node.attribute], node.op, node.values)

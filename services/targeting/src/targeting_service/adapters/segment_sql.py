"""A parsed segment rule -> one SQLAlchemy boolean expression over the
employees table. The database filters; no employee row is looked at in Python.

Many-valued attributes: a group test looks for the name in the row's copy
of the person's group names (EmployeeRow.group_names); network and
followers become correlated EXISTS. So `not group = "Contractors"` means
"in no group of that name" and an employee with two accounts is still
counted once.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Integer, and_, exists, false, literal, not_, or_, select, true
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement
from sqlmodel import col

from targeting_service.adapters.directory_tables import SocialAccountRow
from targeting_service.adapters.tables import EmployeeRow
from targeting_service.domain.group_names import token
from targeting_service.domain.segments import And, Comparison, Node, Not, Or

_COLUMNS: dict[str, Any] = {
    "country": col(EmployeeRow.country),
    "language": col(EmployeeRow.language),
    "timezone": col(EmployeeRow.timezone),
    "department": col(EmployeeRow.department),
    "title": col(EmployeeRow.title),
    "manager": col(EmployeeRow.manager),
    "status": col(EmployeeRow.employment_status),
    "home_region": col(EmployeeRow.home_region),
    "hire_date": col(EmployeeRow.hire_date),
    "auto_share": col(EmployeeRow.auto_share),
}


def _compare(column: Any, op: str, values: tuple[Any, ...]) -> ColumnElement[bool]:
    if op == "in":
        return column.in_(values)
    if op == "notin":
        return column.not_in(values)
    value = values[0]
    match op:
        case "=":
            return column == value
        case "!=":
            return column != value
        case "<":
            return column < value
        case ">":
            return column > value
        case "<=":
            return column <= value
        case ">=":
            return column >= value
    raise ValueError(f"unknown operator {op!r}")


class _Position(FunctionElement[int]):
    """Where a substring starts in a string (1-based, 0 = absent): instr on
    SQLite, strpos on PostgreSQL. Not LIKE: SQLite's LIKE ignores ASCII case,
    and group names compare exactly."""

    type = Integer()
    inherit_cache = True


@compiles(_Position)
def _instr(element: _Position, compiler: Any, **kw: Any) -> str:
    return f"instr({compiler.process(element.clauses, **kw)})"


@compiles(_Position, "postgresql")
def _strpos(element: _Position, compiler: Any, **kw: Any) -> str:
    return f"strpos({compiler.process(element.clauses, **kw)})"


def _member_of(node: Comparison) -> ColumnElement[bool]:
    # "group != X" reads as "not in group X" (the many-valued meaning).
    # EmployeeRow.group_names holds the person's group names (targeting_0007),
    # so the test reads the row in hand: no members sub-query per segment.
    op = {"!=": "=", "notin": "in"}.get(node.op, node.op)
    if op not in ("=", "in"):
        raise ValueError(f"operator {node.op!r} does not apply to groups")
    found = or_(
        false(),
        *(_Position(col(EmployeeRow.group_names), literal(token(str(v)))) > 0 for v in node.values),
    )
    return not_(found) if op != node.op else found


def _account(tenant_id: str, node: Comparison) -> ColumnElement[bool]:
    column = (
        col(SocialAccountRow.network)
        if node.attribute == "network"
        else col(SocialAccountRow.followers)
    )
    op = (
        {"!=": "=", "notin": "in"}.get(node.op, node.op) if node.attribute == "network" else node.op
    )
    query = select(col(SocialAccountRow.employee_id)).where(
        col(SocialAccountRow.tenant_id) == tenant_id,
        col(SocialAccountRow.employee_id) == col(EmployeeRow.employee_id),
        _compare(column, op, node.values),
    )
    found = exists(query)
    return not_(found) if op != node.op else found


_PROBED = frozenset({"network", "followers"})


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
        return _member_of(node)
    if node.attribute in ("network", "followers"):
        return _account(tenant_id, node)
    return _compare(_COLUMNS[node.attribute], node.op, node.values)

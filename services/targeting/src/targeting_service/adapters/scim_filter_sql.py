"""A SCIM filter (RFC 7644 §3.4.2.2), as parsed by scim2-models, translated
into a SQLAlchemy WHERE clause over targeting_scim_resources.data (the JSON
document the identity provider wrote), so searches filter, count and page in
the database instead of loading the tenant's directory.

The translation covers the attributes identity providers actually filter
on. It follows scim2-models' reference evaluator (ScimFilter.match)
exactly, which the unit tests check filter by filter:
- a missing value never satisfies a comparison but satisfies `ne`; a
  comparison is therefore "present AND compared" so that NULL never leaks
  through `not` (SQL three-valued logic would drop the row);
- strings of caseExact=false attributes compare lower-cased (values are
  restricted to ASCII: SQLite's lower() and Python's casefold agree only there);
- a multi-valued attribute (emails) matches when any value matches, `ne`
  when no value equals the operand;
- dates compare as instants: the storage writes meta dates as pydantic's
  UTC ISO form, with or without microseconds, which is normalised to a
  fixed-width string on both sides so that text order is time order.
Anything else raises Untranslatable: the caller then answers that request
the slow, exact way, never wrongly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from scim2_models.path import CompareOperator, LogicalOperator
from scim2_models.path.expressions import (
    AttrPath,
    Comparison,
    FilterNode,
    LogicalExpr,
    Not,
    Present,
    ValuePath,
)
from sqlalchemy import (
    String,
    and_,
    case,
    cast,
    exists,
    false,
    func,
    literal,
    not_,
    or_,
    select,
    true,
)
from sqlalchemy.sql.elements import ColumnElement

from targeting_service.adapters.directory_tables import ScimResourceRow

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
_USER = "urn:ietf:params:scim:schemas:core:2.0:User"
_GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
_DATE_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


class Untranslatable(Exception):
    """The filter uses something this translation does not cover."""


@dataclass(frozen=True)
class _Attr:
    path: tuple[str, ...]  # JSON keys in the stored document
    kind: str  # "str" (case-insensitive), "exact" (caseExact), "bool", "date"


_META: dict[tuple[str, ...], _Attr] = {
    ("meta", "created"): _Attr(("meta", "created"), "date"),
    ("meta", "lastmodified"): _Attr(("meta", "lastModified"), "date"),
}
_ATTRIBUTES: dict[str, dict[tuple[str, ...], _Attr]] = {
    "User": {
        ("username",): _Attr(("userName",), "str"),
        ("externalid",): _Attr(("externalId",), "exact"),
        ("id",): _Attr(("id",), "exact"),
        ("displayname",): _Attr(("displayName",), "str"),
        ("name", "givenname"): _Attr(("name", "givenName"), "str"),
        ("name", "familyname"): _Attr(("name", "familyName"), "str"),
        ("active",): _Attr(("active",), "bool"),
        ("title",): _Attr(("title",), "str"),
        (ENTERPRISE.lower(), "department"): _Attr((ENTERPRISE, "department"), "str"),
        **_META,
    },
    "Group": {
        ("displayname",): _Attr(("displayName",), "str"),
        ("externalid",): _Attr(("externalId",), "exact"),
        ("id",): _Attr(("id",), "exact"),
        **_META,
    },
}
_CORE = {"User": _USER, "Group": _GROUP}
_EMAIL_FIELDS = {"value": "str", "type": "str"}  # primary: the slow path


def _key(resource_type: str, attr: AttrPath) -> tuple[str, ...]:
    uri = (attr.uri or "").lower()
    if uri and uri == _CORE[resource_type].lower():
        uri = ""  # the core schema's URN is an optional prefix
    parts = (
        (attr.attr.lower(),)
        if attr.sub_attr is None
        else (attr.attr.lower(), attr.sub_attr.lower())
    )
    return ((uri,) + parts) if uri else parts


def _text_ops(
    dialect: str, column: ColumnElement[Any], op: CompareOperator, value: str
) -> ColumnElement[bool]:
    # instr/substr rather than LIKE: SQLite's LIKE ignores ASCII case,
    # which would be wrong for caseExact attributes, and needs escaping.
    n = len(value)
    if op == CompareOperator.co:
        found = func.strpos(column, value) if dialect == "postgresql" else func.instr(column, value)
        return found > 0
    if op == CompareOperator.sw:
        return func.substr(column, 1, n) == value
    tail = func.right(column, n) if dialect == "postgresql" else func.substr(column, -n)
    return and_(func.length(column) >= n, tail == value)


def _date(value: Any) -> str:
    if not isinstance(value, str):
        raise Untranslatable("a date compared to a non-string")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise Untranslatable("not an ISO date") from None
    if parsed.tzinfo is None:
        raise Untranslatable("a date without a timezone")
    return parsed.astimezone(UTC).strftime(_DATE_FORMAT)


def _stored_date(column: ColumnElement[Any]) -> ColumnElement[Any]:
    # pydantic writes "...:SSZ" when the microseconds are 0, else "...:SS.ffffffZ".
    return case(
        (func.length(column) == 20, func.substr(column, 1, 19) + literal(".000000Z")), else_=column
    )


def _compare(
    dialect: str,
    kind: str,
    column: ColumnElement[Any],
    op: CompareOperator,
    value: Any,
) -> ColumnElement[bool]:
    """`present AND compared`: never NULL, so `not` and `or` stay two-valued."""
    if value is None:
        raise Untranslatable("comparison with null")
    if kind == "bool":
        if not isinstance(value, bool) or op not in (CompareOperator.eq, CompareOperator.ne):
            raise Untranslatable("boolean comparison")
        matched: ColumnElement[bool] = column.is_(true()) if value else column.is_(false())
    elif kind == "date":
        if op in (CompareOperator.co, CompareOperator.sw, CompareOperator.ew):
            raise Untranslatable("substring operator on a date")
        matched = _ordered(_stored_date(column), op, _date(value))
    else:
        if not isinstance(value, str) or not value.isascii():
            raise Untranslatable("non-ASCII or non-string operand")
        if kind == "str":
            column, value = func.lower(column), value.lower()
        if op in (CompareOperator.co, CompareOperator.sw, CompareOperator.ew):
            matched = _text_ops(dialect, column, op, value)
        else:
            matched = _ordered(column, op, value)
    if op == CompareOperator.ne:
        return or_(column.is_(None), matched)
    return and_(column.is_not(None), matched)


def _ordered(column: ColumnElement[Any], op: CompareOperator, value: Any) -> ColumnElement[bool]:
    if op in (CompareOperator.eq, CompareOperator.ne):
        return column == value if op == CompareOperator.eq else column != value
    if op in (CompareOperator.gt, CompareOperator.ge, CompareOperator.lt, CompareOperator.le):
        return {
            CompareOperator.gt: column > value,
            CompareOperator.ge: column >= value,
            CompareOperator.lt: column < value,
            CompareOperator.le: column <= value,
        }[op]
    raise Untranslatable(f"operator {op}")


def _present(kind: str, column: ColumnElement[Any]) -> ColumnElement[bool]:
    if kind == "bool":
        return column.is_not(None)
    return and_(column.is_not(None), column != "")


class FilterTranslator:
    """One resource type on one SQL dialect ("sqlite" or "postgresql")."""

    def __init__(self, resource_type: str, dialect: str) -> None:
        if resource_type not in _ATTRIBUTES or dialect not in ("sqlite", "postgresql"):
            raise Untranslatable(f"{resource_type} on {dialect}")
        self.resource_type, self.dialect = resource_type, dialect

    def where(self, node: FilterNode) -> ColumnElement[bool]:
        if isinstance(node, LogicalExpr):
            terms = [self.where(term) for term in node.terms]
            return and_(*terms) if node.op == LogicalOperator.and_ else or_(*terms)
        if isinstance(node, Not):
            return not_(self.where(node.expr))
        if isinstance(node, ValuePath):
            if node.sub_attr is not None:
                raise Untranslatable("value path with a sub-attribute")
            return self._emails(node.attr_path, node.val_filter)
        if isinstance(node, Comparison | Present):
            key = _key(self.resource_type, node.attr_path)
            if self.resource_type == "User" and key[0] == "emails" and len(key) == 2:
                inner: FilterNode = (
                    Comparison(AttrPath(key[1]), node.op, node.value)
                    if isinstance(node, Comparison)
                    else Present(AttrPath(key[1]))
                )
                # "ne" on a multi-valued attribute: no value equals the operand.
                if isinstance(node, Comparison) and node.op == CompareOperator.ne:
                    equal = Comparison(AttrPath(key[1]), CompareOperator.eq, node.value)
                    return not_(self._emails(node.attr_path, equal))
                return self._emails(node.attr_path, inner)
            attr = _ATTRIBUTES[self.resource_type].get(key)
            if attr is None:
                raise Untranslatable(f"attribute {node.attr_path}")
            column = self._scalar(attr)
            if isinstance(node, Present):
                return _present(attr.kind, column)
            return _compare(self.dialect, attr.kind, column, node.op, node.value)
        raise Untranslatable(type(node).__name__)

    def _scalar(self, attr: _Attr) -> ColumnElement[Any]:
        element = ScimResourceRow.data[attr.path if len(attr.path) > 1 else attr.path[0]]
        return element.as_boolean() if attr.kind == "bool" else element.as_string()

    def _emails(self, attr: AttrPath, inner: FilterNode) -> ColumnElement[bool]:
        if self.resource_type != "User" or _key("User", attr)[0] != "emails":
            raise Untranslatable(f"multi-valued attribute {attr}")
        if self.dialect == "postgresql":
            emails = ScimResourceRow.data["emails"]
            array = case(
                (func.json_typeof(emails) == "array", emails),
                else_=cast(literal("[]"), emails.type),
            )
            item = func.json_array_elements(array).table_valued("value").alias("email")

            def field(name: str, kind: str) -> ColumnElement[Any]:
                text = item.c.value.op("->>")(name)
                return cast(text, String)

            query = select(literal(1)).select_from(item)
        else:
            item = (
                func.json_each(ScimResourceRow.data, "$.emails")
                .table_valued("value", "type")
                .alias("email")
            )

            def field(name: str, kind: str) -> ColumnElement[Any]:
                return func.json_extract(item.c.value, f"$.{name}")

            query = (
                select(literal(1))
                .select_from(item)
                .where(func.json_type(ScimResourceRow.data, "$.emails") == "array")
            )
        return exists(query.where(self._item(inner, field)))

    def _item(self, node: FilterNode, field: Any) -> ColumnElement[bool]:
        if isinstance(node, LogicalExpr):
            terms = [self._item(term, field) for term in node.terms]
            return and_(*terms) if node.op == LogicalOperator.and_ else or_(*terms)
        if isinstance(node, Not):
            return not_(self._item(node.expr, field))
        if (
            isinstance(node, Comparison | Present)
            and node.attr_path.sub_attr is None
            and not node.attr_path.uri
        ):
            kind = _EMAIL_FIELDS.get(node.attr_path.attr.lower())
            if kind is not None:
                column = field(node.attr_path.attr.lower(), kind)
                if isinstance(node, Present):
                    return _present(kind, column)
                return _compare(self.dialect, kind, column, node.op, node.value)
        raise Untranslatable(f"inside emails[...]: {node}")


def sort_column(resource_type: str, sort_by: str | None) -> tuple[ColumnElement[Any], str] | None:
    """The column a sortBy names and its kind, for the attributes sorted in SQL."""
    if sort_by is None:
        return None
    head, _, tail = sort_by.partition(".")
    attr = _ATTRIBUTES.get(resource_type, {}).get(
        _key(resource_type, AttrPath(head, tail or None)) if ":" not in sort_by else ("",)
    )
    if attr is None or attr.path not in (("userName",), ("meta", "lastModified"), ("displayName",)):
        raise Untranslatable(f"sortBy {sort_by}")
    element = ScimResourceRow.data[attr.path if len(attr.path) > 1 else attr.path[0]]
    column = element.as_string()
    return (_stored_date(column) if attr.kind == "date" else func.lower(column)), attr.kind

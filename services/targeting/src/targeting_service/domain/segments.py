"""The segment rule language: tokenizer and recursive-descent parser. Pure.

    country in ("FR", "BE") and department = "Sales"
        and not group = "Contractors" and hire_date < 2024-01-01

Grammar (keywords are case-insensitive):

    expr       := and_expr ("or" and_expr)*
    and_expr   := unary ("and" unary)*
    unary      := "not" unary | "(" expr ")" | comparison
    comparison := ATTRIBUTE op value | ATTRIBUTE ["not"] "in" "(" value ("," value)* ")"
    op         := "=" | "!=" | "<" | ">" | "<=" | ">="
    value      := STRING | DATE | NUMBER | "true" | "false"

Every error is an InvalidArgument on field "segment" that says the line and
column (1-based) where the problem starts, so an editor can point at it.
The adapter compiles the tree to SQL; nothing here looks at employees.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import Enum

from chorus_core.errors import InvalidArgument

from targeting_service.domain.countries import ISO_3166_ALPHA2


class Kind(Enum):
    STRING = "string"
    DATE = "date"
    NUMBER = "number"
    BOOL = "boolean"


# Attribute -> the type of value it compares with. group and network are
# many-valued (an employee is in several groups, has several accounts): the
# compiler turns them into EXISTS sub-queries.
ATTRIBUTES: dict[str, Kind] = {
    "country": Kind.STRING,
    "language": Kind.STRING,
    "timezone": Kind.STRING,
    "department": Kind.STRING,
    "title": Kind.STRING,
    "manager": Kind.STRING,
    "status": Kind.STRING,
    "home_region": Kind.STRING,
    "group": Kind.STRING,
    "network": Kind.STRING,
    "hire_date": Kind.DATE,
    "followers": Kind.NUMBER,
    "auto_share": Kind.BOOL,
}
ORDERED_KINDS = frozenset({Kind.DATE, Kind.NUMBER})
KEYWORDS = frozenset({"and", "or", "not", "in", "true", "false"})
MAX_LENGTH = 10_000

_TOKEN = re.compile(
    r"""
    (?P<ws>[ \t\r\n]+)
  | (?P<date>\d{4}-\d{2}-\d{2})
  | (?P<number>\d+)
  | (?P<string>"(?:[^"\\\n]|\\.)*")
  | (?P<ident>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op><=|>=|!=|=|<|>)
  | (?P<punct>[(),])
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class Token:
    kind: str  # date number string ident op punct end
    text: str
    line: int
    column: int


@dataclass(frozen=True)
class Comparison:
    attribute: str
    op: str  # = != < > <= >= in notin
    values: tuple[str | date | int | bool, ...]


@dataclass(frozen=True)
class And:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    item: Node


Node = Comparison | And | Or | Not


def _error(line: int, column: int, reason: str) -> InvalidArgument:
    return InvalidArgument("segment", f"line {line}, column {column}: {reason}")


def tokenize(source: str) -> list[Token]:
    if len(source) > MAX_LENGTH:
        raise InvalidArgument("segment", f"longer than {MAX_LENGTH} characters")
    tokens: list[Token] = []
    position, line, line_start = 0, 1, 0
    while position < len(source):
        match = _TOKEN.match(source, position)
        column = position - line_start + 1
        if match is None:
            if source[position] == '"':
                raise _error(line, column, "unterminated string")
            raise _error(line, column, f"unexpected character {source[position]!r}")
        kind, text = match.lastgroup or "", match.group()
        if kind != "ws":
            if kind == "number" and match.end() < len(source) and source[match.end()].isalpha():
                raise _error(line, column, f"unexpected {source[position : match.end() + 1]!r}")
            tokens.append(Token(kind, text, line, column))
        newlines = text.count("\n")
        if newlines:
            line += newlines
            line_start = position + text.rfind("\n") + 1
        position = match.end()
    tokens.append(Token("end", "", line, position - line_start + 1))
    return tokens


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.index = 0

    @property
    def current(self) -> Token:
        return self.tokens[self.index]

    def advance(self) -> Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def is_keyword(self, word: str) -> bool:
        return self.current.kind == "ident" and self.current.text.lower() == word

    def expect(self, kind: str, text: str) -> Token:
        token = self.current
        if token.kind != kind or token.text != text:
            raise _error(token.line, token.column, f"expected {text!r}, found {_describe(token)}")
        return self.advance()

    def parse(self) -> Node:
        node = self.or_expr()
        if self.current.kind != "end":
            token = self.current
            raise _error(
                token.line,
                token.column,
                f"expected 'and', 'or' or the end, found {_describe(token)}",
            )
        return node

    def or_expr(self) -> Node:
        items = [self.and_expr()]
        while self.is_keyword("or"):
            self.advance()
            items.append(self.and_expr())
        return items[0] if len(items) == 1 else Or(tuple(items))

    def and_expr(self) -> Node:
        items = [self.unary()]
        while self.is_keyword("and"):
            self.advance()
            items.append(self.unary())
        return items[0] if len(items) == 1 else And(tuple(items))

    def unary(self) -> Node:
        if self.is_keyword("not"):
            self.advance()
            return Not(self.unary())
        if self.current.kind == "punct" and self.current.text == "(":
            self.advance()
            node = self.or_expr()
            self.expect("punct", ")")
            return node
        return self.comparison()

    def comparison(self) -> Node:
        token = self.current
        if token.kind != "ident" or token.text.lower() in KEYWORDS:
            raise _error(
                token.line, token.column, f"expected an attribute, found {_describe(token)}"
            )
        name = token.text.lower()
        if name not in ATTRIBUTES:
            known = ", ".join(sorted(ATTRIBUTES))
            raise _error(
                token.line, token.column, f"unknown attribute {token.text!r} (known: {known})"
            )
        self.advance()
        kind = ATTRIBUTES[name]
        if self.is_keyword("in") or self.is_keyword("not"):
            negated = self.is_keyword("not")
            self.advance()
            if negated and not self.is_keyword("in"):
                raise _error(
                    self.current.line,
                    self.current.column,
                    f"expected 'in' after 'not', found {_describe(self.current)}",
                )
            if negated:
                self.advance()
            self.expect("punct", "(")
            values = [self.value(name, kind)]
            while self.current.kind == "punct" and self.current.text == ",":
                self.advance()
                values.append(self.value(name, kind))
            self.expect("punct", ")")
            return Comparison(name, "notin" if negated else "in", tuple(values))
        op = self.current
        if op.kind != "op":
            raise _error(
                op.line, op.column, f"expected an operator after {name!r}, found {_describe(op)}"
            )
        if op.text in ("<", ">", "<=", ">=") and kind not in ORDERED_KINDS:
            raise _error(
                op.line, op.column, f"{op.text!r} does not apply to {name!r} (only = != in)"
            )
        self.advance()
        return Comparison(name, op.text, (self.value(name, kind),))

    def value(self, name: str, kind: Kind) -> str | date | int | bool:
        token = self.advance()
        if kind is Kind.STRING and token.kind == "string":
            text = re.sub(r"\\(.)", r"\1", token.text[1:-1])
            if name == "country":
                text = text.upper()
                if text not in ISO_3166_ALPHA2:
                    raise _error(
                        token.line, token.column, f"{text!r} is not an ISO 3166-1 country code"
                    )
            return text
        if kind is Kind.DATE and token.kind == "date":
            try:
                return date.fromisoformat(token.text)
            except ValueError:
                raise _error(
                    token.line, token.column, f"{token.text!r} is not a calendar date"
                ) from None
        if kind is Kind.NUMBER and token.kind == "number":
            return int(token.text)
        if kind is Kind.BOOL and token.kind == "ident" and token.text.lower() in ("true", "false"):
            return token.text.lower() == "true"
        raise _error(
            token.line,
            token.column,
            f"{name!r} compares with a {kind.value}, found {_describe(token)}",
        )


def _describe(token: Token) -> str:
    return "the end of the rule" if token.kind == "end" else repr(token.text)


def parse_segment(source: str) -> Node:
    """The rule as a tree; InvalidArgument('segment', 'line L, column C: ...')."""
    if not source.strip():
        raise InvalidArgument("segment", "must not be empty")
    return _Parser(tokenize(source)).parse()


def attributes_of(node: Node) -> set[str]:
    if isinstance(node, Comparison):
        return {node.attribute}
    if isinstance(node, Not):
        return attributes_of(node.item)
    return set().union(*(attributes_of(item) for item in node.items))

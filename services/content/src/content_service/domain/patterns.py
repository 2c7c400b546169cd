"""Confidential patterns (regular expressions such as project code names).

Two defences against catastrophic backtracking, because a charter is written
by people and one bad pattern must not hang the service for every tenant:

1. at save time, a pattern whose parse tree nests an unbounded quantifier
   inside another unbounded quantifier -- (a+)+, (\\w*x?)*, (a|aa)+b* inside
   a repeat... -- is rejected (INVALID_ARGUMENT naming the rule), as are
   patterns that do not compile and back-references (which make matching
   NP-hard whatever the engine);
2. at check time, every search runs under a time bound (the `regex` engine's
   timeout, which interrupts the match itself): a pattern that still blows up
   (e.g. overlapping alternatives) becomes a warning on that rule instead of
   a stuck worker.
Pure: no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import regex

try:  # Python 3.11+ keeps the parser here; the structure is stable.
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - older layout
    import sre_parse  # type: ignore[no-redef]

from chorus_core.errors import InvalidArgument

MATCH_TIMEOUT_SECONDS = 0.05
MAX_PATTERN_LENGTH = 500
_REPEATS = {
    sre_parse.MAX_REPEAT,
    sre_parse.MIN_REPEAT,
    getattr(sre_parse, "POSSESSIVE_REPEAT", None),
}
_UNBOUNDED = sre_parse.MAXREPEAT


@dataclass(frozen=True)
class PatternRule:
    rule_id: str
    pattern: str
    severity: str  # "block" | "warn"
    description: str = ""
    suggestion: str = ""


def _has_unbounded_repeat(items: Any) -> bool:
    for op, arg in items:
        if op in _REPEATS:
            low, high, sub = arg
            if high == _UNBOUNDED or high > 100 or _has_unbounded_repeat(sub):
                return True
        elif _walk_children(op, arg, _has_unbounded_repeat):
            return True
    return False


def _walk_children(op: Any, arg: Any, visit: Any) -> bool:
    if op is sre_parse.SUBPATTERN:
        return bool(visit(arg[-1]))
    if op is sre_parse.BRANCH:
        return any(visit(branch) for branch in arg[1])
    if op in (sre_parse.ASSERT, sre_parse.ASSERT_NOT):
        return bool(visit(arg[1]))
    if op is getattr(sre_parse, "ATOMIC_GROUP", None):
        return bool(visit(arg))
    return False


def _nested_repeat(items: Any) -> bool:
    for op, arg in items:
        if op in _REPEATS:
            low, high, sub = arg
            if (high == _UNBOUNDED or high > 100) and _has_unbounded_repeat(sub):
                return True
            if _nested_repeat(sub):
                return True
        elif op in (sre_parse.GROUPREF, getattr(sre_parse, "GROUPREF_EXISTS", None)):
            raise _BackReference()
        elif _walk_children(op, arg, _nested_repeat):
            return True
    return False


class _BackReference(Exception):
    pass


def validate(rule: PatternRule) -> None:
    """Raise InvalidArgument naming the rule when the pattern is unusable."""
    field = f"charter.patterns.{rule.rule_id}"
    if not rule.rule_id.strip():
        raise InvalidArgument("charter.patterns.rule_id", "every pattern needs a rule id")
    if not rule.pattern or len(rule.pattern) > MAX_PATTERN_LENGTH:
        raise InvalidArgument(field, f"pattern must be 1..{MAX_PATTERN_LENGTH} characters")
    if rule.severity not in ("block", "warn"):
        raise InvalidArgument(field, "severity must be block or warn")
    try:
        parsed = sre_parse.parse(rule.pattern)
    except re.error as error:
        raise InvalidArgument(field, f"invalid regular expression: {error}") from None
    try:
        nested = _nested_repeat(parsed.data if hasattr(parsed, "data") else parsed)
    except _BackReference:
        raise InvalidArgument(
            field, "back-references are not allowed (unbounded matching time)"
        ) from None
    if nested:
        raise InvalidArgument(
            field,
            "nested unbounded quantifiers (e.g. (a+)+) can backtrack catastrophically; rewrite the pattern",
        )
    try:
        regex.compile(rule.pattern, regex.IGNORECASE | regex.VERSION0)
    except regex.error as error:
        raise InvalidArgument(field, f"invalid regular expression: {error}") from None


@dataclass(frozen=True)
class PatternHit:
    rule: PatternRule
    start: int
    end: int
    timed_out: bool = False


class PatternSet:
    def __init__(self, rules: list[PatternRule]) -> None:
        self._compiled = [
            (r, regex.compile(r.pattern, regex.IGNORECASE | regex.VERSION0)) for r in rules
        ]

    def find(self, text: str, timeout: float = MATCH_TIMEOUT_SECONDS) -> list[PatternHit]:
        hits: list[PatternHit] = []
        for rule, compiled in self._compiled:
            try:
                for match in compiled.finditer(text, timeout=timeout):
                    if match.end() > match.start():
                        hits.append(PatternHit(rule, match.start(), match.end()))
            except TimeoutError:
                hits.append(PatternHit(rule, 0, 0, timed_out=True))
        return hits

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

import regex
from chorus_core.errors import InvalidArgument

from content_service.domain.pattern_syntax import BackReference, Group, Node, Repeat, parse

MATCH_TIMEOUT_SECONDS = 0.05
MAX_PATTERN_LENGTH = 500
# A repeat allowing more than this many counts backtracks like an unbounded one.
MAX_BOUNDED_REPEAT = 100
# The `re` module compiles look-behinds of one width only; the `regex` engine
# that runs the patterns takes any, so these refusals do not make a pattern invalid.
_LOOKBEHIND_ONLY = ("look-behind requires fixed-width pattern", "looks too much behind")


@dataclass(frozen=True)
class PatternRule:
    rule_id: str
    pattern: str
    severity: str  # "block" | "warn"
    description: str = ""
    suggestion: str = ""


def _unbounded(repeat: Repeat) -> bool:
    return repeat.high is None or repeat.high > MAX_BOUNDED_REPEAT


def _children(node: Node) -> list[list[Node]]:
    return node.alternatives if isinstance(node, Group) else []


def _has_unbounded_repeat(items: list[Node]) -> bool:
    for node in items:
        if isinstance(node, Repeat):
            if _unbounded(node) or _has_unbounded_repeat(node.items):
                return True
        elif any(_has_unbounded_repeat(child) for child in _children(node)):
            return True
    return False


def _nested_repeat(items: list[Node]) -> bool:
    """An unbounded repeat around another one; raises _BackReference on the
    first back-reference met before that (the walk is in pattern order)."""
    for node in items:
        if isinstance(node, Repeat):
            if _unbounded(node) and _has_unbounded_repeat(node.items):
                return True
            if _nested_repeat(node.items):
                return True
        elif isinstance(node, BackReference):
            raise _BackReference()
        elif any(_nested_repeat(child) for child in _children(node)):
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
        # Charter patterns are written in the `re` module's syntax, which the
        # structure check below reads; compiling proves the text well formed.
        re.compile(rule.pattern)
    except re.error as error:
        if error.msg not in _LOOKBEHIND_ONLY:
            raise InvalidArgument(field, f"invalid regular expression: {error}") from None
    try:
        nested = _nested_repeat(parse(rule.pattern))
    except _BackReference:
        raise InvalidArgument(
            field, "back-references are not allowed (unbounded matching time)"
        ) from None
    if nested:
        raise InvalidArgument(
            field,
            "nested unbounded quantifiers (e.g. (a+)+) can backtrack catastrophically; "
            "rewrite the pattern",
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

"""Confidential patterns: the save-time check reads the pattern's structure
itself (groups, classes, escapes, quantifiers, verbose mode) and refuses
nested unbounded repeats and back-references, whatever the spelling."""

from __future__ import annotations

import pytest
from chorus_core.errors import InvalidArgument
from content_service.domain.pattern_syntax import Atom, BackReference, Group, Repeat, parse
from content_service.domain.patterns import PatternRule, validate


def refusal(pattern: str) -> str:
    """'' when the pattern is accepted, else which refusal it got."""
    try:
        validate(PatternRule("codename", pattern, "block"))
    except InvalidArgument as error:
        assert error.field == "charter.patterns.codename"
        message = str(error)
        if "back-references" in message:
            return "back-reference"
        if "nested unbounded" in message:
            return "nested"
        assert "invalid regular expression" in message
        return "invalid"
    return ""


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("(a+)+b", "nested"),
        ("(?:\\w*\\s?)*$", "nested"),
        ("(?>a*)+", "nested"),  # an atomic group is still looked into
        ("(?=(a+)+)x", "nested"),  # and a look-ahead
        ("(?<=b)(a|b+)*", "nested"),  # an alternative inside the repeat
        ("((a+)?)+", "nested"),  # a bounded repeat between two unbounded ones
        ("(a{2,})*", "nested"),
        ("(a{,})*", "nested"),  # {,} has no upper bound
        ("(a{101})*", "nested"),  # more than 100 counts backtracks like +
        ("(a+?)++", "nested"),  # lazy and possessive forms are repeats too
        ("(?x) ( a + ) +", "nested"),  # verbose mode: spaces are not characters
        ("(?x:( a # a comment (with a paren\n +) +)", "nested"),
        ("(?x)(?-x:(b+#)+)", "nested"),  # verbose off inside: # is a character
        ("(b+)(?#note)+", "nested"),  # a comment holds nothing: + repeats (b+)
        ("(a)\\1", "back-reference"),
        ("(?P<n>a)(?P=n)", "back-reference"),
        ("(a)?(?(1)b|c)", "back-reference"),  # a conditional tests a group too
        ("x(", "invalid"),
        ("a**", "invalid"),
        ("\\p{L}+", "invalid"),  # the `regex` engine's extensions are not charter syntax
    ],
)
def test_refused_patterns(pattern: str, expected: str) -> None:
    assert refusal(pattern) == expected


@pytest.mark.parametrize(
    "pattern",
    [
        "PRJ-[0-9]{4}",
        "(a|aa)+$",  # overlapping alternatives: left to the time bound
        "(a{2,100})*",  # at most 100 counts inside: bounded
        "(ab)+[)+(]+",  # a class holds ')' and '+' as characters
        "[]a+]+(x)",  # ']' first in a class is a member
        "\\(a+\\)+",  # escaped parentheses are characters, not a group
        "(a)\\101+",  # three octal digits are a character, not group 101
        "(?x)a # (b+)+ is a comment in verbose mode\n",
        "x{1, 2}+",  # not a quantifier ({ with a space): literal characters
        "(?<=a+)b",  # a look-behind of any width: the regex engine runs it
        "\\N{DIGIT ONE}+",
        "(a+){١٠١}",  # only ASCII digits make a bound: these are literal characters
        "(a)\\٣",  # and only ASCII digits a group number
    ],
)
def test_accepted_patterns(pattern: str) -> None:
    assert refusal(pattern) == ""


def test_the_structure_read_from_the_text() -> None:
    assert parse("a(b|c+)*") == [
        Atom(),
        Repeat(None, [Group([[Atom()], [Repeat(None, [Atom()])]])]),
    ]
    assert parse("[(]{2,5}?|\\2") == [Group([[Repeat(5, [Atom()])], [BackReference()]])]
    assert parse("(?x) a b # c+\n") == [Atom(), Atom()]

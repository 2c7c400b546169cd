"""The structure of a regular expression, read from its text: which parts
repeat (and how often at most), which parts are groups and alternatives, and
where back-references are. Enough to tell a pattern that can backtrack
catastrophically from one that cannot, without the standard library's
private parser.

Reads the syntax of the `re` module (what a charter pattern must be); the
caller compiles the pattern first, so the text is known to be well formed
and this reader never has to report an error. Pure: no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

OCTAL = "01234567"
DIGITS = "0123456789"
FLAGS = "aiLmsux-"


@dataclass
class Repeat:
    high: int | None  # None: unbounded (*, +, {n,})
    items: list[Node]


@dataclass
class Group:
    """A group, look-around or atomic group: each alternative in order."""

    alternatives: list[list[Node]] = field(default_factory=list)


@dataclass
class BackReference:
    """\\1, (?P=name) or a conditional (?(1)yes|no), which tests a group too."""


@dataclass
class Atom:
    """A character, class, escape or anchor: nothing inside to repeat."""


Node = Repeat | Group | BackReference | Atom


def parse(pattern: str) -> list[Node]:
    """The pattern's top-level items (alternatives at the top level are one Group)."""
    flags = _GLOBAL_FLAGS.match(pattern)
    reader = _Reader(pattern)
    alternatives = reader.alternatives(verbose=flags is not None and "x" in flags.group())
    return alternatives[0] if len(alternatives) == 1 else [Group(alternatives)]


# Flags for the whole pattern must open it ("(?x)" or "(?i)(?x)"; the `re`
# module refuses them anywhere else), so verbose mode is known before reading.
_GLOBAL_FLAGS = re.compile(r"(?:\(\?[aiLmsux]+\))+")
# ASCII digits only, like the `re` parser: "{٣}" is three literal characters.
_BOUNDS = re.compile(r"\{([0-9]*)(?:(,)([0-9]*))?\}")
_SPACE = " \t\n\r\v\f"  # what verbose mode skips (no other Unicode spaces)


class _Reader:
    def __init__(self, pattern: str) -> None:
        self.text = pattern
        self.at = 0

    def peek(self, offset: int = 0) -> str:
        at = self.at + offset
        return self.text[at] if at < len(self.text) else ""

    def next_in(self, chars: str, offset: int = 0) -> bool:
        char = self.peek(offset)
        return bool(char) and char in chars

    def skip_past(self, char: str) -> None:
        """Past the next `char` (the end of a name, comment or \\N{...})."""
        found = self.text.find(char, self.at)
        self.at = len(self.text) if found < 0 else found + 1

    def alternatives(self, verbose: bool) -> list[list[Node]]:
        """Items up to and past the closing ')' of the current group (or the end)."""
        alternatives: list[list[Node]] = [[]]
        while self.at < len(self.text):
            char = self.peek()
            if verbose and char in _SPACE:
                self.at += 1
            elif verbose and char == "#":
                self.skip_past("\n")
            elif char == "|":
                self.at += 1
                alternatives.append([])
            elif char == ")":
                self.at += 1
                break
            elif char in "*+?" or (char == "{" and self._bounds() is not None):
                self._quantifier(alternatives[-1])
            else:
                item = self._atom(verbose)
                if item is not None:
                    alternatives[-1].append(item)
        return alternatives

    def _bounds(self) -> tuple[int, int | None] | None:
        """(end, highest count) of {m}, {m,}, {,n} or {m,n} here; None for a
        '{' that is a literal character."""
        match = _BOUNDS.match(self.text, self.at)
        if match is None or match.group() == "{}":
            return None
        low, comma, high = match.groups()
        if not comma:
            return match.end(), int(low)
        return match.end(), int(high) if high else None

    def _quantifier(self, items: list[Node]) -> None:
        """A quantifier applied to the last item before it."""
        bounds = self._bounds() if self.peek() == "{" else None
        if bounds is not None:
            self.at, high = bounds
        else:
            high = 1 if self.peek() == "?" else None
            self.at += 1
        if self.next_in("?+"):  # lazy or possessive: the same repeat
            self.at += 1
        if items:  # always, in a pattern that compiles ("nothing to repeat")
            items[-1] = Repeat(high, [items[-1]])

    def _atom(self, verbose: bool) -> Node | None:
        char = self.peek()
        self.at += 1
        if char == "\\":
            return self._escape()
        if char == "[":
            self._character_class()
        elif char == "(":
            return self._group(verbose)
        return Atom()

    def _escape(self) -> Node:
        char = self.peek()
        self.at += 1
        if char == "N" and self.peek() == "{":
            self.skip_past("}")
        elif char and char in DIGITS[1:]:
            # \1 and \12 are groups; three octal digits (\101) are a character.
            if char in OCTAL and self.next_in(OCTAL) and self.next_in(OCTAL, 1):
                self.at += 2
                return Atom()
            return BackReference()
        return Atom()  # \0 and the octal digits after it are a character too

    def _character_class(self) -> None:
        if self.peek() == "^":
            self.at += 1
        if self.peek() == "]":  # a ']' first is a member, not the end
            self.at += 1
        while self.at < len(self.text) and self.peek() != "]":
            self.at += 2 if self.peek() == "\\" else 1
        self.at += 1

    def _group(self, verbose: bool) -> Node | None:
        if self.peek() != "?":
            return Group(self.alternatives(verbose))
        kind = self.peek(1)
        self.at += 2
        if kind == "P" and self.peek() == "=":  # (?P=name)
            self.skip_past(")")
            return BackReference()
        if kind == "#":  # a comment: no item (a quantifier after it applies before it)
            self.skip_past(")")
            return None
        if kind == "(":  # (?(group)yes|no)
            self.skip_past(")")
            self.alternatives(verbose)
            return BackReference()
        if kind == "P" or (kind == "<" and not self.next_in("=!")):
            self.skip_past(">")  # a named group
        elif kind == "<":
            self.at += 1  # look-behind
        elif kind in FLAGS:
            end = min(
                i for i in (self.text.find(":", self.at), self.text.find(")", self.at)) if i >= 0
            )
            on, _, off = self.text[self.at - 1 : end].partition("-")
            self.at = end + 1
            if self.text[end] == ")":  # flags for the whole pattern, read by parse()
                return None
            verbose = (verbose or "x" in on) and "x" not in off
        return Group(self.alternatives(verbose))

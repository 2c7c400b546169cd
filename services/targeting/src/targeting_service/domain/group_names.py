"""The employee row's copy of their group names (targeting_0007): one
delimited string, "|Contractors|Sales|", so a segment's `group = "X"` is a
substring test on the row the covering index already holds instead of an
IN over the members table.

Names are compared exactly as the members sub-query compared them (the
same case-sensitive equality); a name holding the delimiter is encoded so
that "|a|b|" cannot be read as the group "a|b". Encoding "%" first keeps
the encoding one-to-one.
"""

from __future__ import annotations

from collections.abc import Iterable

DELIMITER = "|"


def encode(name: str) -> str:
    return name.replace("%", "%25").replace(DELIMITER, "%7C")


def token(name: str) -> str:
    """What `group = name` looks for in the column."""
    return f"{DELIMITER}{encode(name)}{DELIMITER}"


def group_names_value(names: Iterable[str]) -> str:
    """The column's value for these memberships: "" for none, else sorted
    (one spelling per set, so an unchanged membership is not a change)."""
    encoded = sorted({encode(n) for n in names})
    return f"{DELIMITER}{DELIMITER.join(encoded)}{DELIMITER}" if encoded else ""

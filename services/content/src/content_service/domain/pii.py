"""Personal data in a post: e-mail addresses, phone numbers, IBANs (mod-97
checked) and payment card numbers (Luhn checked). The checksums keep order
numbers and dates from being flagged. Pure: no I/O."""

from __future__ import annotations

import re
from dataclasses import dataclass

EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})+")
# International (+33 6 12 34 56 78) or national with separators (06 12 34 56 78,
# (555) 123-4567): 8..15 digits in groups.
PHONE = re.compile(
    r"(?<![\w+])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d{1,4}(?:[ .-]\d{2,4}){1,5}(?![\w])"
)
IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b")
CARD = re.compile(r"(?<!\d)(?:\d[ -]?){12,18}\d(?!\d)")


@dataclass(frozen=True)
class PiiHit:
    kind: str  # "email" | "phone" | "iban" | "card"
    start: int
    end: int


def iban_valid(candidate: str) -> bool:
    compact = candidate.replace(" ", "").upper()
    if not 15 <= len(compact) <= 34:
        return False
    rearranged = compact[4:] + compact[:4]
    digits = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(digits) % 97 == 1


def luhn_valid(candidate: str) -> bool:
    digits = [int(c) for c in candidate if c.isdigit()]
    if not 13 <= len(digits) <= 19:
        return False
    total = 0
    for i, digit in enumerate(reversed(digits)):
        if i % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def find(text: str) -> list[PiiHit]:
    hits: list[PiiHit] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    def add(kind: str, start: int, end: int) -> None:
        hits.append(PiiHit(kind, start, end))
        taken.append((start, end))

    for m in EMAIL.finditer(text):
        add("email", m.start(), m.end())
    for m in IBAN.finditer(text):
        if free(m.start(), m.end()) and iban_valid(m.group()):
            add("iban", m.start(), m.end())
    for m in CARD.finditer(text):
        if free(m.start(), m.end()) and luhn_valid(m.group()):
            add("card", m.start(), m.end())
    for m in PHONE.finditer(text):
        digits = sum(c.isdigit() for c in m.group())
        # National numbers have 9+ digits; fewer with a "+" prefix are still
        # phones, while 8-digit runs without one are mostly dates and codes.
        enough = digits >= 9 or (m.group().startswith("+") and digits >= 8)
        if enough and digits <= 15 and free(m.start(), m.end()):
            add("phone", m.start(), m.end())
    return sorted(hits, key=lambda h: h.start)

"""A scanner for personal data where none may be: span names, span
attributes, span event attributes and status messages; log lines; Kafka
message keys.

It looks for what it knows (the campaign's employees' display names,
e-mails, Bluesky handles, account ids and passwords) and for shapes
(e-mail addresses, phone numbers, JWT and bearer tokens). Each finding says
where it was found; the scan also counts what it read, so a caller can tell
a clean scan from an empty one."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from chorus_cli.traces import Span

EMAIL = re.compile(
    r"(?<![\w.+-])[\w.+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*\.[A-Za-z]{2,63}\b"
)
# International (+33 6 12 34 56 78) or national in groups (06 12 34 56 78,
# (555) 123-4567, 555-123-4567); counted digits decide (see _phones).
PHONE = re.compile(
    r"(?<![\w+.:/-])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d{1,4}(?:[ .-]\d{2,4}){1,5}"
    r"(?![\w:/]|[.-]\d)"
)
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
JWT = re.compile(r"eyJ[A-Za-z0-9_-]{10,}")
BEARER = re.compile(r"(?i)\bbearer\s+[A-Za-z0-9._~+/=-]{8,}")


@dataclass(frozen=True)
class Finding:
    kind: str
    where: str
    excerpt: str  # the match, shortened: enough to find it, not to copy it

    def __str__(self) -> str:
        return f"{self.kind} in {self.where}: {self.excerpt}"


@dataclass(frozen=True)
class Known:
    """The personal data a run handled, by kind (all compared ignoring case)."""

    names: frozenset[str] = frozenset()
    emails: frozenset[str] = frozenset()
    handles: frozenset[str] = frozenset()
    account_ids: frozenset[str] = frozenset()
    passwords: frozenset[str] = frozenset()

    def patterns(self) -> list[tuple[str, re.Pattern[str]]]:
        """One alternation per kind; names as whole words (a first name alone
        may be a common word, a full name in a log is not an accident)."""
        kinds = (
            ("display name", self.names, True),
            ("employee e-mail", self.emails, False),
            ("Bluesky handle", self.handles, False),
            ("Bluesky account id", self.account_ids, False),
            ("password", self.passwords, False),
        )
        compiled = []
        for kind, values, words in kinds:
            if not (chosen := sorted((v for v in values if v.strip()), key=len, reverse=True)):
                continue
            alternation = "|".join(re.escape(v) for v in chosen)
            pattern = rf"(?<!\w)(?:{alternation})(?!\w)" if words else f"(?:{alternation})"
            compiled.append((kind, re.compile(pattern, re.IGNORECASE)))
        return compiled


def _excerpt(match: str) -> str:
    return match if len(match) <= 8 else f"{match[:4]}…{match[-2:]} ({len(match)} chars)"


def _phones(text: str) -> Iterator[str]:
    for match in PHONE.finditer(text):
        value = match.group()
        digits = sum(c.isdigit() for c in value)
        # National numbers have 9+ digits; with a "+" prefix 8 are enough.
        # Dates and times (2026-12-01 22) are not phones.
        enough = digits >= 9 or (value.startswith("+") and digits >= 8)
        if enough and digits <= 15 and not ISO_DATE.match(value):
            yield value


@dataclass
class Scan:
    """Findings, and how much was read (spans, log lines, keys)."""

    known: Known
    findings: list[Finding] = field(default_factory=list)
    spans: int = 0
    log_lines: int = 0
    keys: int = 0

    def __post_init__(self) -> None:
        self._patterns = self.known.patterns()

    def text(self, text: str, where: str) -> None:
        if not text:
            return
        for kind, pattern in self._patterns:
            for match in pattern.finditer(text):
                self.findings.append(Finding(kind, where, _excerpt(match.group())))
        for shape, pattern in (("e-mail address", EMAIL), ("JWT", JWT), ("bearer token", BEARER)):
            for match in pattern.finditer(text):
                self.findings.append(Finding(shape, where, _excerpt(match.group())))
        for phone in _phones(text):
            self.findings.append(Finding("phone number", where, _excerpt(phone)))

    def value(self, value: object, where: str) -> None:
        """Any attribute or JSON value: strings, and the strings inside lists
        and mappings (keys too)."""
        if isinstance(value, str):
            self.text(value, where)
        elif isinstance(value, dict):
            for key, item in value.items():
                self.text(str(key), f"{where} (key)")
                self.value(item, f"{where}.{key}")
        elif isinstance(value, list | tuple):
            for index, item in enumerate(value):
                self.value(item, f"{where}[{index}]")

    def span(self, span: Span) -> None:
        self.spans += 1
        where = f"span {span.service} '{span.name}' ({span.trace_id}/{span.span_id})"
        self.text(span.name, f"{where} name")
        self.text(span.status_message, f"{where} status")
        for key, value in span.attributes.items():
            self.value(value, f"{where} attribute {key}")
        for event in span.events:
            for key, value in event.attributes.items():
                self.value(value, f"{where} event '{event.name}' attribute {key}")

    def log_line(self, line: str, where: str) -> None:
        """JSON lines are scanned decoded (json.dumps escapes non-ASCII, so a
        name with an accent is not in the raw line), other lines as they are."""
        self.log_lines += 1
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:
            self.text(line, where)
            return
        self.value(entry, where)

    def key(self, key: bytes | None, where: str) -> None:
        self.keys += 1
        if key is not None:
            self.text(key.decode("utf-8", "replace"), where)


def scan(
    known: Known,
    spans: Iterable[Span] = (),
    logs: Iterable[tuple[str, str]] = (),
    keys: Iterable[tuple[bytes | None, str]] = (),
) -> Scan:
    """`logs`: (line, where); `keys`: (key, where)."""
    result = Scan(known)
    for span in spans:
        result.span(span)
    for line, where in logs:
        result.log_line(line, where)
    for key, where in keys:
        result.key(key, where)
    return result

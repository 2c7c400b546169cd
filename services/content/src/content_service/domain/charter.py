"""The company's social-media charter, first cut: blocked phrases and
per-network length. Pure: no I/O."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from enum import Enum


class Severity(str, Enum):
    WARN = "warn"
    BLOCK = "block"


# Each network's own limit (characters; Bluesky counts graphemes, approximated
# here by code points until the full counting rules land).
DEFAULT_MAX_LENGTH: dict[str, int] = {
    "bluesky": 300,
    "x": 280,
    "linkedin": 3000,
    "instagram": 2200,
    "mastodon": 500,
    "facebook": 63206,
}


@dataclass(frozen=True)
class Violation:
    rule_id: str
    severity: Severity
    message: str
    field: str
    start: int
    end: int
    suggestion: str = ""


@dataclass(frozen=True)
class Charter:
    blocked_phrases: tuple[str, ...] = ()
    max_length: dict[str, int] = field(default_factory=dict)
    version: int = 0

    def limit_for(self, network: str) -> int | None:
        return self.max_length.get(network, DEFAULT_MAX_LENGTH.get(network))


def _fold(text: str) -> str:
    """Case- and accent-insensitive form with the same length as the input,
    so match offsets point into the original text."""
    out = []
    for ch in text:
        base = unicodedata.normalize("NFKD", ch)
        base = "".join(c for c in base if not unicodedata.combining(c)) or ch
        out.append(base[0].lower() if len(base) >= 1 else ch.lower())
    return "".join(out)


def check(charter: Charter, texts: dict[str, str]) -> list[Violation]:
    """texts: field name -> text (title, body, network_texts.<network>)."""
    violations: list[Violation] = []
    patterns = [
        (phrase, re.compile(r"(?<!\w)" + re.escape(_fold(phrase)) + r"(?!\w)"))
        for phrase in charter.blocked_phrases
        if phrase.strip()
    ]
    for field_name, text in texts.items():
        folded = _fold(text)
        for phrase, pattern in patterns:
            for match in pattern.finditer(folded):
                violations.append(
                    Violation(
                        rule_id="blocked-phrase",
                        severity=Severity.BLOCK,
                        message=f"blocked phrase {phrase!r}",
                        field=field_name,
                        start=match.start(),
                        end=match.end(),
                        suggestion="remove or rephrase",
                    )
                )
        if field_name.startswith("network_texts."):
            network = field_name.removeprefix("network_texts.")
            limit = charter.limit_for(network)
            if limit is not None and len(text) > limit:
                violations.append(
                    Violation(
                        rule_id=f"max-length.{network}",
                        severity=Severity.BLOCK,
                        message=f"{len(text)} characters; {network} allows {limit}",
                        field=field_name,
                        start=limit,
                        end=len(text),
                        suggestion=f"shorten to {limit} characters",
                    )
                )
    return violations


def blocking(violations: list[Violation]) -> list[Violation]:
    return [v for v in violations if v.severity is Severity.BLOCK]

"""The company's social-media charter: the rules and the engine that checks a
post against them. Per tenant and versioned (every save is a new version).
Pure: no I/O.

A check returns every violation with its rule id, severity, the offending
span in the checked field and a suggestion; approval is refused while one of
severity "block" remains.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from urllib.parse import urlsplit

from content_service.domain import lengths, pii
from content_service.domain.lengths import DEFAULT_MAX_LENGTH, INSTAGRAM_MAX_HASHTAGS
from content_service.domain.matcher import Term, TermMatcher
from content_service.domain.patterns import PatternRule, PatternSet

__all__ = [
    "Charter",
    "CharterEngine",
    "Severity",
    "Violation",
    "blocking",
    "check",
]


class Severity(str, Enum):
    WARN = "warn"
    BLOCK = "block"


@dataclass(frozen=True)
class Violation:
    rule_id: str
    severity: Severity
    message: str
    field: str
    start: int
    end: int
    suggestion: str = ""


# Severity of each rule family when the charter does not say ("off" = not checked).
DEFAULT_SEVERITIES: dict[str, str] = {
    "personal-data": "off",
    "disclosure": "block",
    "hashtags": "warn",
    "links": "block",
    "max-length": "block",
}


@dataclass(frozen=True)
class Charter:
    blocked_phrases: tuple[str, ...] = ()  # every language, severity block
    max_length: dict[str, int] = field(default_factory=dict)
    version: int = 0
    blocked_terms: tuple[Term, ...] = ()
    patterns: tuple[PatternRule, ...] = ()
    disclosures: dict[str, str] = field(
        default_factory=dict
    )  # network -> required text, e.g. "#employee"
    required_hashtags: tuple[str, ...] = ()
    forbidden_hashtags: tuple[str, ...] = ()
    max_hashtags: int = 0  # 0 = no limit of the charter's own
    https_only: bool = False
    allowed_domains: tuple[str, ...] = ()  # empty = any domain
    severities: dict[str, str] = field(default_factory=dict)

    def limit_for(self, network: str) -> int | None:
        return self.max_length.get(network, DEFAULT_MAX_LENGTH.get(network))

    def severity_of(self, family: str) -> str:
        return self.severities.get(family, DEFAULT_SEVERITIES[family])


def _network_of(field_name: str) -> str | None:
    """The network whose rules a field's text is held to: network_texts.<n>
    and each variant, network_variants.<n>[i]."""
    if field_name.startswith("network_texts."):
        return field_name.removeprefix("network_texts.")
    if field_name.startswith("network_variants.") and field_name.endswith("]"):
        return field_name.removeprefix("network_variants.").partition("[")[0]
    return None


def _domain_allowed(host: str, allowed: tuple[str, ...]) -> bool:
    host = host.lower().rstrip(".")
    return any(host == d or host.endswith("." + d) for d in (a.lower().strip(".") for a in allowed))


class CharterEngine:
    """A charter compiled once (term index, compiled patterns) and reused for
    every check until the tenant saves a new version."""

    def __init__(self, charter: Charter) -> None:
        self.charter = charter
        terms = [Term(p, "", "block") for p in charter.blocked_phrases] + list(
            charter.blocked_terms
        )
        self.terms = TermMatcher(terms)
        self.patterns = PatternSet(list(charter.patterns))
        self._legacy = {p for p in charter.blocked_phrases}

    def check(self, texts: dict[str, str], language: str = "", link: str = "") -> list[Violation]:
        """texts: field name -> text (title, body, network_texts.<network>,
        network_variants.<network>[i])."""
        out: list[Violation] = []
        for field_name, text in texts.items():
            self._terms(out, field_name, text, language)
            self._patterns(out, field_name, text)
            self._personal_data(out, field_name, text)
            self._links(out, field_name, text)
            network = _network_of(field_name)
            if network is not None:
                self._network_rules(out, field_name, network, text)
            if field_name == "body" or network is not None:
                self._hashtags(out, field_name, text)
        if link:
            self._links(out, "link", link)
        return out

    def _terms(self, out: list[Violation], field_name: str, text: str, language: str) -> None:
        for hit in self.terms.find(text, language):
            legacy = hit.term.term in self._legacy and not hit.term.language
            out.append(
                Violation(
                    rule_id="blocked-phrase"
                    if legacy
                    else f"blocked-term.{hit.term.language or 'any'}",
                    severity=Severity(hit.term.severity),
                    message=(
                        f"blocked {'phrase' if ' ' in hit.term.term.strip() else 'term'} "
                        f"{hit.term.term!r}"
                    ),
                    field=field_name,
                    start=hit.start,
                    end=hit.end,
                    suggestion=hit.term.suggestion or "remove or rephrase",
                )
            )

    def _patterns(self, out: list[Violation], field_name: str, text: str) -> None:
        for hit in self.patterns.find(text):
            rule = hit.rule
            if hit.timed_out:
                out.append(
                    Violation(
                        rule_id=f"pattern.{rule.rule_id}",
                        severity=Severity.WARN,
                        message="pattern took too long and was stopped; review the text by hand",
                        field=field_name,
                        start=0,
                        end=len(text),
                        suggestion="simplify the charter pattern",
                    )
                )
                continue
            out.append(
                Violation(
                    rule_id=f"pattern.{rule.rule_id}",
                    severity=Severity(rule.severity),
                    message=rule.description or f"matches confidential pattern {rule.rule_id!r}",
                    field=field_name,
                    start=hit.start,
                    end=hit.end,
                    suggestion=rule.suggestion or "remove confidential information",
                )
            )

    def _personal_data(self, out: list[Violation], field_name: str, text: str) -> None:
        severity = self.charter.severity_of("personal-data")
        if severity == "off":
            return
        for hit in pii.find(text):
            out.append(
                Violation(
                    rule_id=f"personal-data.{hit.kind}",
                    severity=Severity(severity),
                    message=f"personal data ({hit.kind})",
                    field=field_name,
                    start=hit.start,
                    end=hit.end,
                    suggestion="remove personal data; link to a public page instead",
                )
            )

    def _links(self, out: list[Violation], field_name: str, text: str) -> None:
        severity = self.charter.severity_of("links")
        if severity == "off" or not (self.charter.https_only or self.charter.allowed_domains):
            return
        for m in lengths.URL.finditer(text):
            url = m.group().rstrip(".,;:!?)")
            parts = urlsplit(url)
            if self.charter.https_only and parts.scheme.lower() != "https":
                out.append(
                    Violation(
                        rule_id="links.https-only",
                        severity=Severity(severity),
                        message="link is not https",
                        field=field_name,
                        start=m.start(),
                        end=m.start() + len(url),
                        suggestion="use the https:// address",
                    )
                )
            if self.charter.allowed_domains and not _domain_allowed(
                parts.hostname or "", self.charter.allowed_domains
            ):
                out.append(
                    Violation(
                        rule_id="links.allowed-domains",
                        severity=Severity(severity),
                        message=f"domain {parts.hostname!r} is not allowed",
                        field=field_name,
                        start=m.start(),
                        end=m.start() + len(url),
                        suggestion=f"link to one of: {', '.join(self.charter.allowed_domains)}",
                    )
                )

    def _network_rules(
        self, out: list[Violation], field_name: str, network: str, text: str
    ) -> None:
        disclosure = self.charter.disclosures.get(network, "")
        severity = self.charter.severity_of("disclosure")
        if disclosure and severity != "off" and disclosure.casefold() not in text.casefold():
            out.append(
                Violation(
                    rule_id=f"disclosure.{network}",
                    severity=Severity(severity),
                    message=f"{network} text lacks the required disclosure {disclosure!r}",
                    field=field_name,
                    start=len(text),
                    end=len(text),
                    suggestion=f"add {disclosure!r}",
                )
            )
        limit = self.charter.limit_for(network)
        length = lengths.network_length(network, text)
        severity = self.charter.severity_of("max-length")
        if limit is not None and length > limit and severity != "off":
            unit = (
                "graphemes"
                if network == "bluesky"
                else "weighted characters"
                if network == "x"
                else "characters"
            )
            out.append(
                Violation(
                    rule_id=f"max-length.{network}",
                    severity=Severity(severity),
                    message=f"{length} {unit}; {network} allows {limit}",
                    field=field_name,
                    start=min(limit, len(text)),
                    end=len(text),
                    suggestion=f"shorten to {limit} {unit}",
                )
            )
        if network == "instagram":
            tags = lengths.hashtags(text)
            if len(tags) > INSTAGRAM_MAX_HASHTAGS:
                out.append(
                    Violation(
                        rule_id="max-hashtags.instagram",
                        severity=Severity.BLOCK,
                        message=f"{len(tags)} hashtags; Instagram allows {INSTAGRAM_MAX_HASHTAGS}",
                        field=field_name,
                        start=tags[INSTAGRAM_MAX_HASHTAGS][1],
                        end=tags[-1][2],
                        suggestion=f"keep at most {INSTAGRAM_MAX_HASHTAGS} hashtags",
                    )
                )

    def _hashtags(self, out: list[Violation], field_name: str, text: str) -> None:
        severity = self.charter.severity_of("hashtags")
        if severity == "off":
            return
        tags = lengths.hashtags(text)
        present = {t.casefold() for t, _, _ in tags}
        forbidden = {t.lstrip("#").casefold() for t in self.charter.forbidden_hashtags}
        for tag, start, end in tags:
            if tag.casefold() in forbidden:
                out.append(
                    Violation(
                        rule_id="hashtags.forbidden",
                        severity=Severity(severity),
                        message=f"hashtag #{tag} is forbidden",
                        field=field_name,
                        start=start,
                        end=end,
                        suggestion=f"remove #{tag}",
                    )
                )
        for required in self.charter.required_hashtags:
            if required.lstrip("#").casefold() not in present:
                out.append(
                    Violation(
                        rule_id="hashtags.required",
                        severity=Severity(severity),
                        message=f"required hashtag #{required.lstrip('#')} is missing",
                        field=field_name,
                        start=len(text),
                        end=len(text),
                        suggestion=f"add #{required.lstrip('#')}",
                    )
                )
        if self.charter.max_hashtags and len(tags) > self.charter.max_hashtags:
            out.append(
                Violation(
                    rule_id="hashtags.max-count",
                    severity=Severity(severity),
                    message=f"{len(tags)} hashtags; the charter allows {self.charter.max_hashtags}",
                    field=field_name,
                    start=tags[self.charter.max_hashtags][1],
                    end=tags[-1][2],
                    suggestion=f"keep at most {self.charter.max_hashtags} hashtags",
                )
            )


def check(
    charter: Charter, texts: dict[str, str], language: str = "", link: str = ""
) -> list[Violation]:
    return CharterEngine(charter).check(texts, language, link)


def blocking(violations: list[Violation]) -> list[Violation]:
    return [v for v in violations if v.severity is Severity.BLOCK]

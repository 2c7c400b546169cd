"""What to do with a language the engine cannot produce. Pure: no I/O.

Each tenant chooses, per target language and with a default, between falling
back to another language (the post's source language unless one is chosen)
and holding the language for a human translation. Nothing configured means
fall back to the source: a post its readers can follow, now, is better than
shares that wait until the post expires; a tenant who prefers to wait says so.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from chorus_core.errors import InvalidArgument
from chorus_core.validation import language_code

from translation_service.domain.languages import primary, same_language


class Action(StrEnum):
    FALLBACK = "fallback"
    HOLD = "hold"


@dataclass(frozen=True)
class Rule:
    action: Action = Action.FALLBACK
    fallback_language: str = ""  # FALLBACK only; "" = the post's source language

    def fallback_for(self, source_language: str) -> str:
        return self.fallback_language or source_language


@dataclass(frozen=True)
class LanguagePolicy:
    default: Rule = Rule()
    languages: Mapping[str, Rule] = field(default_factory=dict)

    def rule_for(self, language: str) -> Rule:
        """The rule for `language`, else for its primary subtag (a rule for
        "pt" covers "pt-BR"), else the default."""
        return self.languages.get(language) or self.languages.get(primary(language)) or self.default


DEFAULT_POLICY = LanguagePolicy()


def validate(policy: LanguagePolicy, producible: Collection[str]) -> LanguagePolicy:
    """Raises InvalidArgument naming the offending field (as the RPC spells
    it). `producible`: primary subtags of the languages the engine can write."""
    _rule("policy.default_rule", "", policy.default, producible)
    for language in sorted(policy.languages):
        where = f"policy.languages[{language}]"
        language_code(where, language)
        _rule(where, language, policy.languages[language], producible)
    return policy


def _rule(where: str, language: str, rule: Rule, producible: Collection[str]) -> None:
    fallback = rule.fallback_language
    if not fallback:
        return
    field_name = f"{where}.fallback_language"
    if rule.action is Action.HOLD:
        raise InvalidArgument(field_name, "must be empty when the action is HOLD")
    language_code(field_name, fallback)
    if language and same_language(language, fallback):
        raise InvalidArgument(field_name, f"{fallback!r} cannot be its own fallback")
    if primary(fallback) not in producible:
        raise InvalidArgument(
            field_name,
            f"the translation engine cannot produce {fallback!r}; "
            f"it can produce: {', '.join(sorted(producible))}",
        )


class Decision(StrEnum):
    TRANSLATED = "translated"
    FALLBACK = "fallback"
    HELD = "held"


@dataclass(frozen=True)
class LanguageDecision:
    """What one (post version, language) got."""

    tenant_id: str
    post_id: str
    version: int
    language: str
    decision: Decision
    decided_at: datetime
    fallback_language: str = ""  # FALLBACK only
    provider: str = ""  # of the delivered text; "" when held
    reason: str = ""  # why the engine could not (FALLBACK, HELD)

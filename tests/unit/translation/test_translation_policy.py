"""The language policy's rules and checks (pure)."""

from __future__ import annotations

import pytest
from chorus_core.errors import InvalidArgument
from translation_service.domain.languages import producible
from translation_service.domain.policy import DEFAULT_POLICY, Action, LanguagePolicy, Rule, validate

PRODUCIBLE = frozenset({"en", "es", "fr"})


def test_rule_for_the_language_then_its_primary_subtag_then_the_default() -> None:
    policy = LanguagePolicy(
        Rule(Action.HOLD), {"pt": Rule(fallback_language="es"), "de-AT": Rule(Action.HOLD)}
    )
    assert policy.rule_for("pt-BR") == Rule(Action.FALLBACK, "es")
    assert policy.rule_for("de-AT") == Rule(Action.HOLD)
    assert policy.rule_for("de") == Rule(Action.HOLD)  # the default
    assert DEFAULT_POLICY.rule_for("de").fallback_for("en") == "en"
    assert Rule(fallback_language="fr").fallback_for("en") == "fr"


@pytest.mark.parametrize(
    ("policy", "field"),
    [
        (LanguagePolicy(Rule(fallback_language="de")), "policy.default_rule.fallback_language"),
        (LanguagePolicy(languages={"it": Rule(fallback_language="de")}), "policy.languages[it]"),
        (LanguagePolicy(languages={"it": Rule(Action.HOLD, "en")}), "policy.languages[it]"),
        (LanguagePolicy(languages={"fr-CA": Rule(fallback_language="fr")}), "policy.languages"),
        (LanguagePolicy(languages={"Italian": Rule()}), "policy.languages[Italian]"),
    ],
)
def test_invalid_policies_name_the_field(policy: LanguagePolicy, field: str) -> None:
    with pytest.raises(InvalidArgument) as caught:
        validate(policy, PRODUCIBLE)
    assert caught.value.field.startswith(field)


def test_a_valid_policy_is_returned_as_is() -> None:
    policy = LanguagePolicy(Rule(Action.HOLD), {"de": Rule(fallback_language="fr"), "it": Rule()})
    assert validate(policy, PRODUCIBLE) is policy


def test_producible_languages_are_those_with_a_pair_into_them() -> None:
    pairs = {("eng", "spa"), ("spa", "eng"), ("eng", "cat_valencia"), ("deu", "eng")}
    assert producible(pairs) == {"en", "es"}

"""Text variants in content's pure rules: their shape, the charter engine
holding each variant to its network's rules (by field and index), and the
text digest both content and scheduling compute (unchanged for a text
without variants, so verdicts stored before variants still match)."""

from __future__ import annotations

import hashlib
import json

import pytest
from chorus_core.errors import InvalidArgument
from content_service.app.charters import check_variants, texts_of
from content_service.domain.charter import Charter, CharterEngine
from content_service.domain.posts import PostContent, validate_content
from content_service.domain.text import text_digest
from scheduling_service.domain.translations import text_digest as scheduling_digest


def test_each_variant_is_held_to_its_networks_rules() -> None:
    engine = CharterEngine(Charter(disclosures={"x": "#employee"}))
    texts = texts_of("T", "B", {}, {"x": ("Hi #employee", "Hi"), "mastodon": ("a" * 501,)})
    found = [(v.rule_id, v.field) for v in engine.check(texts)]
    assert found == [
        ("max-length.mastodon", "network_variants.mastodon[0]"),
        ("disclosure.x", "network_variants.x[1]"),
    ]


def test_check_variants_refuses_the_first_bad_one_with_its_rule() -> None:
    engine = CharterEngine(Charter(max_length={"x": 10}, severities={"max-length": "warn"}))
    check_variants(engine, {"x": ("short",)}, "en")
    with pytest.raises(InvalidArgument) as refused:
        # Too long is refused even when the charter only warns: X would refuse it.
        check_variants(engine, {"x": ("short", "far too long for it")}, "en")
    assert refused.value.field == "network_variants.x[1]"
    assert "max-length.x" in refused.value.reason


def test_variant_shape_is_validated() -> None:
    with pytest.raises(InvalidArgument) as empty:
        validate_content(
            PostContent(title="T", body="B", network_variants={"x": ("ok", "")}), "alice"
        )
    assert empty.value.field == "network_variants.x[1]"


def test_the_digest_of_a_text_without_variants_is_the_digest_it_always_had() -> None:
    old = hashlib.sha256(
        json.dumps(
            {"body": "B", "link": "L", "network_texts": {"x": "X"}},
            ensure_ascii=False,
            separators=(",", ":"),
            sort_keys=True,
        ).encode()
    ).hexdigest()
    assert text_digest("B", "L", {"x": "X"}) == old
    assert text_digest("B", "L", {"x": "X"}, {"x": ()}) == old
    with_variants = text_digest("B", "L", {"x": "X"}, {"x": ("one", "two")})
    assert with_variants != old
    assert text_digest("B", "L", {"x": "X"}, {"x": ("two", "one")}) != with_variants
    # Scheduling names the same text the same way.
    assert scheduling_digest("B", "L", {"x": "X"}, {"x": ("one", "two")}) == with_variants
    assert scheduling_digest("B", "L", {"x": "X"}) == old
